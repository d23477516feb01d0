/* fuzz_regex.c: libFuzzer target for parsers/psr_regex (custom formats over
 * PCRE2).
 *
 * Two kinds of input, by the first byte:
 *   - below 0x20 (not how patterns start): the byte picks a realistic
 *     pattern from k_patterns (the shapes users write for in-house logs) and
 *     the rest is the record: hostile records against sane patterns, the
 *     case assay meets, where random patterns seldom go;
 *   - otherwise the bytes before the first NUL are the pattern and the bytes
 *     after it the record; an input without a NUL is matched against itself.
 * Each pattern is compiled four ways (anchored and search, each with JIT and
 * with the interpreter) and these must hold, else abort() so libFuzzer (or
 * the replay runner of `make test`) reports it:
 *   - compiling gives a pattern or AS_ERR_SYNTAX, the same with and without
 *     JIT, with a line and column inside the pattern (col 0 only for the
 *     errors that have none) and a message;
 *   - an accepted pattern has >= 1 named group, non-empty names, and
 *     psr_regex_group_find finds each at its own index;
 *   - matching gives a known code, a column in 1 .. len + 1, and on success
 *     every group either unset {NULL, 0} or inside the record;
 *     AS_ERR_INVALID_UTF8 exactly for an invalid record, at its first
 *     invalid byte;
 *   - matching the same record again with the same state gives the same result;
 *   - JIT and the interpreter agree (same code, same groups) unless one of
 *     them hit a limit, whose accounting differs. (With
 *     PCRE2_MATCH_INVALID_UTF they did not: tests/fuzz/regress/fuzz_regex/
 *     keeps the two inputs that showed it.)
 * Seeds: tests/fuzz/corpus/fuzz_regex/; kept crashers: tests/fuzz/regress/fuzz_regex/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort */
#include <string.h>  /* memchr, memcmp */

#include "core/as.h"
#include "parsers/psr_regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

#define FUZZ_GROUPS_MAX 256  /* groups compared; a pattern with more is only compiled and matched */
#define FUZZ_TABLE_BYTE 0x20 /* a first byte below this selects a k_patterns entry */

/* Patterns of the kind users write (docs/formats_regex.md). */
static const char *const k_patterns[] = {
    "(?<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ) backup host=(?<host>\\S+) job=(?<job>\\S+) "
    "status=(?<status>ok|failed) bytes=(?<bytes>\\d+)",
    "(?<client>\\S+) (?<ident>\\S+) (?<user>\\S+) \\[(?<time>[^\\]]+)\\] \"(?<request>[^\"]*)\" (?<status>\\d{3}) "
    "(?<bytes>\\d+|-) \"(?<referer>[^\"]*)\" \"(?<agent>[^\"]*)\"",
    "(?<time>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) (?<host>\\S+) (?<prog>[^:\\[ ]+)(?:\\[(?<pid>\\d+)\\])?: (?<msg>.*)",
    "(?<k>\\w+)=(?<v>\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)",
    "(?<time>[\\d:.T-]+)\\s+(?<level>INFO|WARN(?:ING)?|ERROR|DEBUG)\\s+\\[(?<thread>[^\\]]*)\\]\\s+(?<msg>.*?)\\s*",
    "\\{\"level\":\"(?<level>\\w+)\",\"user\":\"(?<user>[^\"]*)\",\"msg\":\"(?<msg>(?:[^\"\\\\]|\\\\.)*)\"\\}",
    "(?<user>[\\p{L}\\p{N}._-]+)@(?<domain>[\\w.-]+) (?<action>login|logout)(?: from (?<ip>[\\d.]+|[\\da-f:]+))?",
    "(?i)(?<verb>get|post|put|delete) (?<path>/\\S*)(?: (?<proto>HTTP/\\d(?:\\.\\d)?))?",
    "(?<a>\\d+),(?<b>[^,]*),(?<c>\"[^\"]*\"|[^,]*),(?<rest>.*)",
    "(?<time>\\d+(?:\\.\\d+)?) (?<dur>\\d+)ms (?<name>.+?)(?: \\((?<note>[^)]*)\\))?",
    "(*UCP)(?<word>\\w+) (?<num>\\d+) (?<any>.)",
    "(?<x>(?:ab|a)*?)(?<y>b*)c",
};

static int is_limit(as_code rc)
{
    return rc == AS_ERR_BAD_VALUE || rc == AS_ERR_NOMEM;
}

static void check_compile_error(const as_err *e, as_slice pat)
{
    FUZZ_CHECK(e->code == AS_ERR_SYNTAX);
    FUZZ_CHECK(e->msg[0] != '\0');
    if (e->loc.col != 0) {
        FUZZ_CHECK(e->loc.line >= 1 && e->loc.col <= pat.len + 1);
        FUZZ_CHECK(e->loc.line <= pat.len + 1);
    }
}

static void check_names(const psr_regex *re)
{
    size_t n = psr_regex_n_groups(re);
    FUZZ_CHECK(n >= 1);
    for (size_t i = 0; i < n; i++) {
        as_slice name = psr_regex_group_name(re, i);
        FUZZ_CHECK(name.ptr != NULL && name.len > 0);
        FUZZ_CHECK(psr_regex_group_find(re, name) == (int)i);
    }
    FUZZ_CHECK(psr_regex_group_name(re, n).ptr == NULL);
}

/* One match with every invariant that holds for a single result. */
static as_code match_checked(const psr_regex *re, psr_regex_md *md, as_slice rec, as_slice *g,
                             size_t valid_upto)
{
    uint64_t col = 0;
    as_code rc = psr_regex_match(re, md, rec, g, &col);
    size_t n = psr_regex_n_groups(re);
    if (rc == AS_OK) {
        FUZZ_CHECK(psr_regex_md_reason(md)[0] == '\0');
        for (size_t i = 0; i < n; i++) {
            if (g[i].ptr == NULL)
                FUZZ_CHECK(g[i].len == 0);
            else
                FUZZ_CHECK(g[i].ptr >= rec.ptr && g[i].len <= rec.len &&
                           (size_t)(g[i].ptr - rec.ptr) <= rec.len - g[i].len);
        }
        FUZZ_CHECK(valid_upto == rec.len);
        return rc;
    }
    FUZZ_CHECK(rc == AS_ERR_SYNTAX || rc == AS_ERR_INVALID_UTF8 || rc == AS_ERR_BAD_VALUE || rc == AS_ERR_NOMEM);
    FUZZ_CHECK(psr_regex_md_reason(md)[0] != '\0');
    FUZZ_CHECK(col >= 1 && col <= rec.len + 1);
    FUZZ_CHECK((rc == AS_ERR_INVALID_UTF8) == (valid_upto < rec.len));
    if (rc == AS_ERR_INVALID_UTF8)
        FUZZ_CHECK(col == valid_upto + 1);
    if (rc == AS_ERR_SYNTAX)
        FUZZ_CHECK(col == 1);
    return rc;
}

static void run_flags(as_slice pat, as_slice rec, unsigned flags, size_t valid_upto)
{
    as_err ej, en;
    as_err_clear(&ej);
    as_err_clear(&en);
    psr_regex *rj = psr_regex_new(pat, flags, &ej);
    psr_regex *rn = psr_regex_new(pat, flags | PSR_REGEX_NO_JIT, &en);
    FUZZ_CHECK((rj == NULL) == (rn == NULL));
    if (rj == NULL) {
        check_compile_error(&ej, pat);
        FUZZ_CHECK(en.code == ej.code && en.loc.line == ej.loc.line && en.loc.col == ej.loc.col);
        FUZZ_CHECK(strcmp(en.msg, ej.msg) == 0);
        return;
    }
    check_names(rj);
    size_t n = psr_regex_n_groups(rj);
    FUZZ_CHECK(psr_regex_n_groups(rn) == n && psr_regex_is_jit(rn) == 0);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(as_slice_eq(psr_regex_group_name(rj, i), psr_regex_group_name(rn, i)));

    psr_regex_md *mj = psr_regex_md_new(rj), *mn = psr_regex_md_new(rn);
    FUZZ_CHECK(mj != NULL && mn != NULL);
    if (n <= FUZZ_GROUPS_MAX) {
        as_slice gj[FUZZ_GROUPS_MAX], gn[FUZZ_GROUPS_MAX], g2[FUZZ_GROUPS_MAX];
        as_code cj = match_checked(rj, mj, rec, gj, valid_upto);
        as_code cn = match_checked(rn, mn, rec, gn, valid_upto);
        if (!is_limit(cj) && !is_limit(cn)) {
            FUZZ_CHECK(cj == cn);
            if (cj == AS_OK)
                for (size_t i = 0; i < n; i++)
                    FUZZ_CHECK(gj[i].ptr == gn[i].ptr && gj[i].len == gn[i].len);
        }
        /* the state carries nothing from one record to the next */
        as_code again = match_checked(rj, mj, rec, g2, valid_upto);
        FUZZ_CHECK(again == cj);
        if (cj == AS_OK)
            FUZZ_CHECK(memcmp(g2, gj, n * sizeof *gj) == 0);
    }
    psr_regex_md_free(mj);
    psr_regex_md_free(mn);
    psr_regex_free(rj);
    psr_regex_free(rn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    as_slice pat, rec;
    int table = size > 0 && data[0] < FUZZ_TABLE_BYTE;
    if (table) {
        pat = as_slice_cstr(k_patterns[data[0] % AS_ARRAY_LEN(k_patterns)]);
        rec = as_slice_make(p + 1, size - 1);
    } else {
        const char *nul = size ? memchr(p, '\0', size) : NULL;
        pat = as_slice_make(p, nul ? (size_t)(nul - p) : size);
        rec = nul ? as_slice_from(nul + 1, p + size) : pat;
    }
    size_t valid_upto = as_utf8_check(rec.ptr, rec.len);
    run_flags(pat, rec, 0, valid_upto);
    run_flags(pat, rec, PSR_REGEX_SEARCH, valid_upto);
    return 0;
}
