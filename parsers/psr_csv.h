/* psr_csv.h: RFC 4180 CSV records: fields, the header row, sniffing.
 *
 * The engine cuts a CSV input into records with quote-aware framing
 * (ENG_FRAME_QUOTED): one record is the bytes of one row, over several
 * physical lines when a quoted field holds line breaks, without its final
 * terminator (a CR LF inside quotes is content). psr_csv_split() turns one
 * record into its field values: quotes removed, doubled quotes decoded,
 * nothing trimmed. A value without a doubled quote is a slice of the record
 * (no copy); only a value with one is decoded into the caller's arena.
 *
 * Why a scanner of our own, with libcsv as the reference: libcsv copies every
 * byte of every field into its own entry buffer and its field callback does
 * not say where in the input the field was, so its values can never be
 * slices of the record: each one would be copied again into the arena. It
 * also reads byte by byte through a state machine: 125 MB/s on the
 * bench_csv mix, against ~1 GB/s here (docs/formats_csv.md, "Speed").
 * psr_csv_split_libcsv() runs libcsv in strict mode (CSV_STRICT |
 * CSV_STRICT_FINI, no space trimming) on the same record; the unit tests
 * and fuzz_csv check that both give the same code, location and values on
 * every input.
 *
 * Strictness (both paths): a quote inside an unquoted field, text after a
 * closing quote before the delimiter, an unterminated quoted field, or a line
 * break outside quotes (more than one row in the record) is AS_ERR_SYNTAX.
 * Locations are 1-based and relative to the record: line = physical line
 * inside the record (lines end at LF), col = byte column in that line.
 *
 * Records with another number of fields than the header are the caller's to
 * reject, as AS_ERR_BAD_VALUE ("fewer/more fields than the header");
 * psr_csv_count() gives the count without decoding anything.
 *
 * Thread-safety: pure functions over caller storage; no shared mutable
 * state. libcsv's parser lives on the stack of psr_csv_split_libcsv.
 * Arena use per record: the slice array (16 bytes a field) plus the decoded
 * bytes of fields with doubled quotes (at most the record's length).
 */
#ifndef ASSAY_PSR_CSV_H
#define ASSAY_PSR_CSV_H

#include "core/as.h"  /* as_slice, as_arena, as_code */

/* Fields per record; a record with more is AS_ERR_BAD_VALUE at the first
 * byte of field 4,097. Bounds the work a hostile header costs (duplicate
 * detection) and the slice array (64 KiB). */
#define PSR_CSV_MAX_FIELDS 4096

/* Options. Zero-initialised means RFC 4180 with a comma. */
typedef struct psr_csv_opts {
    char delim;  /* ',' (default when 0), ';', '\t' or '|'; anything else is AS_ERR_USAGE */
} psr_csv_opts;

/* Splits one record (see above; a final CR is ignored) into its fields.
 * o may be NULL (defaults). On AS_OK, *fields (from ar, never NULL) holds
 * *n_fields values: slices of rec, or of ar for a value that had a doubled
 * quote; they live as long as both. An empty record has 0 fields.
 * Errors, with *err_line / *err_col (each may be NULL) at the offending byte:
 *   AS_ERR_SYNTAX     a quote inside an unquoted field (the quote); text
 *                     after a closing quote (its first byte); a line break
 *                     outside quotes (the CR or LF); an unterminated quoted
 *                     field (its opening quote);
 *   AS_ERR_BAD_VALUE  more than PSR_CSV_MAX_FIELDS fields (the first byte of
 *                     the first field too many);
 *   AS_ERR_USAGE      a delimiter other than , ; TAB | (location 0);
 *   AS_ERR_NOMEM      the arena ran out (location 0).
 * *fields and *n_fields are unspecified after an error. */
as_code psr_csv_split(as_slice rec, const psr_csv_opts *o, as_arena *ar, as_slice **fields,
                      size_t *n_fields, uint64_t *err_line, uint64_t *err_col) AS_MUST_USE;

/* The same contract through libcsv (every value is copied into ar): the
 * reference the tests and fuzz_csv compare psr_csv_split with. Also
 * AS_ERR_NOMEM when libcsv's own buffer (as_realloc) cannot be had. */
as_code psr_csv_split_libcsv(as_slice rec, const psr_csv_opts *o, as_arena *ar, as_slice **fields,
                             size_t *n_fields, uint64_t *err_line, uint64_t *err_col) AS_MUST_USE;

/* The number of fields psr_csv_split would return, with the same checks and
 * errors (but never AS_ERR_NOMEM: allocates nothing, decodes nothing). */
as_code psr_csv_count(as_slice rec, const psr_csv_opts *o, size_t *n_fields, uint64_t *err_line,
                      uint64_t *err_col) AS_MUST_USE;

/* ---- the header row ---- */

typedef struct psr_csv_header {
    as_slice *names;   /* n_names decoded names, as written (no trimming, case kept); from the arena */
    size_t    n_names; /* columns, >= 1 */
    int       has_bom; /* the record started with a UTF-8 BOM (EF BB BF), which is not part of names[0] */
} psr_csv_header;

/* Parses the header row (an input's first record): strips a leading UTF-8
 * BOM, then splits as psr_csv_split. Locations count the BOM's 3 bytes, so
 * that a column is the byte column of the file. Returns AS_OK and fills *h
 * (names from ar), or psr_csv_split's errors, or:
 *   AS_ERR_SYNTAX     an empty header (nothing, or only a BOM or CR: line 1,
 *                     the column after the BOM);
 *   AS_ERR_BAD_VALUE  an empty name, or a name equal (bytewise) to an earlier
 *                     one: the location of that field's first byte (its
 *                     opening quote when quoted).
 * *h is unspecified after an error. */
as_code psr_csv_header_parse(as_slice rec, const psr_csv_opts *o, as_arena *ar, psr_csv_header *h,
                             uint64_t *err_line, uint64_t *err_col) AS_MUST_USE;

/* The 0-based column of name (bytewise equal), or -1. Linear: resolve the
 * names a rule needs once, not per record. */
int psr_csv_header_find(const psr_csv_header *h, as_slice name);

/* ---- sniffing ---- */

/* How much head (an input's first bytes, possibly cut mid-record) looks like
 * CSV with a header row: 0..100, and in *delim_out the delimiter among , ;
 * TAB | that scores best (left alone when every score is 0). Up to
 * PSR_CSV_SNIFF_RECORDS complete records (ending with a line feed outside
 * quotes; the cut one at the end is ignored) are split strictly with each
 * delimiter: the header must give > 1 field with no empty name and the rows
 * its count. All rows agreeing scores 80..95 (65..80 when a name is odd:
 * longer than 128 bytes, a space at either end, a number or a timestamp), two
 * thirds under a header without odd names 70, fewer < 30; a header alone (one
 * record) 50 when its names look like names, 20 else. A
 * first row that looks like data (a column whose header and values are both
 * numbers or timestamps) caps at 25: not a header. A header that is not
 * UTF-8 text (control bytes, invalid sequences) scores 0. Access logs (quotes
 * inside fields), JSON and prose score below 30. Allocates nothing. */
#define PSR_CSV_SNIFF_RECORDS 32
int psr_csv_sniff(as_slice head, char *delim_out);

#endif
