/* cli_json.c: one small JSON document through the parsers layer (see cli_json.h). */
#include "cli/cli_json.h"

#include "cli/cli_smp.h"  /* cli_smp_read_file */

#include <string.h>  /* memset, strerror */

int cli_json_load(cli_json *d, const char *path)
{
    memset(d, 0, sizeof *d);
    as_arena_init(&d->arena, 0);
    as_buf b = AS_BUF_INIT;
    if (cli_smp_read_file(path, CLI_JSON_MAX, &b) != 0)
        return -1;
    if (b.len == 0) {
        cli_errf("%s: empty file", path);
        as_buf_fini(&b);
        return -1;
    }
    d->text = b.data;
    d->len = b.len;
    psr_opts po;
    memset(&po, 0, sizeof po);
    as_err e;
    as_err_clear(&e);
    d->ctx = psr_ctx_new(&po, "json", &e);
    d->in = d->ctx ? psr_input_new(d->ctx, (as_slice){ d->text, d->len }, 0) : NULL;
    d->w = d->ctx ? psr_worker_new(d->ctx) : NULL;
    if (d->in == NULL || d->w == NULL) {
        cli_errf("out of memory");
        return -1;
    }
    psr_doc_iter it;
    psr_doc_rec r;
    psr_doc_init(&it, (as_slice){ d->text, d->len }, &d->arena);
    if (!psr_doc_next(&it, &r) || r.code != AS_OK) {
        cli_errf("%s:%llu:%llu: not a JSON document", path, (unsigned long long)(r.code != AS_OK ? r.line : 1),
                 (unsigned long long)(r.code != AS_OK ? r.err_col : 1));
        return -1;
    }
    d->rec = (as_rec){ .n_lines = r.n_lines, .offset = r.offset, .line = r.line, .raw = r.raw };
    psr_res res;
    if (psr_parse(d->in, d->w, &d->rec, &d->arena, &res) != AS_OK) {
        cli_errf("%s:%llu:%llu: not a valid JSON document", path, (unsigned long long)(r.line + res.err_line - 1),
                 (unsigned long long)res.err_col);
        return -1;
    }
    return 0;
}

void cli_json_fini(cli_json *d)
{
    psr_worker_free(d->w);
    psr_input_free(d->in);
    psr_ctx_free(d->ctx);
    as_arena_fini(&d->arena);
    as_free(d->text);
    memset(d, 0, sizeof *d);
}

as_val cli_json_get(cli_json *d, const char *path)
{
    as_val v = { .type = AS_V_MISSING };
    if (as_rec_get(&d->rec, as_slice_cstr(path), &v, &d->arena) != AS_OK)
        v.type = AS_V_MISSING;
    return v;
}

const char *cli_json_str(cli_json *d, const char *path)
{
    as_val v = cli_json_get(d, path);
    if (v.type != AS_V_STR)
        return NULL;
    return as_arena_strndup(&d->arena, v.u.str.ptr, v.u.str.len);
}

int64_t cli_json_int(cli_json *d, const char *path, int64_t def)
{
    as_val v = cli_json_get(d, path);
    if (v.type == AS_V_INT)
        return v.u.i;
    if (v.type == AS_V_NUM && v.u.num == (double)(int64_t)v.u.num)
        return (int64_t)v.u.num;
    return def;
}
