/* psr_logfmt.h: key=value lines ("logfmt"), as written by backup tools,
 * deploy pipelines, Heroku-style apps and many in-house jobs:
 *     2025-10-01T01:04:09Z host=db-01 job=nightly status=success bytes=79784885042
 *     time="2025-10-01 01:04:09" level=info msg="backup done" host=db-01
 * An optional leading token that is not a key=value pair (a timestamp) is
 * kept as `lead`; then space-separated pairs `key=value`, a value being bare
 * (up to the next space) or double-quoted with \" and \\ escapes. A bare
 * `key` without `=` is a flag (its value is empty); a record needs at least
 * one real `key=value` (plain words alone are not logfmt).
 *
 * psr_logfmt_scan() finds every pair of one record and copies nothing:
 * keys and raw values are slices into the line; psr_logfmt_unquote() decodes
 * a quoted value on demand.
 * Thread-safety: pure functions over caller storage.
 */
#ifndef ASSAY_PSR_LOGFMT_H
#define ASSAY_PSR_LOGFMT_H

#include "core/as.h"  /* as_slice, as_code, as_arena */

#define PSR_LOGFMT_MAX_PAIRS 64  /* pairs kept per record; more is AS_ERR_BAD_VALUE */

typedef struct psr_logfmt_pair {
    as_slice key;    /* [A-Za-z0-9_.@/-]+ */
    as_slice value;  /* raw: without the quotes when quoted, escapes kept; a flag's is empty */
    int      quoted; /* the value was in double quotes */
} psr_logfmt_pair;

typedef struct psr_logfmt {
    as_slice        lead;   /* the leading non-pair token (usually a timestamp); empty when absent */
    psr_logfmt_pair pairs[PSR_LOGFMT_MAX_PAIRS];
    size_t          n;
} psr_logfmt;

/* Scans one line (without its terminator; a trailing CR is ignored).
 * AS_OK, or AS_ERR_SYNTAX (an unterminated quote, a bad key character, a
 * line with no pair at all) / AS_ERR_BAD_VALUE (too many pairs) with the
 * 1-based byte column in *err_col. Reads only line.ptr[0 .. line.len). */
as_code psr_logfmt_scan(as_slice line, psr_logfmt *out, uint64_t *err_col) AS_MUST_USE;

/* The value of the first pair called key, or {NULL, 0} when absent. */
const psr_logfmt_pair *psr_logfmt_find(const psr_logfmt *r, as_slice key);

/* A pair's decoded value: the raw slice when it has no backslash, else a
 * copy from ar with \" and \\ (and \n, \t) decoded. AS_OK or AS_ERR_NOMEM. */
as_code psr_logfmt_unquote(const psr_logfmt_pair *p, as_arena *ar, as_slice *out) AS_MUST_USE;

#endif
