/* as_def.h: compiler helpers shared by every part of assay.
 *
 * Kept in one place (zstd compiler.h) so that a hint that does not measurably
 * help can be removed everywhere at once. No dependencies.
 */
#ifndef ASSAY_AS_DEF_H
#define ASSAY_AS_DEF_H

#include <stddef.h>  /* size_t */
#include <stdint.h>  /* fixed-width integers */

#define AS_LIKELY(x)    __builtin_expect(!!(x), 1)
#define AS_UNLIKELY(x)  __builtin_expect(!!(x), 0)
#define AS_MUST_USE     __attribute__((warn_unused_result))
#define AS_NOINLINE     __attribute__((noinline))
#define AS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define AS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define AS_MIN(a, b)    ((a) < (b) ? (a) : (b))
#define AS_MAX(a, b)    ((a) > (b) ? (a) : (b))

#endif
