/* as_utf8.c: strict UTF-8 validation with an ASCII fast path (see as_utf8.h). */
#include "core/as_utf8.h"

#include <string.h>  /* memcpy: unaligned loads */

size_t as_utf8_seq_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;                                   /* continuation or overlong lead */
    if (c < 0xE0) {
        if (avail < 2 || (p[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0;                               /* overlong */
        if (c == 0xED && p[1] >= 0xA0)
            return 0;                               /* UTF-16 surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0;                               /* overlong */
        if (c == 0xF4 && p[1] >= 0x90)
            return 0;                               /* above U+10FFFF */
        return 4;
    }
    return 0;
}

size_t as_utf8_check(const char *p, size_t len)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: 8 bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        while (i < len && u[i] < 0x80)
            i++;
        if (i >= len)
            break;
        size_t n = as_utf8_seq_len(u + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}
