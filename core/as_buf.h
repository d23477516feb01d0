/* as_buf.h: a growable byte buffer, reused across records instead of a fresh
 * allocation per record.
 *
 * Invariant: data[len] == '\0' whenever cap > 0, so the contents can be handed
 * to an API that wants a C string. Appending may move data: pointers into it
 * are invalid after any append (redis sdsMakeRoomFor).
 * Thread-safety: none; one buffer per thread.
 */
#ifndef ASSAY_AS_BUF_H
#define ASSAY_AS_BUF_H

#include <stdarg.h>  /* va_list */

#include "core/as_def.h"
#include "core/as_slice.h"

typedef struct as_buf {
    char  *data;  /* owned (as_malloc); NULL until the first append */
    size_t len;   /* bytes used, excluding the terminating NUL */
    size_t cap;   /* bytes allocated, including room for the NUL */
} as_buf;

#define AS_BUF_INIT { NULL, 0, 0 }

void as_buf_init(as_buf *b);
void as_buf_fini(as_buf *b);                       /* frees; b is empty afterwards */
static inline void as_buf_clear(as_buf *b) { b->len = 0; if (b->cap) b->data[0] = '\0'; }

/* Each returns 0, or -1 when memory runs out (b is then unchanged). */
int as_buf_reserve(as_buf *b, size_t extra) AS_MUST_USE;
int as_buf_append(as_buf *b, const void *p, size_t n) AS_MUST_USE;
int as_buf_append_slice(as_buf *b, as_slice s) AS_MUST_USE;
int as_buf_append_cstr(as_buf *b, const char *s) AS_MUST_USE;
int as_buf_putc(as_buf *b, char c) AS_MUST_USE;
int as_buf_printf(as_buf *b, const char *fmt, ...) AS_PRINTF(2, 3) AS_MUST_USE;
int as_buf_vprintf(as_buf *b, const char *fmt, va_list ap) AS_PRINTF(2, 0) AS_MUST_USE;

static inline as_slice as_buf_view(const as_buf *b) { return (as_slice){ b->data, b->len }; }

#endif
