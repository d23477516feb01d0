/* as_slice.h: a borrowed byte range (pointer + length), the currency of hot paths.
 *
 * A slice is NOT NUL-terminated and owns nothing: it lives as long as the
 * buffer it points into (usually a block of the engine). Pass by value;
 * compare with memcmp after the length; print with "%.*s" via AS_SLICE_FMT.
 */
#ifndef ASSAY_AS_SLICE_H
#define ASSAY_AS_SLICE_H

#include <string.h>  /* memcmp, memchr, strlen */

#include "core/as_def.h"

typedef struct as_slice {
    const char *ptr;   /* borrowed; NOT NUL-terminated */
    size_t      len;   /* bytes */
} as_slice;

#define AS_SLICE_LIT(s)   ((as_slice){ (s), sizeof(s) - 1 })
#define AS_SLICE_FMT      "%.*s"
#define AS_SLICE_ARG(s)   (int)(s).len, (s).ptr

static inline as_slice as_slice_make(const char *p, size_t len)
{
    return (as_slice){ p, len };
}

static inline as_slice as_slice_from(const char *p, const char *end)
{
    return (as_slice){ p, (size_t)(end - p) };
}

static inline as_slice as_slice_cstr(const char *s)
{
    return (as_slice){ s, s ? strlen(s) : 0 };
}

static inline int as_slice_eq(as_slice a, as_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline int as_slice_eq_cstr(as_slice a, const char *s)
{
    return as_slice_eq(a, as_slice_cstr(s));
}

/* The empty prefix or suffix matches without calling memcmp, whose pointers
 * must not be NULL even for a length of 0. */
static inline int as_slice_starts_with(as_slice a, as_slice prefix)
{
    return a.len >= prefix.len &&
           (prefix.len == 0 || memcmp(a.ptr, prefix.ptr, prefix.len) == 0);
}

static inline int as_slice_ends_with(as_slice a, as_slice suffix)
{
    return a.len >= suffix.len &&
           (suffix.len == 0 || memcmp(a.ptr + a.len - suffix.len, suffix.ptr, suffix.len) == 0);
}

/* Bytewise order, shorter first on a common prefix; returns <0, 0, >0. */
static inline int as_slice_cmp(as_slice a, as_slice b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0)
        return c;
    return (a.len > b.len) - (a.len < b.len);
}

/* Sub-slice [from, from + len), clamped to the slice. */
static inline as_slice as_slice_sub(as_slice a, size_t from, size_t len)
{
    if (from > a.len)
        from = a.len;
    if (len > a.len - from)
        len = a.len - from;
    return (as_slice){ a.ptr + from, len };
}

/* Without leading and trailing ASCII white space (space, tab, CR, LF). */
static inline as_slice as_slice_trim(as_slice a)
{
    while (a.len && (a.ptr[0] == ' ' || a.ptr[0] == '\t' || a.ptr[0] == '\r' || a.ptr[0] == '\n')) {
        a.ptr++;
        a.len--;
    }
    while (a.len) {
        char c = a.ptr[a.len - 1];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            break;
        a.len--;
    }
    return a;
}

#endif
