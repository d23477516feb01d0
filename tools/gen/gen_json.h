/* gen_json.h: a small compact-JSON writer for generated events (Okta,
 * CloudTrail, pull requests) and truth.json, plus a re-indenter that turns
 * the compact text into 2-space pretty JSON the way Python's
 * json.dumps(indent=2) lays it out (CloudTrail delivery files).
 *
 * The writer appends to an as_buf and tracks commas per nesting level; key
 * order is the call order, so output is deterministic. Strings are escaped
 * per RFC 8259 (", \, and control bytes; other bytes pass through, so the
 * caller provides UTF-8). Running out of memory sets the sticky j->failed.
 * Thread-safety: one writer per job.
 */
#ifndef ASSAY_GEN_JSON_H
#define ASSAY_GEN_JSON_H

#include "core/as.h"

#define GEN_JSON_MAX_DEPTH 32

typedef struct gen_json {
    as_buf  *b;                          /* destination, borrowed */
    int      failed;                     /* sticky out-of-memory flag */
    unsigned depth;                      /* open containers */
    uint8_t  first[GEN_JSON_MAX_DEPTH];  /* 1 until the container has a member */
} gen_json;

void gen_json_begin(gen_json *j, as_buf *b);

void gen_json_obj(gen_json *j);          /* { (as a value) */
void gen_json_end_obj(gen_json *j);      /* } */
void gen_json_arr(gen_json *j);          /* [ */
void gen_json_end_arr(gen_json *j);      /* ] */
void gen_json_key(gen_json *j, const char *k);          /* "k": (k needs no escaping) */
void gen_json_str(gen_json *j, const char *s);          /* "s" escaped; NULL writes null */
void gen_json_strn(gen_json *j, const char *s, size_t n);
void gen_json_int(gen_json *j, int64_t v);
void gen_json_uint(gen_json *j, uint64_t v);
void gen_json_bool(gen_json *j, int v);
void gen_json_null(gen_json *j);
void gen_json_raw(gen_json *j, const char *text, size_t n); /* a pre-made JSON value */

/* key + value shortcuts */
static inline void gen_json_kstr(gen_json *j, const char *k, const char *v) { gen_json_key(j, k); gen_json_str(j, v); }
static inline void gen_json_kint(gen_json *j, const char *k, int64_t v) { gen_json_key(j, k); gen_json_int(j, v); }
static inline void gen_json_kbool(gen_json *j, const char *k, int v) { gen_json_key(j, k); gen_json_bool(j, v); }
static inline void gen_json_knull(gen_json *j, const char *k) { gen_json_key(j, k); gen_json_null(j); }
static inline void gen_json_kobj(gen_json *j, const char *k) { gen_json_key(j, k); gen_json_obj(j); }
static inline void gen_json_karr(gen_json *j, const char *k) { gen_json_key(j, k); gen_json_arr(j); }

/* Appends s[0..n) JSON-escaped (without quotes) to b; 0 or -1 on OOM. */
int gen_json_escape(as_buf *b, const char *s, size_t n) AS_MUST_USE;

/* Re-indents one compact JSON value src[0..n) (as this writer makes it) into
 * out with 2 spaces per level, starting at nesting level `level` (the first
 * line is not indented: the caller placed the value). Adds the LFs written to
 * *lines. Returns 0, or -1 on OOM. */
int gen_json_pretty(const char *src, size_t n, unsigned level, as_buf *out, uint64_t *lines) AS_MUST_USE;

#endif
