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
} eng_split;

void eng_split_init(eng_split *s, const char *data, size_t len, uint64_t base_offset,
                    uint64_t first_line, size_t max_record, uint32_t input, int last_partial);

/* Fills out[0..cap) with the next records; returns how many (0 = block done). */
size_t eng_split_lines(eng_split *s, eng_item *out, size_t cap);

/* Lines the block held once split completely: newlines, plus one for a final
 * unterminated line. */
uint64_t eng_split_count_lines(const char *data, size_t len);

/* AS_OK, AS_ERR_NUL_BYTE or AS_ERR_INVALID_UTF8 for a record's bytes (a NUL
 * wins over invalid UTF-8). eng_validate_scalar is the portable fallback the
 * SIMD path must agree with (both are tested). */
as_code eng_validate(const char *p, size_t n);
as_code eng_validate_scalar(const char *p, size_t n);

#endif
