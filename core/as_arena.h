/* as_arena.h: a bump allocator reset per chunk of work.
 *
 * Each worker owns one arena; what a block needs (decoded fields, unescaped
 * strings, rule temporaries) comes from as_arena_alloc and is freed all at
 * once by as_arena_reset when the block is done. What must outlive the block is
 * copied out on purpose. Memory is kept in a list of chunks; reset keeps the
 * first chunk (so a steady state allocates nothing) and frees the others.
 * Under AddressSanitizer, reset poisons the memory so a stale slice fails loudly.
 * Thread-safety: none; one arena per thread.
 */
#ifndef ASSAY_AS_ARENA_H
#define ASSAY_AS_ARENA_H

#include <stdarg.h>  /* va_list */

#include "core/as_def.h"

typedef struct as_arena_chunk as_arena_chunk;

typedef struct as_arena {
    as_arena_chunk *head;       /* newest chunk first; owned */
    size_t          chunk_size; /* default size of a new chunk, bytes */
    size_t          used;       /* bytes handed out since the last reset */
    size_t          peak;       /* largest `used` ever seen (for module comments and stats) */
} as_arena;

#define AS_ARENA_CHUNK_DEFAULT (64u << 10) /* 64 KiB: fits a block's field temporaries */

void  as_arena_init(as_arena *ar, size_t chunk_size); /* 0 = AS_ARENA_CHUNK_DEFAULT */
void  as_arena_fini(as_arena *ar);
void  as_arena_reset(as_arena *ar);

/* Returns size bytes aligned to align (a power of two, <= 64), or NULL when
 * memory runs out. The memory lives until the next reset or fini. */
void *as_arena_alloc(as_arena *ar, size_t size, size_t align) AS_MUST_USE;

/* Copies len bytes and appends a NUL; NULL when memory runs out. */
char *as_arena_strndup(as_arena *ar, const char *s, size_t len) AS_MUST_USE;

/* Formats into the arena, exactly as long as the text (NUL-terminated);
 * returns its length, or -1 when memory runs out (*out is then NULL). */
int64_t as_arena_printf(as_arena *ar, char **out, const char *fmt, ...) AS_PRINTF(3, 4) AS_MUST_USE;
int64_t as_arena_vprintf(as_arena *ar, char **out, const char *fmt, va_list ap) AS_PRINTF(3, 0) AS_MUST_USE;

#endif
