/* as_alloc.c: allocation wrappers with an out-of-memory fault hook (see as_alloc.h). */
#include "core/as_alloc.h"

#include <stdatomic.h>  /* the fault counter is shared by all threads */
#include <stdlib.h>     /* malloc, calloc, realloc, free */
#include <string.h>     /* memcpy */

/* 0 = hook off; otherwise the number of allocations still allowed + 1. */
static _Atomic uint64_t g_fail_countdown;

void as_alloc_fail_after(uint64_t n)
{
    atomic_store(&g_fail_countdown, n);
}

static int should_fail(void)
{
    uint64_t c = atomic_load_explicit(&g_fail_countdown, memory_order_relaxed);
    /* compare-and-swap, not fetch_sub: two threads that both saw 2 would
     * take the counter to 0 and switch the hook off for good */
    while (c > 1) {
        if (atomic_compare_exchange_weak_explicit(&g_fail_countdown, &c, c - 1,
                                                  memory_order_relaxed, memory_order_relaxed))
            return 0;
    }
    return c == 1;                              /* stays at 1: every later call fails */
}

void *as_malloc(size_t size)
{
    return should_fail() ? NULL : malloc(size ? size : 1);
}

void *as_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *as_realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : realloc(ptr, size ? size : 1);
}

void as_free(void *ptr)
{
    free(ptr);
}

char *as_strndup(const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;                            /* len + 1 would wrap to 0 */
    char *p = as_malloc(len + 1);
    if (p == NULL)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
