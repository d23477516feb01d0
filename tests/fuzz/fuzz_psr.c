/* fuzz_psr.c: libFuzzer target for the format layer (parsers/psr.h): the
 * input is both an input's head and its records. The first byte picks the
 * format (0: sniffed; else one of the registry's, regex with a fixed
 * pattern). The rest is bound with psr_input_new, then cut as the engine
 * would (lines, or psr_doc_next for documents); every record that is valid
 * UTF-8 without NUL (the engine's guarantee) is parsed; accepted ones give
 * their fields (psr_fields_each, as_rec_get) and a resolved year; rejected
 * ones a known code. Checks: no crash, no leak, values inside the record or
 * the arena, doc records inside the document and in order.
 * Seeds: tests/fuzz/corpus/fuzz_psr/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort */
#include <string.h>  /* memchr */

#include "core/as.h"
#include "parsers/psr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

static void on_field(void *arg, as_slice name, const as_val *v)
{
    (void)arg;
    FUZZ_CHECK(name.len > 0 || name.ptr != NULL);
    FUZZ_CHECK(v->type != AS_V_MISSING);
    if (v->type == AS_V_STR)
        FUZZ_CHECK(v->u.str.ptr != NULL || v->u.str.len == 0);
}

static void check_rec(const psr_input *in, psr_worker *w, as_rec *rec, as_arena *ar, psr_syslog_year *ys)
{
    if (memchr(rec->raw.ptr, '\0', rec->raw.len) || as_utf8_check(rec->raw.ptr, rec->raw.len) != rec->raw.len)
        return;                                    /* the engine rejects these before parsing */
    psr_res res;
    as_code rc = psr_parse(in, w, rec, ar, &res);
    if (rc == AS_NOT_A_RECORD)
        return;
    if (rc != AS_OK) {
        FUZZ_CHECK(rc == AS_ERR_SYNTAX || rc == AS_ERR_BAD_TIME || rc == AS_ERR_BAD_VALUE ||
                   rc == AS_ERR_INVALID_UTF8 || rc == AS_ERR_USAGE || rc == AS_ERR_NOMEM);
        return;
    }
    if (res.needs_year) {
        as_code yr = psr_res_resolve_year(ys, &res);
        FUZZ_CHECK(yr == AS_OK || yr == AS_ERR_BAD_TIME);
    }
    if (as_time_is_valid(res.time))
        FUZZ_CHECK(res.time.nsec >= 0 && res.time.nsec < 1000000000);
    as_code fr = psr_fields_each(rec, on_field, NULL, ar);
    FUZZ_CHECK(fr == AS_OK || fr == AS_ERR_NOMEM);
    static const char *const names[] = { "time", "user", "status", "actor.alternateId", "host", "lead", "a" };
    for (size_t i = 0; i < AS_ARRAY_LEN(names); i++) {
        as_val v;
        (void)as_rec_get(rec, as_slice_cstr(names[i]), &v, ar);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned pick = data[0];
    as_slice all = { (const char *)data + 1, size - 1 };
    psr_opts o = { 0 };
    const char *forced = NULL;
    size_t nf = psr_format_count();
    if (pick % (nf + 1) != 0) {
        const psr_format *f = psr_format_at(pick % (nf + 1) - 1);
        forced = f->name;
        if (f->kind == PSR_KIND_REGEX)
            o.pattern = "(?<time>\\S+) (?<host>\\S+) (?<msg>.*)";
    }
    if (pick & 0x80)
        o.year = 2025;
    as_err err;
    as_err_clear(&err);
    psr_ctx *ctx = psr_ctx_new(&o, forced, &err);
    FUZZ_CHECK(ctx != NULL);
    psr_input *in = psr_input_new(ctx, (as_slice){ all.ptr, all.len < 65536 ? all.len : 65536 }, 2026);
    psr_worker *w = psr_worker_new(ctx);
    FUZZ_CHECK(in != NULL && w != NULL);
    psr_syslog_year ys;
    psr_input_year_init(in, &ys);
    as_arena ar;
    as_arena_init(&ar, 0);
    if (psr_input_framing(in) == PSR_FRAME_DOCUMENT) {
        psr_doc_iter it;
        psr_doc_rec r;
        uint64_t last = 0;
        int first = 1;
        psr_doc_init(&it, all, &ar);
        while (psr_doc_next(&it, &r)) {
            FUZZ_CHECK(r.raw.ptr >= all.ptr && r.raw.ptr + r.raw.len <= all.ptr + all.len);
            FUZZ_CHECK(first || r.offset > last);
            first = 0;
            last = r.offset;
            if (r.code == AS_OK) {
                as_rec rec = { .raw = r.raw, .offset = r.offset, .line = r.line, .n_lines = r.n_lines };
                check_rec(in, w, &rec, &ar, &ys);
            }
        }
    } else {
        const char *p = all.ptr, *end = all.ptr + all.len;
        uint64_t line = 1;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *stop = nl ? nl : end;
            as_rec rec = { .raw = { p, (size_t)(stop - p) }, .offset = (uint64_t)(p - all.ptr), .line = line,
                           .n_lines = 1 };
            if (rec.raw.len && rec.raw.ptr[rec.raw.len - 1] == '\r')
                rec.raw.len--;
            if (rec.raw.len)
                check_rec(in, w, &rec, &ar, &ys);
            as_arena_reset(&ar);
            line++;
            p = nl ? nl + 1 : end;
        }
    }
    as_arena_fini(&ar);
    psr_worker_free(w);
    psr_input_free(in);
    psr_ctx_free(ctx);
    return 0;
}
