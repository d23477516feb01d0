/* eng_split.h: splitting a block into line records and validating them.
 *
 * Internal to engine/. The splitter walks a block with memchr and fills an
 * array of records (batching: no callback per record). Each record is checked
 * once: longer than max_record -> AS_ERR_TOO_LONG; a NUL byte ->
 * AS_ERR_NUL_BYTE; invalid UTF-8 -> AS_ERR_INVALID_UTF8. A trailing CR is part
 * of the line terminator (CRLF). Empty lines are counted, not records.
 * Allocates nothing: records are slices into the block.
 * Thread-safety: a splitter belongs to one worker.
 */
#ifndef ASSAY_ENG_SPLIT_H
#define ASSAY_ENG_SPLIT_H

#include "engine/eng.h"

typedef struct eng_split {
    const char *base;        /* block data start */
    const char *p;           /* next unread byte */
    const char *end;         /* block data end */
    uint64_t    base_offset; /* stream offset of base[0] */
    uint64_t    line;        /* block-relative line of the next record */
    uint64_t    blank;       /* empty lines seen */
    size_t      max_record;  /* longer records are rejected */
    uint32_t    input;       /* copied into each record */
    int         last_partial;/* an unterminated final line is cut short by a fault */
    eng_framing framing;     /* ENG_FRAME_LINES or ENG_FRAME_QUOTED */
} eng_split;

void eng_split_init(eng_split *s, const char *data, size_t len, uint64_t base_offset,
                    uint64_t first_line, size_t max_record, uint32_t input, int last_partial);

/* Fills out[0..cap) with the next records; returns how many (0 = block done).
 * With s->framing == ENG_FRAME_QUOTED (set after init) a line feed inside
 * double quotes does not end a record: the record spans lines (rec.n_lines),
 * its raw bytes keep the inner line terminators. */
size_t eng_split_lines(eng_split *s, eng_item *out, size_t cap);

/* The reader's cut: index just past the last record boundary in p[0..n),
 * which starts at a record boundary, or 0 when there is none. LINES: the
 * last line feed; QUOTED: the last line feed outside double quotes. */
size_t eng_split_last_boundary(eng_framing f, const char *p, size_t n);

/* QUOTED: the line feed that ends the record starting at p (quotes balanced),
 * or NULL when the record runs to end; *n_lines gets the lines it spans. */
const char *eng_split_quoted_end(const char *p, const char *end, uint32_t *n_lines);

/* The same, resumable: *in_quote carries the quote state in and out (0 at a
 * record's start); *n_lf gets the line feeds passed inside quotes. */
const char *eng_split_quoted_scan(const char *p, const char *end, unsigned *in_quote, uint64_t *n_lf);

/* Lines the block held once split completely: newlines, plus one for a final
 * unterminated line. */
uint64_t eng_split_count_lines(const char *data, size_t len);

/* AS_OK, AS_ERR_NUL_BYTE or AS_ERR_INVALID_UTF8 for a record's bytes (a NUL
 * wins over invalid UTF-8). eng_validate_scalar is the portable fallback the
 * SIMD path must agree with (both are tested). */
as_code eng_validate(const char *p, size_t n);
/* The slow path after a failed eng_validate: the 1-based column of the first
 * NUL (or else the first invalid UTF-8 byte), 0 when it is not on the
 * record's first line. */
uint32_t eng_validate_col(const char *p, size_t n);
as_code eng_validate_scalar(const char *p, size_t n);

#endif
