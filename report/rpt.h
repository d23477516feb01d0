/* rpt.h: the public header of report/, writers for machine-readable and
 * workpaper output: a streaming JSON writer and an RFC 4180 CSV writer.
 *
 * Both escape everything they are given: log fields are attacker-controlled.
 * JSON strings are valid UTF-8 (invalid bytes become U+FFFD and are counted);
 * CSV cells that a spreadsheet would run as a formula (first character = + -
 * @ TAB CR) are prefixed with an apostrophe (docs/evidence.md).
 * Output goes into an as_buf that the caller flushes; nothing here does I/O.
 * Thread-safety: one writer per thread.
 */
#ifndef ASSAY_RPT_H
#define ASSAY_RPT_H

#include "core/as.h"

/* ---- JSON ---- */
#define RPT_JSON_MAX_DEPTH 32

typedef struct rpt_json {
    as_buf  *out;                          /* borrowed */
    int      pretty;                       /* 2-space indentation, one member per line */
    unsigned depth;
    uint8_t  has_items[RPT_JSON_MAX_DEPTH];/* a comma is due before the next member */
    int      after_key;                    /* a key was written; its value comes next */
    uint64_t replaced;                     /* invalid UTF-8 bytes replaced by U+FFFD */
    int      failed;                       /* out of memory or misuse; the output is unusable */
} rpt_json;

void rpt_json_init(rpt_json *j, as_buf *out, int pretty);
void rpt_json_obj_begin(rpt_json *j);
void rpt_json_obj_end(rpt_json *j);
void rpt_json_arr_begin(rpt_json *j);
void rpt_json_arr_end(rpt_json *j);
void rpt_json_key(rpt_json *j, const char *key);       /* a member name (our own, ASCII) */
void rpt_json_str(rpt_json *j, as_slice s);            /* escaped, UTF-8 repaired */
void rpt_json_cstr(rpt_json *j, const char *s);        /* NULL writes null */
void rpt_json_u64(rpt_json *j, uint64_t v);
void rpt_json_i64(rpt_json *j, int64_t v);
void rpt_json_num(rpt_json *j, double v, int decimals); /* fixed decimals, locale-independent */
void rpt_json_bool(rpt_json *j, int v);
void rpt_json_null(rpt_json *j);
void rpt_json_time(rpt_json *j, as_time t);            /* RFC 3339 UTC, or null when invalid */
/* A value that is already valid JSON text (a validated log record), written
 * with the white space outside strings removed, so it stays on one line. */
void rpt_json_raw_compact(rpt_json *j, as_slice json);
/* A member name that is not our own (a log field name): escaped. */
void rpt_json_key_slice(rpt_json *j, as_slice key);
/* Ends the document with a newline; returns 0, or -1 when anything failed. */
int  rpt_json_finish(rpt_json *j) AS_MUST_USE;

/* Appends s as a JSON string literal (with quotes) to out; returns the number
 * of invalid UTF-8 bytes replaced, or -1 when memory runs out. */
int64_t rpt_json_escape(as_buf *out, as_slice s);

/* ---- CSV (RFC 4180, UTF-8, CRLF record ends) ---- */
typedef struct rpt_csv {
    as_buf  *out;          /* borrowed */
    unsigned col;          /* fields written in the current row */
    uint64_t neutralised;  /* cells prefixed because they looked like formulas */
    uint64_t replaced;     /* invalid UTF-8 bytes replaced by U+FFFD */
    int      failed;       /* out of memory */
} rpt_csv;

void rpt_csv_init(rpt_csv *c, as_buf *out);
/* A text cell: quoted when it holds , " CR or LF or starts/ends with a space;
 * formula-like text gets a leading apostrophe. */
void rpt_csv_text(rpt_csv *c, as_slice s);
void rpt_csv_cstr(rpt_csv *c, const char *s);
/* A number we computed ourselves (never neutralised: -3 stays -3). */
void rpt_csv_u64(rpt_csv *c, uint64_t v);
void rpt_csv_i64(rpt_csv *c, int64_t v);
void rpt_csv_end_row(rpt_csv *c);

#endif
