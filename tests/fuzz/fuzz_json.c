/* fuzz_json.c: libFuzzer target for parsers/psr_json. The whole input is one
 * document (and its first bytes also a path). It checks the invariants the
 * rest of assay relies on:
 *   - both scanners (SSE2, portable) give identical results everywhere;
 *   - validation errors lie inside the input and their line/col match the
 *     offset;
 *   - if validation accepts, no lookup fails, get_many equals separate gets,
 *     and every raw object/array a lookup returns validates on its own;
 *   - iteration yields elements inside the input, in order, each valid on its
 *     own, and for a document that starts with '[' or '{' it ends exactly
 *     where validation does (cleanly, or at the same first invalid byte);
 *   - sniffing and path compilation never misbehave on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/psr_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const k_paths[] = {
    "a", "a.b", "a[0]", "[0]", "[1].a", "Records", "Records[0].eventName", "[\"@timestamp\"]",
    "a.b.c.d", "b[2].c", "outcome.result", "actor.alternateId", "target[0].type", "x[3][1]",
};
#define N_PATHS (sizeof k_paths / sizeof k_paths[0])

static int val_same(const as_val *a, const as_val *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case AS_V_STR:
    case AS_V_JSON: return as_slice_eq(a->u.str, b->u.str);
    case AS_V_INT: return a->u.i == b->u.i;
    case AS_V_NUM: return memcmp(&a->u.num, &b->u.num, sizeof(double)) == 0;
    case AS_V_BOOL: return a->u.b == b->u.b;
    default: return 1;
    }
}

static void check_err_location(as_slice doc, const psr_json_err *e)
{
    if (e->offset > doc.len || e->line == 0 || e->col == 0)
        abort();
    uint64_t line = 1, col = 1;
    for (size_t i = 0; i < e->offset; i++) {
        if (doc.ptr[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (line != e->line || col != e->col)
        abort();
}

/* A raw container returned by a lookup: a slice into doc starting with a
 * bracket that is not the content of a string. */
static int is_raw_container(as_slice doc, const as_val *v)
{
    const char *p = v->u.str.ptr;
    return v->type == AS_V_JSON && v->u.str.len > 0 && p >= doc.ptr && p < doc.ptr + doc.len &&
           (p[0] == '{' || p[0] == '[') && (p == doc.ptr || p[-1] != '"');
}

static void check_lookups(as_slice doc, int valid, as_arena *ar)
{
    psr_json_path comp[N_PATHS + 2];
    const psr_json_path *pp[N_PATHS + 2];
    size_t n = 0;
    for (size_t i = 0; i < N_PATHS; i++) {
        if (psr_json_path_compile(&comp[n], as_slice_cstr(k_paths[i]), 0, NULL) != PSR_JSON_OK)
            abort();
        pp[n] = &comp[n];
        n++;
    }
    if (psr_json_path_compile(&comp[n], as_slice_cstr("A.B"), PSR_JSON_PATH_ICASE, NULL) != PSR_JSON_OK)
        abort();
    pp[n] = &comp[n];
    n++;
    /* the input's first bytes as a path */
    size_t plen = doc.len < 48 ? doc.len : 48;
    psr_json_err pe;
    if (psr_json_path_compile(&comp[n], as_slice_make(doc.ptr, plen), 0, &pe) == PSR_JSON_OK) {
        if (comp[n].n_segs == 0 || comp[n].n_segs > PSR_JSON_PATH_MAX_SEGS)
            abort();
        pp[n] = &comp[n];
        n++;
    } else if (pe.col == 0 || pe.col > plen + 1 || pe.line != 1) {
        abort();
    }

    as_val many[N_PATHS + 2], many2[N_PATHS + 2];
    as_code c = psr_json_get_many(doc, pp, n, many, ar);
    as_code c2 = psr_json_get_many_scan(doc, pp, n, many2, ar, PSR_JSON_SCAN_PORTABLE);
    if (c != c2)
        abort();
    if (valid && c != AS_OK)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (!val_same(&many[i], &many2[i]))
            abort();
        if (c != AS_OK && many[i].type != AS_V_MISSING)
            abort();
        as_val one;
        as_code c1 = psr_json_get(doc, pp[i], &one, ar);
        if (valid && c1 != AS_OK)
            abort();
        if (c == AS_OK && c1 != AS_OK)
            abort(); /* a single path never sees more than the union */
        if (c == AS_OK && !val_same(&one, &many[i]))
            abort();
        if (valid && is_raw_container(doc, &many[i]) && psr_json_validate(many[i].u.str, NULL) != PSR_JSON_OK)
            abort();
    }
}

static void check_iter(as_slice doc, psr_json_code vcode, const psr_json_err *ve)
{
    psr_json_iter a, b;
    psr_json_elem ea, eb;
    psr_json_err xa, xb;
    psr_json_next ra, rb;
    psr_json_iter_init(&a, doc, PSR_JSON_SCAN_BEST);
    psr_json_iter_init(&b, doc, PSR_JSON_SCAN_PORTABLE);
    uint64_t last_end = 0, n = 0;
    for (;;) {
        ra = psr_json_iter_next(&a, &ea, &xa);
        rb = psr_json_iter_next(&b, &eb, &xb);
        if (ra != rb)
            abort();
        if (ra != PSR_JSON_NEXT_ELEM)
            break;
        if (ea.offset != eb.offset || ea.raw.len != eb.raw.len || ea.line != eb.line || ea.index != n)
            abort();
        if (ea.raw.ptr != doc.ptr + ea.offset || ea.offset + ea.raw.len > doc.len || ea.raw.len == 0)
            abort();
        if (n > 0 && ea.offset < last_end)
            abort();
        last_end = ea.offset + ea.raw.len;
        uint64_t line = 1;
        for (size_t i = 0; i < ea.offset; i++)
            line += doc.ptr[i] == '\n';
        if (line != ea.line)
            abort();
        if (psr_json_validate(ea.raw, NULL) != PSR_JSON_OK)
            abort();
        n++;
    }
    if (ra == PSR_JSON_NEXT_ERROR) {
        if (xa.code != xb.code || xa.offset != xb.offset)
            abort();
        check_err_location(doc, &xa);
        if (psr_json_iter_next(&a, &ea, &xb) != PSR_JSON_NEXT_ERROR || xb.offset != xa.offset)
            abort(); /* sticky */
    }
    /* where the document is a container, iteration and validation agree */
    if (a.shape != PSR_JSON_SHAPE_UNKNOWN) {
        if (vcode == PSR_JSON_OK && ra != PSR_JSON_NEXT_END)
            abort();
        if (vcode != PSR_JSON_OK && (ra != PSR_JSON_NEXT_ERROR || xa.code != vcode || xa.offset != ve->offset))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_slice doc = as_slice_make((const char *)data, size);
    psr_json_err e, e2;
    psr_json_code v = psr_json_validate(doc, &e);
    psr_json_code v2 = psr_json_validate_scan(doc, PSR_JSON_SCAN_PORTABLE, &e2);
    if (v != v2 || (v != PSR_JSON_OK && (e.offset != e2.offset || e.line != e2.line || e.col != e2.col)))
        abort();
    if (v != PSR_JSON_OK)
        check_err_location(doc, &e);

    as_arena ar;
    as_arena_init(&ar, 4096);
    check_lookups(doc, v == PSR_JSON_OK, &ar);
    as_arena_fini(&ar);

    check_iter(doc, v, &e);

    psr_json_kind k = psr_json_sniff(doc);
    if ((unsigned)k > PSR_JSON_KIND_DOCUMENT)
        abort();
    return 0;
}
