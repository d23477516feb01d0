/* fuzz_state.c: libFuzzer target for loading a saved run state
 * (rules/rul_state.c) and finishing a run from it. The input is the body
 * of a state file (everything after the header, which the harness writes
 * for its fixed rule set so that the loader gets past the identity checks):
 * inputs, their accounting, facts and cadence cells. Invariants: loading
 * either fails with an error or succeeds, and a loaded state finishes
 * (every test type runs over the facts) without crash, leak or hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rul.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char k_rules[] =
    "sources:\n"
    "  ev: {paths: [\"ev/*.jsonl\"], format: jsonl}\n"
    "controls:\n"
    "  - {id: e, title: t, population: {source: ev, key: u, unique: id}, test: {each: ok}}\n"
    "  - {id: c, title: t, population: {source: ev, key: u}, test: {cadence: {every: day, min: 1, max_gap: 2d}}}\n"
    "  - {id: f, title: t, population: {source: ev, key: u}, test: {followed_by: {source: ev, key: v, within: 1h}}}\n"
    "  - {id: p, title: t, population: {source: ev, key: u}, test: {preceded_by: {source: ev, key: v, expect: none}}}\n"
    "  - {id: r, title: t, population: {source: ev, key: u}, test: {reconcile: {source: ev, key: v, report: both}}}\n"
    "  - {id: a, title: t, population: {source: ev, key: u}, test: {aggregate: {window: 1h, max: 2, sum: n}}}\n";

static rul_set *g_set;

static void put_u64(FILE *f, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        fputc((int)(v >> (8 * i) & 0xff), f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    if (g_set == NULL) {
        g_set = rul_set_new();
        if (g_set == NULL || rul_set_load_text(g_set, "fuzz.yaml", k_rules, sizeof k_rules - 1) != AS_OK ||
            rul_set_compile(g_set) != AS_OK || g_set->n_errors)
            abort();
    }
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_state.%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return 0;
    fwrite("ASSAYST1", 1, 8, f);
    put_u64(f, g_set->n_files);
    for (size_t i = 0; i < g_set->n_files; i++) {
        put_u64(f, AS_SHA256_LEN);
        fwrite(g_set->files[i].sha256, 1, AS_SHA256_LEN, f);
    }
    put_u64(f, 12);  /* feeds: 6 populations + 3 other sides (the count is not checked) */
    put_u64(f, 0);   /* no --period */
    put_u64(f, 0);
    put_u64(f, 0);
    put_u64(f, 0);   /* no sets */
    fwrite(data, 1, size, f);
    fclose(f);
    rul_binding b;
    memset(&b, 0, sizeof b);
    eng_inputs_init(&b.in);
    rul_run_opts o = { .workers = 1 };
    rul_state *st = NULL;
    as_err e;
    as_err_clear(&e);
    if (rul_state_load(g_set, &o, path, &b, &st, &e) == AS_OK && b.in.n <= 64) {
        rul_run *r = rul_run_new(g_set, &b, &o);
        if (r && rul_state_inject(r, st) == AS_OK)
            if (rul_run_exec(r, &e) != AS_OK)
                as_err_clear(&e);  /* a state that cannot finish (out of memory) is not a bug */
        rul_run_free(r);
    }
    rul_state_free(st);
    rul_binding_fini(&b);
    remove(path);
    return 0;
}
