/* psr_csv.h: RFC 4180 CSV records over libcsv.
 *
 * The engine cuts a CSV input into records with quote-aware framing
 * (ENG_FRAME_QUOTED): one record is the bytes of one row, possibly over
 * several physical lines when a quoted field holds line breaks, without its
 * final terminator. psr_csv_split() turns it into field values: quotes
 * removed, doubled quotes decoded, nothing trimmed. A record without any
 * double quote is split by memchr into slices of the record (no copy); one
 * with quotes goes through libcsv, which hands fields over in its own buffer,
 * so its values are copied into the caller's arena.
 * Strict mode: a quote inside an unquoted field, text after a closing quote,
 * or an unterminated quoted field is AS_ERR_SYNTAX with the line (inside the
 * record) and byte column where libcsv stopped.
 * Thread-safety: one psr_csv parser state per thread.
 */
#ifndef ASSAY_PSR_CSV_H
#define ASSAY_PSR_CSV_H

#include "core/as.h"  /* as_slice, as_arena, as_code */

#define PSR_CSV_MAX_FIELDS 4096  /* fields per record; more is AS_ERR_BAD_VALUE */

typedef struct psr_csv psr_csv;  /* a reusable libcsv parser */

psr_csv *psr_csv_new(void) AS_MUST_USE;
void     psr_csv_free(psr_csv *c);

/* Splits rec with delimiter delim (',' ';' '\t' '|'). On AS_OK *fields (from
 * ar) holds *n_fields values. Errors: AS_ERR_SYNTAX (see above; also a line
 * break outside quotes: more than one row), AS_ERR_BAD_VALUE (too many
 * fields), AS_ERR_NOMEM; *err_line / *err_col locate the problem (1-based,
 * line inside the record). */
as_code psr_csv_split(psr_csv *c, as_slice rec, char delim, as_arena *ar, as_slice **fields,
                      size_t *n_fields, uint64_t *err_line, uint64_t *err_col) AS_MUST_USE;

/* The same, always through libcsv (no fast path): the reference that tests
 * and fuzz_csv compare the fast path with. */
as_code psr_csv_split_libcsv(psr_csv *c, as_slice rec, char delim, as_arena *ar, as_slice **fields,
                             size_t *n_fields, uint64_t *err_line, uint64_t *err_col) AS_MUST_USE;

/* How much head (an input's first bytes, possibly cut mid-record) looks like
 * CSV with a header row: 0..100 and the delimiter among , ; TAB | that gives
 * the same field count (> 1) on every complete record of the first 16, the
 * header's names all non-empty. */
int psr_csv_sniff(as_slice head, char *delim_out);

#endif
