/* as_arena.c: bump allocator over a list of chunks (see as_arena.h). */
#include "core/as_arena.h"

#include <stdarg.h>  /* va_list: as_arena_printf */
#include <stdio.h>   /* vsnprintf */
#include <string.h>  /* memcpy */

#include "core/as_alloc.h"

#if defined(__SANITIZE_ADDRESS__)
#  include <sanitizer/asan_interface.h>
#  define ARENA_POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#  define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#  define ARENA_POISON(p, n)   ((void)(p), (void)(n))
#  define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* No _Alignas on mem[]: malloc only guarantees alignof(max_align_t), so the
 * arena aligns addresses itself (align_pad) instead of trusting the layout. */
struct as_arena_chunk {
    as_arena_chunk *next;  /* older chunk */
    size_t          cap;   /* bytes in mem[] */
    size_t          used;  /* bytes of mem[] consumed, alignment padding included */
    unsigned char   mem[];
};

/* Bytes to skip from p to the next multiple of align (a power of two). */
static size_t align_pad(const unsigned char *p, size_t align)
{
    return (size_t)(0u - (uintptr_t)p) & (align - 1);
}

void as_arena_init(as_arena *ar, size_t chunk_size)
{
    ar->head = NULL;
    ar->chunk_size = chunk_size ? chunk_size : AS_ARENA_CHUNK_DEFAULT;
    ar->used = 0;
    ar->peak = 0;
}

static void free_chain(as_arena_chunk *c)
{
    while (c) {
        as_arena_chunk *next = c->next;
        ARENA_UNPOISON(c->mem, c->cap);
        as_free(c);
        c = next;
    }
}

void as_arena_fini(as_arena *ar)
{
    free_chain(ar->head);
    ar->head = NULL;
    ar->used = 0;
}

void as_arena_reset(as_arena *ar)
{
    as_arena_chunk *c = ar->head;
    if (c == NULL)
        return;
    if (c->next != NULL) {
        /* this round needed more than one chunk: free them all and make the
         * next first chunk big enough, so the steady state is one chunk.
         * Sized from what the chunks consumed, padding included: ar->used
         * counts payload only and would undersize it for aligned objects. */
        size_t consumed = 0;
        for (const as_arena_chunk *k = c; k != NULL; k = k->next)
            consumed += k->used;
        size_t want = consumed + consumed / 4;
        if (want > ar->chunk_size)
            ar->chunk_size = want;
        free_chain(c);
        ar->head = NULL;
    } else {
        c->used = 0;
        ARENA_POISON(c->mem, c->cap);
    }
    ar->used = 0;
}

void *as_arena_alloc(as_arena *ar, size_t size, size_t align)
{
    if (align == 0 || align > 64 || (align & (align - 1)) != 0)
        return NULL;
    as_arena_chunk *c = ar->head;
    if (c) {
        size_t at = c->used + align_pad(c->mem + c->used, align);
        if (at <= c->cap && size <= c->cap - at) {
            c->used = at + size;
            ar->used += size;
            if (ar->used > ar->peak)
                ar->peak = ar->used;
            ARENA_UNPOISON(c->mem + at, size);
            return c->mem + at;
        }
    }
    if (size > SIZE_MAX - sizeof(as_arena_chunk) - (align - 1))
        return NULL;
    size_t cap = ar->chunk_size;
    if (size + (align - 1) > cap)
        cap = size + (align - 1);                   /* room to align the start */
    if (cap > SIZE_MAX - sizeof(as_arena_chunk))
        return NULL;
    as_arena_chunk *n = as_malloc(sizeof(as_arena_chunk) + cap);
    if (n == NULL)
        return NULL;
    size_t at = align_pad(n->mem, align);
    n->cap = cap;
    n->used = at + size;
    ARENA_POISON(n->mem, cap);
    ARENA_UNPOISON(n->mem + at, size);
    if (c && c->used == 0 && c->next == NULL) {
        /* an empty, too-small chunk: replace it rather than chain */
        ARENA_UNPOISON(c->mem, c->cap);
        as_free(c);
        c = NULL;
    }
    n->next = c;
    ar->head = n;
    ar->used += size;
    if (ar->used > ar->peak)
        ar->peak = ar->used;
    return n->mem + at;
}

char *as_arena_strndup(as_arena *ar, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;                                /* len + 1 would wrap to 0 */
    char *p = as_arena_alloc(ar, len + 1, 1);
    if (p == NULL)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int64_t as_arena_vprintf(as_arena *ar, char **out, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);   /* measure, then write exactly that */
    char *p = n < 0 ? NULL : as_arena_alloc(ar, (size_t)n + 1, 1);
    if (p != NULL)
        vsnprintf(p, (size_t)n + 1, fmt, aq);
    va_end(aq);
    *out = p;
    return p ? n : -1;
}

int64_t as_arena_printf(as_arena *ar, char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int64_t n = as_arena_vprintf(ar, out, fmt, ap);
    va_end(ap);
    return n;
}
