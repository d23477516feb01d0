/* cli_psr.c: the glue between the engine and the parsers that the commands
 * reading records share (parse, scan): the parser options on the command
 * line, choosing each input's format and framing from its head, cutting
 * whole documents into records, and writing per-input output in input order
 * while inputs are processed concurrently.
 */
#include "cli/cli_psr.h"

#include <stdlib.h>    /* strtoll */
#include <string.h>    /* strcmp, strchr, memcpy */
#include <sys/stat.h>  /* stat: the year a file was last written */

/* ---- options ---- */

static int parse_period_end(const char *s, size_t n, int tz, int is_end, as_time *out)
{
    as_time t;
    if (as_time_parse_any((as_slice){ s, n }, tz, &t, NULL) != n || n == 0)
        return -1;
    if (is_end && (t.flags & AS_TIME_DATE_ONLY))
        t.sec += 86400 - 1;                        /* an end date includes its whole day */
    *out = t;
    return 0;
}

int cli_psr_option(int id, const char *arg, cli_psr_opts *o)
{
    switch (id) {
    case CLI_OPT_FORMAT:
        if (strcmp(arg, "auto") != 0 && psr_format_find(arg) == NULL) {
            cli_errf("unknown format '%s' (assay formats lists them)", arg);
            return -1;
        }
        o->format = arg;
        return 0;
    case CLI_OPT_TZ:
        if (as_tz_parse(as_slice_cstr(arg), &o->p.tz_offset_min) != 0) {
            cli_errf("--tz '%s': expected UTC, Z or an offset such as +02:00 or -0500", arg);
            return -1;
        }
        return 0;
    case CLI_OPT_YEAR: {
        char *end;
        long long y = strtoll(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || y < 1 || y > 9999) {
            cli_errf("--year '%s': expected a year 1..9999", arg);
            return -1;
        }
        o->p.year = y;
        return 0;
    }
    case CLI_OPT_PERIOD: {
        const char *dots = strstr(arg, "..");
        if (dots == NULL ||
            parse_period_end(arg, (size_t)(dots - arg), o->p.tz_offset_min, 0, &o->p.period_start) != 0 ||
            parse_period_end(dots + 2, strlen(dots + 2), o->p.tz_offset_min, 1, &o->p.period_end) != 0 ||
            as_time_cmp(o->p.period_start, o->p.period_end) > 0) {
            cli_errf("--period '%s': expected START..END, e.g. 2026-01-01..2026-06-30", arg);
            return -1;
        }
        return 0;
    }
    case CLI_OPT_PATTERN:
        o->p.pattern = arg;
        return 0;
    case CLI_OPT_TIME_FIELD:
        o->p.time_field = arg;
        return 0;
    case CLI_OPT_DELIMITER:
        if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
            o->p.csv_delim = '\t';
        else if (strlen(arg) == 1 && strchr(",;|\t", arg[0]))
            o->p.csv_delim = arg[0];
        else {
            cli_errf("--delimiter '%s': expected , ; | or tab", arg);
            return -1;
        }
        return 0;
    case CLI_OPT_MAX_DOCUMENT: {
        uint64_t v;
        if (cli_parse_size(arg, &v) != 0 || v == 0) {
            cli_errf("--max-document '%s': expected a size such as 256M", arg);
            return -1;
        }
        o->max_document = (size_t)v;
        return 0;
    }
    default:
        return 1;
    }
}

const char *cli_psr_help =
    "  --format F          the format of every input: auto (default: sniffed per input), combined,\n"
    "                      common, syslog, jsonl, cloudtrail, json, csv, regex (assay formats)\n"
    "  --pattern RE        a PCRE2 pattern with named groups (implies --format regex)\n"
    "  --time-field NAME   the field holding the event time (a JSON path, CSV column or group)\n"
    "  --tz ZONE           zone of timestamps written without one: UTC (default), +02:00, -0500\n"
    "  --year YYYY         year of the first RFC 3164 syslog stamp (default: from --period, else\n"
    "                      from the year each file was last written)\n"
    "  --period S..E       the observation period, e.g. 2026-01-01..2026-06-30\n"
    "  --delimiter C       CSV delimiter: , ; | or tab (default: sniffed)\n"
    "  --max-document N    largest JSON document (cloudtrail, json) read whole (default 256M)\n";

/* ---- inputs ---- */

int cli_psr_setup(cli_psr *g, const cli_psr_opts *o, size_t n_inputs, const eng_inputs *in)
{
    memset(g, 0, sizeof *g);
    as_err err;
    as_err_clear(&err);
    g->ctx = psr_ctx_new(&o->p, o->format, &err);
    if (g->ctx == NULL) {
        if (err.loc.col)
            cli_errf("--pattern: column %llu: %s", (unsigned long long)err.loc.col, err.msg);
        else
            cli_errf("%s", err.msg[0] ? err.msg : "out of memory");
        return err.code == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
    }
    g->inputs = as_calloc(n_inputs ? n_inputs : 1, sizeof *g->inputs); // NOLINT(bugprone-sizeof-expression): an array of pointers
    g->years = as_calloc(n_inputs ? n_inputs : 1, sizeof *g->years);
    if (g->inputs == NULL || g->years == NULL) {
        cli_psr_fini(g);
        cli_errf("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    g->n = n_inputs;
    for (size_t i = 0; i < n_inputs; i++) {
        struct stat sb;
        const char *path = in->v[i].path;
        if (strcmp(path, "-") != 0 && stat(path, &sb) == 0) {
            int64_t days = (int64_t)sb.st_mtime / 86400 - ((int64_t)sb.st_mtime % 86400 < 0);
            int64_t y;
            unsigned m, d;
            as_civil_from_days(days, &y, &m, &d);
            g->years[i] = y;
        }
    }
    return CLI_EXIT_OK;
}

void cli_psr_fini(cli_psr *g)
{
    if (g->inputs)
        for (size_t i = 0; i < g->n; i++)
            psr_input_free(g->inputs[i]);
    as_free(g->inputs);
    as_free(g->years);
    psr_ctx_free(g->ctx);
    memset(g, 0, sizeof *g);
}

eng_framing cli_psr_head(cli_psr *g, uint32_t input, as_slice head)
{
    psr_input *pi = psr_input_new(g->ctx, head, g->years[input]);
    g->inputs[input] = pi;      /* read by workers only after this input's first block is queued */
    if (pi == NULL)
        return ENG_FRAME_LINES;
    switch (psr_input_framing(pi)) {
    case PSR_FRAME_QUOTED:   return ENG_FRAME_QUOTED;
    case PSR_FRAME_DOCUMENT: return ENG_FRAME_DOCUMENT;
    default:                 return ENG_FRAME_LINES;
    }
}

void cli_psr_split_document(const eng_blockctx *bc, as_slice doc, eng_emitter *em)
{
    enum { BATCH = 256 };
    eng_item items[BATCH];
    size_t n = 0;
    psr_doc_iter it;
    psr_doc_rec r;
    psr_doc_init(&it, doc, bc->arena);
    while (psr_doc_next(&it, &r)) {
        eng_item *x = &items[n++];
        x->rec = (as_rec){ .input = bc->input, .n_lines = r.n_lines, .offset = bc->offset + r.offset,
                           .line = r.line, .raw = r.raw };
        x->code = r.code;
        x->col = (uint32_t)AS_MIN(r.err_col, UINT32_MAX);
        if (n == BATCH) {
            eng_emit(em, items, n);
            n = 0;
        }
    }
    eng_emit(em, items, n);
}

/* ---- ordered output ---- */

int cli_order_init(cli_order *o, size_t n_inputs, FILE *out, FILE *err)
{
    memset(o, 0, sizeof *o);
    o->out = out;
    o->err = err;
    o->n = n_inputs;
    o->sp = as_calloc(n_inputs ? n_inputs : 1, sizeof *o->sp);
    if (o->sp == NULL)
        return -1;
    pthread_mutex_init(&o->mu, NULL);
    return 0;
}

static int copy_spool(FILE *from, FILE *to)
{
    char buf[1 << 16];
    size_t k;
    if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
        return -1;
    while ((k = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, k, to) != k)
            return -1;
    fclose(from);
    return 0;
}

static void flush_current(cli_order *o)
{
    while (o->cur < o->n) {
        cli_spool *s = &o->sp[o->cur];
        if (s->out && copy_spool(s->out, o->out) != 0)
            o->failed = 1;
        if (s->err && copy_spool(s->err, o->err) != 0)
            o->failed = 1;
        s->out = s->err = NULL;
        if (!s->done)
            break;
        o->cur++;
    }
}

void cli_order_write(cli_order *o, size_t input, const as_buf *out, const as_buf *err)
{
    pthread_mutex_lock(&o->mu);
    cli_spool *s = &o->sp[input];
    FILE *fo = o->out, *fe = o->err;
    if (input != o->cur) {
        if (out->len && s->out == NULL)
            s->out = tmpfile();
        if (err->len && s->err == NULL)
            s->err = tmpfile();
        fo = s->out;
        fe = s->err;
    }
    if (out->len && (fo == NULL || fwrite(out->data, 1, out->len, fo) != out->len))
        o->failed = 1;
    if (err->len && (fe == NULL || fwrite(err->data, 1, err->len, fe) != err->len))
        o->failed = 1;
    pthread_mutex_unlock(&o->mu);
}

void cli_order_done(cli_order *o, size_t input)
{
    pthread_mutex_lock(&o->mu);
    o->sp[input].done = 1;
    if (input == o->cur) {
        o->cur++;
        flush_current(o);
    }
    pthread_mutex_unlock(&o->mu);
}

int cli_order_fini(cli_order *o)
{
    pthread_mutex_lock(&o->mu);
    for (size_t i = o->cur; i < o->n; i++) {   /* inputs that never ended (a job-fatal error) */
        o->sp[i].done = 1;
    }
    flush_current(o);
    pthread_mutex_unlock(&o->mu);
    pthread_mutex_destroy(&o->mu);
    as_free(o->sp);
    int failed = o->failed;
    memset(o, 0, sizeof *o);
    return failed ? -1 : 0;
}
