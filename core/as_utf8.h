/* as_utf8.h: UTF-8 validation on the hot path.
 *
 * as_utf8_check runs an 8-bytes-at-a-time ASCII fast path and falls back to a
 * strict scalar decoder (RFC 3629: no overlongs, no surrogates, <= U+10FFFF)
 * only around non-ASCII bytes. Thread-safety: pure functions.
 */
#ifndef ASSAY_AS_UTF8_H
#define ASSAY_AS_UTF8_H

#include "core/as_def.h"

/* Returns len when p[0..len) is valid UTF-8, else the offset of the first
 * byte of the first invalid sequence. */
size_t as_utf8_check(const char *p, size_t len);

/* Length of the valid sequence at p (1..4), or 0 when invalid or cut short. */
size_t as_utf8_seq_len(const unsigned char *p, size_t avail);

#endif
