/* as_err.h: errors as values that carry a location.
 *
 * One X-macro list (libuv UV_ERRNO_MAP) generates the enum, the stable names
 * (as_err_name: they key rejected-record counts in JSON output and must never
 * change meaning) and the default texts. Functions return a code; the first
 * failure fills an as_err out-parameter with location and message (sqlite
 * Parse). Only cli/ turns errors into messages and exit codes; library code
 * never prints. One printer: as_err_print, `file:line:col: error: message`.
 * Thread-safety: no shared state.
 */
#ifndef ASSAY_AS_ERR_H
#define ASSAY_AS_ERR_H

#include <stdarg.h> /* va_list */
#include <stdio.h>  /* FILE */

#include "core/as_def.h"
#include "core/as_slice.h" /* as_slice: as_loc_at */

/*      code                   stable name        default text */
#define AS_ERR_LIST(X)                                                                   \
    X(AS_OK,                   "ok",               "ok")                                 \
    X(AS_ERR_NOMEM,            "nomem",            "out of memory")                      \
    X(AS_ERR_USAGE,            "usage",            "invalid usage")                      \
    X(AS_ERR_OPEN,             "open",             "cannot open")                        \
    X(AS_ERR_IO,               "io",               "read error")                         \
    X(AS_ERR_WRITE,            "write",            "write error")                        \
    X(AS_ERR_TRUNCATED,        "truncated",        "truncated compressed stream")        \
    X(AS_ERR_CORRUPT,          "corrupt",          "corrupt compressed stream")          \
    X(AS_ERR_CHANGED,          "changed",          "file changed while being read")      \
    X(AS_ERR_TOO_LONG,         "too_long",         "record longer than --max-record")    \
    X(AS_ERR_NUL_BYTE,         "nul_byte",         "record contains a NUL byte")         \
    X(AS_ERR_INVALID_UTF8,     "invalid_utf8",     "record is not valid UTF-8")          \
    X(AS_ERR_PARTIAL,          "partial",          "record cut short by a stream fault") \
    X(AS_ERR_SYNTAX,           "syntax",           "syntax error")                       \
    X(AS_ERR_BAD_TIME,         "bad_time",         "invalid or missing timestamp")       \
    X(AS_ERR_BAD_VALUE,        "bad_value",        "invalid value")                      \
    X(AS_ERR_UNSUPPORTED,      "unsupported",      "not supported")                      \
    X(AS_ERR_INTERRUPTED,      "interrupted",      "interrupted")                        \
    X(AS_ERR_INTERNAL,         "internal",         "internal error")

typedef enum as_code {
#define AS_ERR_ENUM_(code, name, text) code,
    AS_ERR_LIST(AS_ERR_ENUM_)
#undef AS_ERR_ENUM_
    AS_ERR__COUNT
} as_code;

/* Not an error and not a record: what a parser answers for an item that is
 * no record of the population (a CSV header row). The engine counts such
 * items apart (eng_stat.headers), never in records, accepted or rejected. */
#define AS_NOT_A_RECORD ((as_code)AS_ERR__COUNT)

/* Where something happened. Zero fields are unknown and not printed. */
typedef struct as_loc {
    const char *src;     /* file name or rule file; borrowed; NULL = unknown */
    uint64_t    line;    /* 1-based line; 0 = unknown */
    uint64_t    col;     /* 1-based column (bytes); 0 = unknown */
    uint64_t    offset;  /* byte offset in the (decompressed) stream */
    int         has_offset; /* offset is meaningful (0 is a valid offset) */
} as_loc;

#define AS_ERR_MSG_MAX 256

typedef struct as_err {
    as_code code;                 /* AS_OK when nothing failed */
    as_loc  loc;                  /* where */
    char    msg[AS_ERR_MSG_MAX];  /* human text, without location or severity */
} as_err;

typedef enum as_severity { AS_SEV_ERROR, AS_SEV_WARNING, AS_SEV_NOTE } as_severity;

const char *as_err_name(as_code code);   /* stable machine name, e.g. "too_long" */
const char *as_err_text(as_code code);   /* default human text */
int         as_err_from_name(const char *name); /* code, or -1 if unknown */

static inline void as_err_clear(as_err *e) { e->code = AS_OK; e->loc = (as_loc){0}; e->msg[0] = '\0'; }

/* Fills *e (if e is non-NULL and still AS_OK: the first failure wins) and
 * returns code. fmt may be NULL for the default text. */
as_code as_err_set(as_err *e, as_code code, as_loc loc, const char *fmt, ...) AS_PRINTF(4, 5);
as_code as_err_vset(as_err *e, as_code code, as_loc loc, const char *fmt, va_list ap) AS_PRINTF(4, 0);

/* The 1-based line (counted at LF) and byte column of offset off in text
 * (offset and has_offset are left 0: a position inside a pattern or an
 * expression, not in a stream). */
as_loc as_loc_at(as_slice text, size_t off);

/* The one printer: `src:line:col: error: msg`, omitting unknown parts; a
 * known offset without a line prints as `src: error: msg (at byte N)`. */
void as_err_print(FILE *f, const as_err *e, as_severity sev);
/* The same text into buf (always NUL-terminated). */
void as_err_format(char *buf, size_t cap, const as_err *e, as_severity sev);

/* Forward an error code in one line (zstd FORWARD_IF_ERROR). */
#define AS_TRY(expr)                        \
    do {                                    \
        as_code as_try_rc_ = (expr);        \
        if (as_try_rc_ != AS_OK)            \
            return as_try_rc_;              \
    } while (0)

#endif
