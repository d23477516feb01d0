/* fuzz_rules.c: libFuzzer target for the rule compiler (rules/rul_yaml,
 * rules/rul_load and, through them, the expression compiler). The input is
 * one rule file, loaded beside a fixed shared sources file (so controls can
 * name real sources and sets) and compiled. Invariants: no crash, no leak;
 * every diagnostic names one of the two files and lies inside it (line <=
 * its line count + 1); a rule set without errors has every control complete
 * (population with sources, a test of a known kind). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rul.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char k_sources[] =
    "sources:\n"
    "  okta: {paths: [\"okta/**\"], format: jsonl, detect: exists(eventType)}\n"
    "  auth: {paths: [\"auth/**\"], format: syslog}\n"
    "  hr: {paths: [\"hr/*.csv\"], format: csv}\n"
    "  web: {paths: [\"web/**\"], format: combined}\n"
    "sets:\n"
    "  admins: {source: hr, where: department == \"IT\", value: lower(username)}\n";

/* Lines as YAML counts them: LF, CRLF and a lone CR each end one (and
 * libyaml also breaks at NEL, LS and PS; counting every byte of those is an
 * upper bound). */
static uint64_t lines_of(const char *p, size_t n)
{
    uint64_t l = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n' || (c == '\r' && (i + 1 == n || p[i + 1] != '\n')) || c >= 0x80)
            l++;
    }
    return l;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16))
        return 0;
    rul_set *s = rul_set_new();
    if (s == NULL)
        return 0;
    if (rul_set_load_text(s, "shared.yaml", k_sources, sizeof k_sources - 1) != AS_OK ||
        rul_set_load_text(s, "fuzz.yaml", (const char *)data, size) != AS_OK || rul_set_compile(s) != AS_OK) {
        rul_set_free(s);
        return 0;
    }
    uint64_t max_fuzz = lines_of((const char *)data, size) + 1, max_shared = lines_of(k_sources, sizeof k_sources);
    for (size_t i = 0; i < s->n_diag; i++) {
        const as_loc *l = &s->diag[i].e.loc;
        if (l->src == NULL)
            continue;
        if (strcmp(l->src, "fuzz.yaml") == 0) {
            if (l->line > max_fuzz)
                abort();
        } else if (strcmp(l->src, "shared.yaml") == 0) {
            if (l->line > max_shared)
                abort();
        } else {
            abort();
        }
    }
    if (s->n_errors == 0)
        for (size_t i = 0; i < s->n_ctl; i++) {
            const rul_control *c = &s->ctl[i];
            if (c->id == NULL || c->pop.n_src == 0 || c->pop.key == NULL || (unsigned)c->kind > RUL_TEST_AGGREGATE)
                abort();
            if ((c->kind == RUL_TEST_FOLLOWED_BY || c->kind == RUL_TEST_PRECEDED_BY ||
                 c->kind == RUL_TEST_RECONCILE) && c->other.n_src == 0)
                abort();
        }
    rul_set_free(s);
    return 0;
}
