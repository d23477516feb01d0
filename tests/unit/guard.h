/* guard.h: test inputs that end right before an unmapped page.
 *
 * guard_put() copies an input to the very end of a read-only mapping that is
 * followed by a PROT_NONE page (picohttpparser test.c), so a parser that reads
 * one byte past its input faults even in a release build without ASan. The
 * bytes before the input are also mapped, so only over-reads are caught, not
 * under-reads.
 *
 * Usage:
 *     guard g;
 *     assert_int_equal(guard_init(&g, 4096), 0);   // largest input, bytes
 *     const char *p = guard_put(&g, "2026-03-01", 10);
 *     n = as_time_parse_iso(as_slice_make(p, 10), 0, &t);
 *     guard_fini(&g);
 *
 * guard_put() may be called any number of times; each call invalidates the
 * pointer returned by the previous one. Tests assert that guard_init returned
 * 0 and guard_put non-NULL. Header-only: every helper is static inline.
 * Thread-safety: one guard per thread.
 */
#ifndef ASSAY_TESTS_GUARD_H
#define ASSAY_TESTS_GUARD_H

#include <stddef.h>    /* size_t */
#include <string.h>    /* memcpy */
#include <sys/mman.h>  /* mmap, mprotect, munmap */
#include <unistd.h>    /* sysconf */

typedef struct guard {
    unsigned char *base;  /* start of the mapping (data pages + the guard page) */
    size_t         data;  /* bytes of the read/write part, a multiple of the page size */
    size_t         total; /* data + one guard page */
} guard;

/* Maps room for an input of up to max_len bytes plus the PROT_NONE page.
 * Returns 0, or -1 when the mapping fails (g is then empty). */
static inline int guard_init(guard *g, size_t max_len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    g->data = (max_len + page - 1) / page * page;
    if (g->data == 0)
        g->data = page;
    g->total = g->data + page;
    void *m = mmap(NULL, g->total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        g->base = NULL;
        return -1;
    }
    g->base = m;
    if (mprotect(g->base + g->data, page, PROT_NONE) != 0) {
        munmap(g->base, g->total);
        g->base = NULL;
        return -1;
    }
    return 0;
}

static inline void guard_fini(guard *g)
{
    if (g->base != NULL)
        munmap(g->base, g->total);
    g->base = NULL;
}

/* Copies len bytes so that the last one is the last byte before the guard
 * page and returns where they start (for len 0: the guard page itself, which
 * must not be read). NULL when len is larger than guard_init allowed. */
static inline const char *guard_put(guard *g, const void *p, size_t len)
{
    if (g->base == NULL || len > g->data)
        return NULL;
    unsigned char *at = g->base + g->data - len;
    if (len)
        memcpy(at, p, len);
    return (const char *)at;
}

/* The same for a C string (without its NUL). */
static inline const char *guard_put_cstr(guard *g, const char *s)
{
    return guard_put(g, s, strlen(s));
}

#endif
