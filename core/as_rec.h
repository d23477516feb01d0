/* as_rec.h: the record model that parsers, rules and samplers all speak.
 *
 * A record is one item of a population: a log line, a CSV row (which may span
 * lines), an element of a JSON document. It knows its input, where it starts
 * (byte offset in the decompressed stream and line of its first line), its raw
 * bytes, and gives access to fields by name or path through the parser that
 * owns it (as_rec_fmt). Fields are filled lazily: a field nobody asks for is
 * never decoded. Values are slices into the record or into the worker's arena.
 *
 * Identity: a record's stable id is the first 16 hex digits of its input's
 * SHA-256 (as stored) + ":" + its decompressed byte offset. Two identical log
 * lines are distinct items; the id does not depend on paths, thread counts or
 * input order, so a selection keyed on it can be re-performed anywhere.
 * Thread-safety: a record belongs to the worker processing its block.
 */
#ifndef ASSAY_AS_REC_H
#define ASSAY_AS_REC_H

#include "core/as_arena.h"
#include "core/as_def.h"
#include "core/as_hash.h"
#include "core/as_slice.h"
#include "core/as_time.h"

typedef enum as_vtype {
    AS_V_MISSING = 0, /* no such field in this record */
    AS_V_NULL,        /* present but null / "-" */
    AS_V_STR,         /* text (UTF-8, escapes already decoded) */
    AS_V_INT,         /* 64-bit integer */
    AS_V_NUM,         /* double */
    AS_V_BOOL,        /* true / false */
    AS_V_TIME,        /* instant */
    AS_V_JSON,        /* a JSON object or array: its raw text in u.str, bracket to bracket */
} as_vtype;

typedef struct as_val {
    as_vtype type;
    union {
        as_slice str;  /* AS_V_STR, AS_V_JSON: borrowed (record or arena) */
        int64_t  i;    /* AS_V_INT */
        double   num;  /* AS_V_NUM */
        int      b;    /* AS_V_BOOL */
        as_time  t;    /* AS_V_TIME */
    } u;
} as_val;

typedef struct as_rec as_rec;

/* What a parser gives the rest of assay for its records (redis dictType). */
typedef struct as_rec_fmt {
    const char *name;  /* format name, e.g. "combined" */
    /* Looks up a field by name or dotted path. Fills *out (AS_V_MISSING when
     * the record has no such field); temporaries come from ar. Returns AS_OK
     * or an error code when the record cannot be decoded. */
    int (*get)(const as_rec *r, as_slice path, as_val *out, as_arena *ar);
    /* The record's event time, if the format has one; AS_V_MISSING otherwise. */
    int (*time)(const as_rec *r, as_val *out, as_arena *ar);
} as_rec_fmt;

struct as_rec {
    uint32_t          input;    /* index of the input in the job (its order on the command line) */
    uint32_t          n_lines;  /* physical lines the record spans (>= 1) */
    uint64_t          offset;   /* byte offset of its first byte in the decompressed stream */
    uint64_t          line;     /* 1-based line number of its first line */
    as_slice          raw;      /* its bytes, without the final line terminator */
    const as_rec_fmt *fmt;      /* the parser that owns its fields; NULL = raw only */
    void             *state;    /* parser's per-record state (arena), filled lazily */
};

/* Field access through the record's parser; AS_V_MISSING without one. */
static inline int as_rec_get(const as_rec *r, as_slice path, as_val *out, as_arena *ar)
{
    if (r->fmt == NULL || r->fmt->get == NULL) {
        out->type = AS_V_MISSING;
        return 0;
    }
    return r->fmt->get(r, path, out, ar);
}

#define AS_REC_ID_MAX 40 /* 16 hex + ':' + 20 digits + NUL */

/* Writes the stable id "<16 hex of the input SHA-256>:<offset>"; returns its length. */
size_t as_rec_id_format(const uint8_t input_sha[AS_SHA256_LEN], uint64_t offset, char out[AS_REC_ID_MAX]);

#define AS_NUM_TEXT_MAX 32 /* "-1.7976931348623157e+308" (24 bytes) + NUL fits */

/* Writes d as text: the shortest of %.15g/%.16g/%.17g that reads back
 * exactly (0.1 stays 0.1), NaN / Infinity / -Infinity for non-finite values;
 * returns the length (buf is NUL-terminated). */
size_t as_num_format(double d, char buf[AS_NUM_TEXT_MAX]);

/* The value as text for output (numbers in a locale-independent form, times
 * as RFC 3339 UTC, booleans true/false, JSON as its raw text, null and
 * missing empty) appended to buf. */
struct as_buf;
int as_val_to_text(const as_val *v, struct as_buf *buf) AS_MUST_USE;

#endif
