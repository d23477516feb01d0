/* as_alloc.h: the one allocation interface of assay.
 *
 * Nothing else calls malloc directly (redis zmalloc.h). In release builds the
 * process allocator is jemalloc (linked in by the Makefile); these wrappers add
 * an out-of-memory fault hook so that tests can fail the Nth allocation and
 * check that every module reports AS_ERR_NOMEM instead of crashing.
 * Thread-safety: all functions are thread-safe; the fault hook is atomic.
 */
#ifndef ASSAY_AS_ALLOC_H
#define ASSAY_AS_ALLOC_H

#include "core/as_def.h"

/* Each returns NULL on failure (or when the fault hook fires); never aborts. */
void *as_malloc(size_t size) AS_MUST_USE;
void *as_calloc(size_t n, size_t size) AS_MUST_USE;
void *as_realloc(void *ptr, size_t size) AS_MUST_USE;
void  as_free(void *ptr);               /* as_free(NULL) is a no-op */
char *as_strndup(const char *s, size_t len) AS_MUST_USE; /* NUL-terminated copy */

/* Test hook: the allocation numbered n (1-based, counted from this call) and
 * every later one fail; n = 0 disables the hook. */
void as_alloc_fail_after(uint64_t n);

#endif
