/* cli_report.c: report.html of a run's evidence folder: fills the report
 * model (report/rpt_html.h) from the run's results, inputs and coverage,
 * and writes it through the output folder (cli_evidence.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_evidence.h"
#include "report/rpt_html.h"

#define REPORT_FIRST_EXC   50    /* exceptions listed per control (the CSV has all) */
#define REPORT_MAX_DAYS    3660  /* coverage chart width cap (10 years) */
#define REPORT_SAMPLE_ITEMS 25   /* sampled items listed per control (sample.csv has all) */

typedef struct rb {
    as_arena ar;
    int      oom;
} rb;

static as_slice rb_dup(rb *b, const char *p, size_t n)
{
    char *q = as_arena_strndup(&b->ar, p ? p : "", n);
    if (q == NULL) {
        b->oom = 1;
        return as_slice_make("", 0);
    }
    return as_slice_make(q, n);
}

static as_slice rb_cstr(rb *b, const char *s)
{
    return rb_dup(b, s, s ? strlen(s) : 0);
}

static as_slice AS_PRINTF(2, 3) rb_fmt(rb *b, const char *f, ...)
{
    char *p;
    va_list ap;
    va_start(ap, f);
    int64_t n = as_arena_vprintf(&b->ar, &p, f, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return as_slice_make("", 0);
    }
    return as_slice_make(p, (size_t)n);
}

static void *rb_alloc(rb *b, size_t n)
{
    void *p = as_arena_alloc(&b->ar, n ? n : 1, 16);
    if (p == NULL)
        b->oom = 1;
    else
        memset(p, 0, n ? n : 1);
    return p;
}

static as_slice time_text(rb *b, as_time t)
{
    char s[AS_TIME_RFC3339_MAX];
    if (!as_time_is_valid(t))
        return as_slice_make("", 0);
    size_t n = as_time_format_utc(t, s);
    return rb_dup(b, s, n);
}

static int64_t day_of(int64_t sec)
{
    return sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
}

/* The coverage row of an input: the first two folders of its path below the
 * input folder ("web/www", "auth/db-01", "okta"), or its source's name. */
static size_t row_name(const char *rel, const char *source, char *out, size_t cap)
{
    const char *e = strrchr(rel, '/');
    if (e == NULL)
        return (size_t)snprintf(out, cap, "%s", source);
    const char *s1 = strchr(rel, '/');
    const char *end = s1 == e ? e : strchr(s1 + 1, '/');
    if (end == NULL || end > e)
        end = e;
    size_t n = (size_t)(end - rel);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, rel, n);
    out[n] = '\0';
    return n;
}

typedef struct covacc {
    char      name[256];
    uint64_t *per_day;
} covacc;

static int cmp_cov(const void *a, const void *b)
{
    return strcmp(((const covacc *)a)->name, ((const covacc *)b)->name);
}

static const rpt_sample *sample_model(rb *b, const rul_run *r, const rul_cresult *cr, const cli_sampling *smp,
                                      const cli_csample *cs)
{
    if (smp == NULL || !smp->on || cs == NULL || cs->n == 0)
        return NULL;
    rpt_sample *m = rb_alloc(b, sizeof *m);
    size_t shown = cs->n < REPORT_SAMPLE_ITEMS ? cs->n : REPORT_SAMPLE_ITEMS;
    rpt_exc *items = rb_alloc(b, shown * sizeof *items);
    if (m == NULL || items == NULL)
        return NULL;
    m->method = rb_cstr(b, cs->full ? "the whole population (it is not larger than the planned sample)"
                                    : "random: the records with the smallest HMAC-SHA256(seed, record_id) keys");
    m->seed = rb_cstr(b, smp->seed.text);
    m->algorithm = rb_fmt(b, "%s %d", SMP_ALGORITHM, SMP_ALGORITHM_VERSION);
    m->population = cs->N;
    m->size = cs->n;
    m->deviations = cs->x;
    m->allowed = cs->k;
    m->confidence_pct = smp->conf_bp / 100.0;
    m->tolerable_pct = smp->tdr_bp / 100.0;
    m->expected_pct = smp->edr_bp / 100.0;
    m->upper_limit_pct = (double)(cs->ub * 100);
    m->conclusion = rb_cstr(b, !cs->evaluated ? "" : cs->supports ? "supports" : "does_not_support");
    const char *keyopt = smp->seed.is_hex ? "hexkey" : "key";
    const char *keyval = smp->seed.is_hex ? smp->seed.text + 4 : smp->seed.text;
    m->reperform = rb_fmt(b,
        "assay sample --population %s/population.csv --method random --seed '%s' --size %llu\n"
        "# or with standard tools (docs/reperform.md): the %llu smallest keys of\n"
        "tail -n +2 %s/population.csv | cut -d, -f1 | tr -d '\\r' | while read -r id; do\n"
        "  printf '%%s %%s\\n' \"$(printf '%%s' \"$id\" | openssl dgst -sha256 -mac HMAC -macopt %s:'%s' |\n"
        "                      awk '{print substr($NF,1,16)}')\" \"$id\"\n"
        "done | LC_ALL=C sort | head -n %llu      # = sample.csv selection_key, record_id",
        cr->c->id, smp->seed.text, (unsigned long long)cs->n, (unsigned long long)cs->n, cr->c->id, keyopt, keyval,
        (unsigned long long)cs->n);
    for (size_t i = 0; i < shown; i++) {
        const rul_inst *e = &cr->inst[cs->idx[i]];
        rpt_exc *f = &items[i];
        f->id = e->id;
        f->key = e->key;
        f->time = time_text(b, e->time);
        f->result = rb_cstr(b, rul_result_name(e->result));
        f->reason = rb_cstr(b, e->reason);
        f->measured = e->measured;
        f->detail = e->detail;
        if (e->at.input == UINT32_MAX)
            f->where = rb_cstr(b, "");
        else if (e->at.line)
            f->where = rb_fmt(b, "%s:%llu", rul_run_input_display(r, e->at.input), (unsigned long long)e->at.line);
        else
            f->where = rb_cstr(b, rul_run_input_display(r, e->at.input));
    }
    m->items = items;
    m->n_items = shown;
    m->total_items = cs->n;
    return m;
}

int cli_report_run(cli_outdir *od, const rul_run *r, const char *digest_hex, const cli_sampling *smp,
                   const cli_csample *samples)
{
    rb b;
    as_arena_init(&b.ar, 1u << 20);
    b.oom = 0;
    const rul_set *s = rul_run_rules(r);
    rpt_report m;
    memset(&m, 0, sizeof m);
    as_time ps, pe;
    int given;
    rul_run_period(r, &ps, &pe, &given);
    char d0[AS_TIME_RFC3339_MAX], d1[AS_TIME_RFC3339_MAX];
    as_time_format_utc(ps, d0);
    as_time last = { .sec = pe.sec - 1, .flags = AS_TIME_VALID };
    as_time_format_utc(last, d1);
    m.title = rb_fmt(&b, "assay evidence: %.10s .. %.10s", d0, d1);
    m.assay_version = rb_fmt(&b, "assay %s (%s build)", ASSAY_VERSION, cli_build());
    m.period_start = time_text(&b, ps);
    m.period_end = time_text(&b, pe);
    m.period_given = given;
    m.digest = rb_cstr(&b, digest_hex);
    m.first_day = day_of(ps.sec);
    int64_t nd = day_of(pe.sec - 1) - m.first_day + 1;
    m.n_days = nd < 1 ? 1 : nd > REPORT_MAX_DAYS ? REPORT_MAX_DAYS : (size_t)nd;

    /* inputs and coverage rows */
    size_t ni = rul_run_n_inputs(r);
    rpt_input *in = rb_alloc(&b, ni * sizeof *in);
    covacc *cov = as_calloc(ni ? ni : 1, sizeof *cov);
    size_t ncov = 0;
    for (size_t i = 0; in && cov && i < ni; i++) {
        const eng_stat *st = rul_run_stat(r, i);
        uint64_t mask = rul_run_input_sources(r, i);
        char srcs[512] = "";
        size_t used = 0;
        const char *first_src = NULL;
        for (size_t k = 0; k < s->n_src && used < sizeof srcs - 80; k++)
            if (mask >> k & 1) {
                used += (size_t)snprintf(srcs + used, sizeof srcs - used, "%s%s", used ? ", " : "", s->src[k].name);
                if (first_src == NULL)
                    first_src = s->src[k].name;
            }
        rpt_input *x = &in[m.n_inputs++];
        x->path = rb_cstr(&b, rul_run_input_display(r, i));
        x->sources = rb_cstr(&b, srcs);
        x->format = rb_cstr(&b, rul_run_input_format(r, i));
        x->read = st != NULL;
        if (st) {
            char hex[2 * AS_SHA256_LEN + 1] = "";
            if (st->has_sha256)
                as_hex(st->sha256, AS_SHA256_LEN, hex);
            x->bytes = st->bytes_stored;
            x->sha256 = rb_cstr(&b, hex);
            x->records = st->records;
            x->rejected = st->rejected;
            x->complete = st->complete;
        }
        if (first_src == NULL || st == NULL)
            continue;
        /* the chart shows the sources that should have records every day
         * (continuous: true); without any such source, every input with times */
        int any_cont = 0, cont = 0;
        for (size_t k = 0; k < s->n_src; k++) {
            any_cont |= s->src[k].continuous;
            if (mask >> k & 1)
                cont |= s->src[k].continuous;
        }
        size_t ndays;
        (void)rul_run_input_days(r, i, &ndays);
        if ((any_cont && !cont) || ndays == 0)
            continue;
        char name[256];
        row_name(rul_run_input_rel(r, i), first_src, name, sizeof name);
        size_t k = 0;
        while (k < ncov && strcmp(cov[k].name, name) != 0)
            k++;
        if (k == ncov) {
            snprintf(cov[ncov].name, sizeof cov[ncov].name, "%s", name);
            cov[ncov].per_day = as_calloc(m.n_days, sizeof(uint64_t));
            if (cov[ncov].per_day == NULL) {
                b.oom = 1;
                break;
            }
            ncov++;
        }
        size_t nd2;
        const rul_daycount *dc = rul_run_input_days(r, i, &nd2);
        for (size_t d = 0; d < nd2; d++) {
            int64_t off = dc[d].day - m.first_day;
            if (off >= 0 && (size_t)off < m.n_days)
                cov[k].per_day[off] += dc[d].n;
        }
    }
    m.inputs = in;
    if (ncov > 1)
        qsort(cov, ncov, sizeof *cov, cmp_cov);
    rpt_covrow *rows = rb_alloc(&b, ncov * sizeof *rows);
    for (size_t k = 0; rows && k < ncov; k++) {
        rows[k].name = rb_cstr(&b, cov[k].name);
        rows[k].per_day = cov[k].per_day;
    }
    m.cov = rows;
    m.n_cov = rows ? ncov : 0;

    /* controls */
    size_t nc = rul_run_n_results(r);
    rpt_control *ctl = rb_alloc(&b, nc * sizeof *ctl);
    for (size_t i = 0; ctl && i < nc; i++) {
        const rul_cresult *cr = rul_run_result(r, i);
        const rul_control *c = cr->c;
        rpt_control *x = &ctl[m.n_controls++];
        char crit[256] = "";
        size_t used = 0;
        for (size_t k = 0; k < c->n_criteria && used < sizeof crit - 20; k++)
            used += (size_t)snprintf(crit + used, sizeof crit - used, "%s%s", k ? " " : "", c->criteria[k]);
        x->id = rb_cstr(&b, c->id);
        x->title = rb_cstr(&b, c->title);
        x->criteria = rb_cstr(&b, crit);
        x->frequency = rb_cstr(&b, c->frequency);
        x->severity = rb_cstr(&b, c->severity);
        x->test = rb_cstr(&b, rul_test_name(c->kind));
        x->description = rb_cstr(&b, c->description);
        x->rule_text = rb_cstr(&b, c->text);
        x->rule_where = rb_fmt(&b, "%s:%u", c->file, c->line);
        x->population = cr->n_inst;
        x->pass = cr->n_pass;
        x->exceptions = cr->n_exception;
        x->untestable = cr->n_untestable;
        x->duplicates = cr->n_dup;
        x->outside_period = cr->n_outside;
        x->verdict = rb_cstr(&b, rul_verdict(cr));
        x->exceptions_csv = rb_fmt(&b, "%s/exceptions.csv", c->id);
        /* reasons, exceptions per day, the first exceptions */
        rpt_kv *rs = rb_alloc(&b, 32 * sizeof *rs);
        uint64_t rc_n[32] = { 0 };
        const char *rc_name[32];
        size_t nrs = 0;
        uint64_t *per_day = rb_alloc(&b, m.n_days * sizeof *per_day);
        rpt_exc *first = rb_alloc(&b, REPORT_FIRST_EXC * sizeof *first);
        if (rs == NULL || per_day == NULL || first == NULL)
            break;
        for (size_t k = 0; k < cr->n_inst; k++) {
            const rul_inst *e = &cr->inst[k];
            if (e->result == RUL_PASS)
                continue;
            size_t q = 0;
            while (q < nrs && strcmp(rc_name[q], e->reason) != 0)
                q++;
            if (q == nrs && nrs < 32)
                rc_name[nrs++] = e->reason;
            if (q < nrs)
                rc_n[q]++;
            if (as_time_is_valid(e->time)) {
                int64_t off = day_of(e->time.sec) - m.first_day;
                if (off >= 0 && (size_t)off < m.n_days)
                    per_day[off]++;
            }
            if (x->n_first < REPORT_FIRST_EXC) {
                rpt_exc *f = &first[x->n_first++];
                f->id = e->id;
                f->key = e->key;
                f->time = time_text(&b, e->time);
                f->result = rb_cstr(&b, rul_result_name(e->result));
                f->reason = rb_cstr(&b, e->reason);
                f->measured = e->measured;
                f->detail = e->detail;
                if (e->at.input == UINT32_MAX)
                    f->where = rb_cstr(&b, "");
                else if (e->at.line)
                    f->where = rb_fmt(&b, "%s:%llu", rul_run_input_display(r, e->at.input),
                                      (unsigned long long)e->at.line);
                else
                    f->where = rb_fmt(&b, "%s (no record: an absence)", rul_run_input_display(r, e->at.input));
            }
        }
        for (size_t q = 0; q < nrs; q++) {
            rs[q].k = rb_cstr(&b, rc_name[q]);
            rs[q].v = rb_fmt(&b, "%llu", (unsigned long long)rc_n[q]);
        }
        x->reasons = rs;
        x->n_reasons = nrs;
        x->exc_per_day = per_day;
        x->first = first;
        x->sample = sample_model(&b, r, cr, smp, samples ? &samples[i] : NULL);
    }
    m.controls = ctl;

    static const char *const methods[][2] = {
        { "Populations", "Every record of every input a control's sources claim is parsed once; a control's "
                         "population is the records its where expression selects, inside the period (end "
                         "exclusive), after removing repeated deliveries of the same unique id (listed in "
                         "results.json). Nothing is sampled: each instance is tested." },
        { "Tests", "each: a predicate per instance. cadence: at least min counted events per group and period "
                   "bucket (an absence is an exception). followed_by / preceded_by: a matching event with the "
                   "same key inside the window (a late one is an exception that says how late). reconcile: "
                   "the key present on the other side. aggregate: a count or sum per key per sliding window. "
                   "docs/rules.md gives the exact semantics." },
        { "Untestable instances", "An instance whose key, time or test cannot be evaluated (a missing field, "
                                  "a time that does not parse) is untestable and counts as an exception with "
                                  "its own reason code." },
        { "Re-performance", "assay verify DIR re-hashes every input and output of this folder, runs the same "
                            "command again and compares every output byte for byte (start and end times "
                            "aside). Record ids are the first 16 hex digits of the input's SHA-256 and the "
                            "record's decompressed byte offset." },
        { "Digest", "The digest in the summary is the SHA-256 of manifest.json (sha256sum manifest.json), "
                    "which lists the SHA-256 of every input, rule file and output; SHA256SUMS covers every "
                    "file of the folder (sha256sum -c SHA256SUMS)." },
    };
    size_t nm = sizeof methods / sizeof methods[0];
    rpt_kv *mk = rb_alloc(&b, (nm + 1) * sizeof *mk);
    for (size_t i = 0; mk && i < nm; i++) {
        mk[i].k = rb_cstr(&b, methods[i][0]);
        mk[i].v = rb_cstr(&b, methods[i][1]);
    }
    if (mk) {
        mk[nm].k = rb_cstr(&b, "Tool");
        mk[nm].v = m.assay_version;
    }
    m.methods = mk;
    m.n_methods = mk ? nm + 1 : 0;

    int rc = -1;
    as_buf out;
    as_buf_init(&out);
    if (b.oom || rpt_html_report(&out, &m) != AS_OK) {
        cli_errf("out of memory writing report.html");
    } else {
        FILE *f = cli_outdir_open(od, "report.html");
        if (f) {
            int bad = fwrite(out.data, 1, out.len, f) != out.len;
            if (cli_outdir_close(od, f, "report.html") == 0 && !bad)
                rc = 0;
        }
    }
    as_buf_fini(&out);
    for (size_t k = 0; cov && k < ncov; k++)
        as_free(cov[k].per_day);
    as_free(cov);
    as_arena_fini(&b.ar);
    return rc;
}
