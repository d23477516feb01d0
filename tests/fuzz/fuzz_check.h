/* fuzz_check.h: the one assertion of the libFuzzer targets (tests/fuzz/).
 *
 * FUZZ_CHECK(cond) aborts when cond is false, so libFuzzer reports the input
 * as a crash and keeps it (tools/fuzzrun.sh copies it to
 * tests/fuzz/regress/<target>/), and the replay runner of `make test` fails
 * on it. Unlike assert() it is never compiled out. Header-only.
 */
#ifndef ASSAY_TESTS_FUZZ_CHECK_H
#define ASSAY_TESTS_FUZZ_CHECK_H

#include <stdlib.h> /* abort */

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

#endif
