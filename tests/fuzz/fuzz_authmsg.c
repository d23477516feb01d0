/* fuzz_authmsg.c: libFuzzer target for psr_auth_extract.
 *
 * Input: the program name, a line feed, then the message (no line feed: the
 * whole input is the message, with an empty program, which allows every
 * format). Checks what must hold for every input, aborting on a violation:
 *   - the kind is in range and equals out->kind; count >= 1;
 *   - MALFORMED has a column in [1, len + 1] and names a real kind, and
 *     other kinds have neither;
 *   - every slice lies inside the message (the service of an old-form PAM
 *     line inside the program name); numbers are -1 or in range
 *     (port 0..65535, attempts, uids and gids >= 0);
 *   - a second call gives the same result (no hidden state);
 *   - the kind does not depend on bytes after the message (the same message
 *     copied into a larger buffer with junk after it).
 * Seeds: tests/fuzz/corpus/fuzz_authmsg/; kept crashers: tests/fuzz/regress/fuzz_authmsg/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort, malloc */
#include <string.h>  /* memchr, memcmp, memcpy */

#include "parsers/psr_authmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

static void check_inside(as_slice s, as_slice msg)
{
    if (s.len == 0)
        return;
    FUZZ_CHECK(s.ptr >= msg.ptr && s.ptr + s.len <= msg.ptr + msg.len);
}

static void check_auth(const psr_auth *a, psr_auth_kind k, as_slice app, as_slice msg)
{
    FUZZ_CHECK((unsigned)k < PSR_AUTH__COUNT && k == a->kind && a->count >= 1);
    if (k == PSR_AUTH_MALFORMED) {
        FUZZ_CHECK(a->err_col >= 1 && a->err_col <= msg.len + 1);
        FUZZ_CHECK(a->malformed_kind > PSR_AUTH_MALFORMED && a->malformed_kind < PSR_AUTH__COUNT);
        return;
    }
    FUZZ_CHECK(a->err_col == 0 && a->malformed_kind == PSR_AUTH_NONE);
    if (k == PSR_AUTH_NONE)
        return;
    as_slice s[] = { a->user, a->by_user, a->source_ip, a->method, a->key_info, a->tty, a->pwd, a->run_as,
                     a->run_group, a->command, a->reason, a->group, a->home, a->shell, a->from };
    for (size_t i = 0; i < AS_ARRAY_LEN(s); i++)
        check_inside(s[i], msg);
    check_inside(a->service, (a->flags & PSR_AUTH_F_PAM_OLD) ? app : msg);
    FUZZ_CHECK(a->port >= -1 && a->port <= 65535);
    FUZZ_CHECK(a->attempts >= -1 && a->uid >= -1 && a->gid >= -1 && a->by_uid >= -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *b = (const char *)data;
    const char *nl = memchr(b, '\n', size);
    as_slice app = nl ? as_slice_make(b, (size_t)(nl - b)) : as_slice_make(b, 0);
    as_slice msg = nl ? as_slice_from(nl + 1, b + size) : as_slice_make(b, size);

    psr_auth a, a2;
    psr_auth_kind k = psr_auth_extract(app, msg, &a);
    check_auth(&a, k, app, msg);
    psr_auth_kind k2 = psr_auth_extract(app, msg, &a2);
    FUZZ_CHECK(k2 == k && memcmp(&a, &a2, sizeof a) == 0);

    /* the same message followed by junk it must not read */
    char *copy = malloc(msg.len + 16);
    if (copy == NULL)
        return 0;
    if (msg.len)
        memcpy(copy, msg.ptr, msg.len);
    memcpy(copy + msg.len, " from 1.2.3.4 p]", 16);
    as_slice m3 = as_slice_make(copy, msg.len);
    psr_auth a3;
    psr_auth_kind k3 = psr_auth_extract(app, m3, &a3);
    check_auth(&a3, k3, app, m3);
    FUZZ_CHECK(k3 == k && a3.count == a.count && a3.flags == a.flags && a3.err_col == a.err_col &&
               a3.user.len == a.user.len && a3.port == a.port);
    free(copy);
    return 0;
}
