/* as_buf.c: growable byte buffer (see as_buf.h). Growth doubles, so n appends
 * cost O(n) amortised. */
#include "core/as_buf.h"

#include <stdio.h>   /* vsnprintf */
#include <string.h>  /* memcpy */

#include "core/as_alloc.h"

void as_buf_init(as_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void as_buf_fini(as_buf *b)
{
    as_free(b->data);
    as_buf_init(b);
}

int as_buf_reserve(as_buf *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = as_realloc(b->data, cap);
    if (p == NULL)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int as_buf_append(as_buf *b, const void *p, size_t n)
{
    if (as_buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int as_buf_append_slice(as_buf *b, as_slice s)
{
    return as_buf_append(b, s.ptr, s.len);
}

int as_buf_append_cstr(as_buf *b, const char *s)
{
    return as_buf_append(b, s, strlen(s));
}

int as_buf_putc(as_buf *b, char c)
{
    return as_buf_append(b, &c, 1);
}

int as_buf_vprintf(as_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || as_buf_reserve(b, (size_t)n) != 0)
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int as_buf_printf(as_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = as_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}
