/* cmd_parse.c: `assay parse`: every record of the inputs as one JSON object
 * per line, {"src","line","offset","time","fields"}, so a user sees what a
 * rule can test and the parsers can be checked against other tools. Rejected
 * records go to stderr as `file:line:col: error: reason`, and a summary line
 * ends stderr. Output is in input order and stream order at any -j.
 *
 * Workers parse; the per-input merge (stream order) resolves RFC 3164 years
 * and writes the lines, while the block's bytes and parse results are still
 * alive (they are released after the merge).
 */
#include <getopt.h>     /* getopt_long */
#include <stdatomic.h>  /* the out-of-memory flag */
#include <stdlib.h>  /* free */
#include <string.h>  /* strcmp, strchr */

#include "cli/cli_psr.h"
#include "report/rpt.h"

#define PARSE_MAX_FIELDS 64  /* --fields entries */

typedef struct parse_ent {
    as_rec   rec;   /* rec.state lives in the block arena */
    psr_res  res;
    as_code  code;
    uint32_t col;   /* the engine's (or the document splitter's) column of a rejection */
} parse_ent;

typedef struct parse_blk {
    parse_ent *v;
    size_t     n;
} parse_blk;

typedef struct parse_job {
    cli_psr          g;
    cli_order        ord;
    const eng_inputs *in;
    as_slice         fields[PARSE_MAX_FIELDS];  /* --fields, borrowed from argv */
    size_t           n_fields;
    _Atomic int      oom;                       /* an input's output ran out of memory */
} parse_job;

typedef struct parse_w {
    parse_job  *job;
    psr_worker *pw;
    as_buf      ents;  /* parse_ent[] of the current block */
    int         failed;
} parse_w;

typedef struct parse_acc {
    psr_syslog_year ys;
    as_buf          out, err;
    int             oom;   /* output could not be built: the run fails (exit 3) */
} parse_acc;

static void *w_init(void *ctx, unsigned id)
{
    (void)id;
    parse_job *job = ctx;
    parse_w *w = as_calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->job = job;
    w->pw = psr_worker_new(job->g.ctx);
    as_buf_init(&w->ents);
    return w;
}

static void w_fini(void *ctx, void *ws)
{
    (void)ctx;
    parse_w *w = ws;
    if (w == NULL)
        return;
    psr_worker_free(w->pw);
    as_buf_fini(&w->ents);
    as_free(w);
}

static void *in_begin(void *ctx, uint32_t input)
{
    (void)ctx;
    (void)input;
    parse_acc *a = as_calloc(1, sizeof *a);
    if (a) {
        as_buf_init(&a->out);
        as_buf_init(&a->err);
    }
    return a;
}

static eng_framing in_head(void *ctx, void *accp, uint32_t input, as_slice head)
{
    parse_job *job = ctx;
    eng_framing f = cli_psr_head(&job->g, input, head);
    parse_acc *a = accp;
    if (a && job->g.inputs[input])
        psr_input_year_init(job->g.inputs[input], &a->ys);
    return f;
}

static void split_doc(void *ws, const eng_blockctx *bc, as_slice doc, eng_emitter *em)
{
    (void)ws;
    cli_psr_split_document(bc, doc, em);
}

static void on_batch(void *ws, const eng_blockctx *bc, eng_item *items, size_t n)
{
    parse_w *w = ws;
    if (w == NULL || w->pw == NULL)
        return;
    const psr_input *pi = w->job->g.inputs[bc->input];
    for (size_t i = 0; i < n; i++) {
        parse_ent e = { .rec = items[i].rec, .code = items[i].code, .col = items[i].col };
        memset(&e.res, 0, sizeof e.res);
        if (e.code == AS_OK && pi) {
            e.code = psr_parse(pi, w->pw, &e.rec, bc->arena, &e.res);
            items[i].code = e.code;
            if (e.code != AS_OK && e.res.err_line <= 1)
                items[i].col = (uint32_t)AS_MIN(e.res.err_col, UINT32_MAX);
        }
        if (e.code == AS_NOT_A_RECORD)
            continue;                                /* a header row: counted by the engine */
        if (as_buf_append(&w->ents, &e, sizeof e) != 0)
            w->failed = 1;
    }
}

static void *block_end(void *ws, const eng_blockctx *bc)
{
    parse_w *w = ws;
    if (w == NULL)
        return NULL;
    parse_blk *b = as_arena_alloc(bc->arena, sizeof *b, _Alignof(parse_blk));
    if (b == NULL)
        return NULL;
    b->n = w->ents.len / sizeof(parse_ent);
    b->v = b->n ? as_arena_alloc(bc->arena, w->ents.len, _Alignof(parse_ent)) : NULL;
    if (b->n && b->v == NULL)
        b->n = 0;
    if (b->n)
        memcpy(b->v, w->ents.data, b->n * sizeof(parse_ent));
    as_buf_clear(&w->ents);
    return b;
}

static void put_val(rpt_json *j, const as_val *v)
{
    switch (v->type) {
    case AS_V_STR:  rpt_json_str(j, v->u.str); break;
    case AS_V_INT:  rpt_json_i64(j, v->u.i); break;
    case AS_V_NUM:  rpt_json_num(j, v->u.num, 6); break;
    case AS_V_BOOL: rpt_json_bool(j, v->u.b); break;
    case AS_V_TIME: rpt_json_time(j, v->u.t); break;
    default:        rpt_json_null(j); break;
    }
}

typedef struct field_out {
    rpt_json *j;
    int       wrote_time;
} field_out;

static void put_field(void *arg, as_slice name, const as_val *v)
{
    field_out *fo = arg;
    if (as_slice_eq_cstr(name, "time"))
        fo->wrote_time = 1;
    rpt_json_key_slice(fo->j, name);
    put_val(fo->j, v);
}

static void report_reject(parse_acc *a, const char *src, const parse_ent *e, uint64_t line_base)
{
    uint64_t line = line_base + e->rec.line + (e->res.err_line ? e->res.err_line - 1 : 0);
    const char *why = e->res.why && e->res.why[0] ? e->res.why : as_err_text(e->code);
    uint64_t col = e->res.err_col ? e->res.err_col : e->col;
    if (col)
        a->oom |= as_buf_printf(&a->err, "%s:%llu:%llu: error: %s (%s)\n", src, (unsigned long long)line,
                                (unsigned long long)col, why, as_err_name(e->code)) != 0;
    else
        a->oom |= as_buf_printf(&a->err, "%s:%llu: error: %s (%s)\n", src, (unsigned long long)line, why,
                                as_err_name(e->code)) != 0;
}

static void merge(void *ctx, void *accp, void *res, uint64_t line_base)
{
    parse_job *job = ctx;
    parse_acc *a = accp;
    parse_blk *b = res;
    if (a == NULL || b == NULL || b->n == 0)
        return;
    uint32_t input = b->v[0].rec.input;
    const char *src = job->in->v[input].display;
    as_arena scratch;
    as_arena_init(&scratch, 0);
    for (size_t i = 0; i < b->n; i++) {
        parse_ent *e = &b->v[i];
        if (e->code == AS_OK && e->res.needs_year) {
            as_code rc = psr_res_resolve_year(&a->ys, &e->res);
            if (rc != AS_OK) {
                e->code = rc;
                e->res.why = "no year fits this RFC 3164 stamp (give --year or --period)";
            }
        }
        if (e->code != AS_OK) {
            report_reject(a, src, e, line_base);
            continue;
        }
        rpt_json j;
        rpt_json_init(&j, &a->out, 0);
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "src");
        rpt_json_cstr(&j, src);
        rpt_json_key(&j, "line");
        rpt_json_u64(&j, line_base + e->rec.line);
        rpt_json_key(&j, "offset");
        rpt_json_u64(&j, e->rec.offset);
        rpt_json_key(&j, "time");
        rpt_json_time(&j, e->res.time);
        rpt_json_key(&j, "fields");
        as_slice js = psr_rec_json(&e->rec);
        if (job->n_fields) {
            rpt_json_obj_begin(&j);
            for (size_t k = 0; k < job->n_fields; k++) {
                as_val v = { .type = AS_V_MISSING };
                if (as_slice_eq_cstr(job->fields[k], "time") && as_time_is_valid(e->res.time)) {
                    v.type = AS_V_TIME;
                    v.u.t = e->res.time;
                } else {
                    (void)as_rec_get(&e->rec, job->fields[k], &v, &scratch);
                }
                rpt_json_key_slice(&j, job->fields[k]);
                if (v.type == AS_V_JSON)
                    rpt_json_raw_compact(&j, v.u.str);       /* a JSON object or array value */
                else
                    put_val(&j, &v);
            }
            rpt_json_obj_end(&j);
        } else if (js.len) {
            rpt_json_raw_compact(&j, js);
        } else if (e->rec.fmt == NULL) {
            rpt_json_obj_begin(&j);                          /* unknown format: the raw record */
            rpt_json_key(&j, "raw");
            rpt_json_str(&j, e->rec.raw);
            rpt_json_obj_end(&j);
        } else {
            rpt_json_obj_begin(&j);
            field_out fo = { &j, 0 };
            a->oom |= psr_fields_each(&e->rec, put_field, &fo, &scratch) != AS_OK;
            if (!fo.wrote_time && as_time_is_valid(e->res.time)) {
                rpt_json_key(&j, "time");
                rpt_json_time(&j, e->res.time);
            }
            rpt_json_obj_end(&j);
        }
        rpt_json_obj_end(&j);
        a->oom |= rpt_json_finish(&j) != 0;
        as_arena_reset(&scratch);
    }
    as_arena_fini(&scratch);
    cli_order_write(&job->ord, input, &a->out, &a->err);
    as_buf_clear(&a->out);
    as_buf_clear(&a->err);
}

static void in_end(void *ctx, void *accp, uint32_t input, const eng_stat *st)
{
    parse_job *job = ctx;
    parse_acc *a = accp;
    if (a) {
        const psr_input *pi = job->g.inputs[input];
        if (st->fault.code != AS_OK) {
            char msg[AS_ERR_MSG_MAX + 64];
            as_err_format(msg, sizeof msg, &st->fault, AS_SEV_ERROR);
            a->oom |= as_buf_printf(&a->err, "%s\n", msg) != 0;
        } else if (pi && psr_input_format(pi) == NULL && st->records > 0) {
            a->oom |= as_buf_printf(&a->err, "%s: warning: format not recognised: records are shown raw "
                                             "(give --format)\n", job->in->v[input].display) != 0;
        }
        cli_order_write(&job->ord, input, &a->out, &a->err);
        if (a->oom)
            atomic_store(&job->oom, 1);
        as_buf_fini(&a->out);
        as_buf_fini(&a->err);
        as_free(a);
    }
    cli_order_done(&job->ord, input);
}

static void parse_usage(FILE *f)
{
    fprintf(f, "usage: assay parse [OPTIONS] INPUTS...\n\n"
               "Prints every record as one JSON object per line:\n"
               "  {\"src\":PATH,\"line\":N,\"offset\":N,\"time\":RFC3339|null,\"fields\":{...}}\n"
               "Rejected records go to stderr as file:line:col: error: reason (code), then a summary.\n\n"
               "Options:\n"
               "  --fields a,b.c      only these fields (JSON paths for JSON formats)\n"
               "%s"
               "  -j, --jobs N        worker threads (default: number of cores)\n"
               "  --max-record N      longest record (default 1M); longer ones are rejected\n"
               "  --files-from FILE   read input paths from FILE (- = stdin)\n"
               "  -h, --help          this text\n\n"
               "Exit: 0 every input read whole (rejected records included), 2 usage error or an input\n"
               "that could not be read whole, 3 internal error.\n", cli_psr_help);
}

enum { OPT_FIELDS = 256, OPT_MAX_RECORD, OPT_FILES_FROM };

int cmd_parse(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "fields", required_argument, NULL, OPT_FIELDS },
        { "jobs", required_argument, NULL, 'j' },
        { "max-record", required_argument, NULL, OPT_MAX_RECORD },
        { "files-from", required_argument, NULL, OPT_FILES_FROM },
        { "help", no_argument, NULL, 'h' },
        CLI_PSR_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    static parse_job job;
    memset(&job, 0, sizeof job);
    cli_psr_opts po;
    memset(&po, 0, sizeof po);
    eng_opts eo = { 0 };
    eng_inputs in;
    eng_inputs_init(&in);
    as_err err;
    as_err_clear(&err);
    int rc = CLI_EXIT_INPUT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_FIELDS: {
            char *s = optarg;
            while (*s) {
                char *comma = strchr(s, ',');
                size_t len = comma ? (size_t)(comma - s) : strlen(s);
                if (len) {
                    if (job.n_fields == PARSE_MAX_FIELDS) {
                        cli_errf("--fields: at most %d fields", PARSE_MAX_FIELDS);
                        goto out;
                    }
                    job.fields[job.n_fields++] = (as_slice){ s, len };
                }
                s += len + (comma != NULL);
            }
            break;
        }
        case 'j':
            if (cli_parse_jobs(optarg, &eo.workers) != 0)
                goto out;
            break;
        case OPT_MAX_RECORD: {
            uint64_t v;
            if (cli_parse_size(optarg, &v) != 0 || v == 0) {
                cli_errf("--max-record '%s': expected a size such as 1M", optarg);
                goto out;
            }
            eo.max_record = (size_t)v;
            break;
        }
        case OPT_FILES_FROM:
            if (eng_inputs_add_list(&in, optarg, &err) != AS_OK) {
                cli_err(&err);
                goto out;
            }
            break;
        case 'h':
            parse_usage(stdout);
            rc = CLI_EXIT_OK;
            goto out;
        default: {
            int r = cli_psr_option(c, optarg, &po);
            if (r == 0)
                break;
            if (r > 0)
                parse_usage(stderr);
            goto out;
        }
        }
    }
    for (int i = optind; i < argc; i++)
        if (eng_inputs_add_arg(&in, argv[i], &err) != AS_OK) {
            cli_err(&err);
            goto out;
        }
    if (in.n == 0) {
        cli_errf("no inputs (see assay parse --help)");
        goto out;
    }
    eo.max_document = po.max_document;
    rc = cli_psr_setup(&job.g, &po, in.n, &in);
    if (rc != CLI_EXIT_OK)
        goto out;
    job.in = &in;
    if (cli_order_init(&job.ord, in.n, stdout, stderr) != 0) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        cli_psr_fini(&job.g);
        goto out;
    }
    eng_sink sink = { .ctx = &job, .worker_init = w_init, .worker_fini = w_fini,
                      .input_begin = in_begin, .on_batch = on_batch, .block_end = block_end,
                      .merge = merge, .input_end = in_end, .input_head = in_head,
                      .split_document = split_doc };
    eng_job *ej = eng_job_new(&in, &eo, &sink);
    if (ej == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
    } else {
        as_code jr = eng_job_run(ej, NULL, NULL, &err);
        int wfail = cli_order_fini(&job.ord);
        fflush(stdout);
        if (jr != AS_OK) {
            cli_err(&err);
            rc = CLI_EXIT_INTERNAL;
        } else {
            uint64_t recs = 0, acc = 0, rej = 0, incomplete = 0;
            uint64_t by[AS_ERR__COUNT] = { 0 };
            for (size_t i = 0; i < in.n; i++) {
                const eng_stat *st = eng_job_stat(ej, i);
                recs += st->records;
                acc += st->accepted;
                rej += st->rejected;
                incomplete += !st->complete;
                for (int k = 0; k < AS_ERR__COUNT; k++)
                    by[k] += st->rejected_by[k];
            }
            fprintf(stderr, "assay parse: %zu inputs, %llu records: %llu accepted, %llu rejected",
                    in.n, (unsigned long long)recs, (unsigned long long)acc, (unsigned long long)rej);
            const char *sep = " (";
            for (int k = 0; k < AS_ERR__COUNT; k++)
                if (by[k]) {
                    fprintf(stderr, "%s%s %llu", sep, as_err_name((as_code)k), (unsigned long long)by[k]);
                    sep = ", ";
                }
            fprintf(stderr, "%s%s\n", sep[0] == ',' ? ")" : "",
                    incomplete ? "; some inputs could not be read whole" : "");
            rc = incomplete ? CLI_EXIT_INPUT : CLI_EXIT_OK;
            if (atomic_load(&job.oom)) {
                cli_errf("out of memory while writing records");
                rc = CLI_EXIT_INTERNAL;
            }
            if (wfail || ferror(stdout)) {
                cli_errf("write error on output");
                rc = CLI_EXIT_INTERNAL;
            }
        }
        eng_job_free(ej);
    }
    if (ej == NULL)
        (void)cli_order_fini(&job.ord);
    cli_psr_fini(&job.g);
out:
    eng_inputs_fini(&in);
    return rc;
}
