/* cli_strata_eval.c: per-stratum counts, limits and the stratified bound of a
 * tested stratified sample (see cli_strata_eval.h).
 */
#include "cli/cli_strata_eval.h"

#include <stdio.h>   /* snprintf */
#include <string.h>  /* strrchr, memcpy */
#include <unistd.h>  /* access */

#include "cli/cli_json.h"
#include "cli/cli_smp.h"

/* The rows' results and labels, in row order. */
typedef struct rows {
    as_buf   kind;     /* one byte per row: CLI_SMP_* */
    as_buf   labels;   /* NUL-terminated labels, one per row */
    uint64_t n_labels, n_nonempty;
    int      bad;
} rows;

static void on_result(void *arg, uint64_t line, as_slice v)
{
    (void)line;
    rows *r = arg;
    char k = (char)cli_smp_result_kind(v);
    r->bad |= as_buf_putc(&r->kind, k);
}

static void on_label(void *arg, uint64_t line, as_slice v)
{
    (void)line;
    rows *r = arg;
    v = as_slice_trim(v);
    if (v.len >= 2 && v.ptr[0] == '\'' && strchr("=+-@\t\r", v.ptr[1]) != NULL)
        v = (as_slice){ v.ptr + 1, v.len - 1 };     /* rpt_csv's formula guard */
    r->bad |= as_buf_append(&r->labels, v.ptr ? v.ptr : "", v.len) || as_buf_putc(&r->labels, '\0');
    r->n_labels++;
    r->n_nonempty += v.len > 0;
}

/* N_h of each label from sample.json (0 when it cannot be used; why in s->why_no_N). */
static int load_N(cli_strata_eval *s, const char *path)
{
    cli_json d;
    if (cli_json_load(&d, path) != 0) {
        snprintf(s->why_no_N, sizeof s->why_no_N, "%.300s could not be read", path);
        return 0;
    }
    int ok = 1;
    const char *m = cli_json_str(&d, "algorithm.method");
    if (m == NULL || strcmp(m, "stratified") != 0) {
        snprintf(s->why_no_N, sizeof s->why_no_N, "%.300s is not a stratified selection", path);
        ok = 0;
    }
    for (size_t h = 0; ok && h < s->H; h++) {
        int found = 0;
        for (size_t i = 0;; i++) {
            char k[64];
            snprintf(k, sizeof k, "strata[%zu].label", i);
            const char *lab = cli_json_str(&d, k);
            if (lab == NULL)
                break;
            if (strcmp(lab, s->label[h]) != 0)
                continue;
            snprintf(k, sizeof k, "strata[%zu].N", i);
            int64_t N = cli_json_int(&d, k, -1);
            snprintf(k, sizeof k, "strata[%zu].n", i);
            int64_t n = cli_json_int(&d, k, -1);
            if (N < 0 || n < 0 || (uint64_t)n != s->n[h]) {
                snprintf(s->why_no_N, sizeof s->why_no_N,
                         "stratum %.100s: %.300s selected %lld items, the results have %llu rows", s->label[h], path,
                         (long long)n, (unsigned long long)s->n[h]);
                ok = 0;
            } else {
                s->N[h] = (uint64_t)N;
            }
            found = 1;
            break;
        }
        if (ok && !found) {
            snprintf(s->why_no_N, sizeof s->why_no_N, "stratum %.100s is not one of %.300s", s->label[h], path);
            ok = 0;
        }
    }
    cli_json_fini(&d);
    return ok;
}

int cli_strata_eval_run(const char *results, const char *column, const char *sample_json, uint32_t conf_bp,
                        uint32_t tdr_bp, cli_strata_eval *s)
{
    memset(s, 0, sizeof *s);
    rows r;
    memset(&r, 0, sizeof r);
    int present = 0, rc = -1;
    smp_tally t;
    smp_tally_init(&t);
    smp_tally_ent **sorted = NULL;
    if (cli_smp_csv_column_opt(results, "stratum", on_label, &r, &present) != 0)
        goto out;
    if (!present || r.n_nonempty == 0) {
        rc = 0;                                      /* not stratified */
        goto out;
    }
    if (cli_smp_csv_column(results, column, on_result, &r) != 0)
        goto out;
    if (r.bad || r.kind.len != r.n_labels) {
        cli_errf("%s: out of memory reading the strata", results);
        goto out;
    }
    const char *lab = r.labels.data;
    for (size_t i = 0; i < r.kind.len; i++) {
        size_t L = strlen(lab);
        int dev = r.kind.data[i] == CLI_SMP_DEVIATION || r.kind.data[i] == CLI_SMP_UNTESTABLE;
        if (smp_tally_add(&t, L ? (as_slice){ lab, L } : AS_SLICE_LIT("(empty)"), 1, (unsigned)dev) != AS_OK) {
            cli_errf("out of memory");
            goto out;
        }
        lab += L + 1;
    }
    sorted = smp_tally_sorted(&t);
    s->H = t.n;
    s->label = as_calloc(s->H, sizeof *s->label);
    s->n = as_calloc(s->H, sizeof *s->n);
    s->x = as_calloc(s->H, sizeof *s->x);
    s->N = as_calloc(s->H, sizeof *s->N);
    s->K = as_calloc(s->H, sizeof *s->K);
    s->ub = as_calloc(s->H, sizeof *s->ub);
    if (sorted == NULL || !s->label || !s->n || !s->x || !s->N || !s->K || !s->ub) {
        cli_errf("out of memory");
        goto out;
    }
    for (size_t h = 0; h < s->H; h++) {
        s->label[h] = as_strndup(sorted[h]->label, sorted[h]->label_len);
        s->n[h] = sorted[h]->count;
        s->x[h] = (uint64_t)sorted[h]->value;
        if (s->label[h] == NULL) {
            cli_errf("out of memory");
            goto out;
        }
    }
    /* sample.json: given, or beside the results */
    char beside[512];
    if (sample_json == NULL) {
        const char *slash = strrchr(results, '/');
        int dl = slash ? (int)(slash - results + 1) : 0;
        snprintf(beside, sizeof beside, "%.*ssample.json", dl, results);
        if (access(beside, R_OK) == 0)
            sample_json = beside;
        else
            snprintf(s->why_no_N, sizeof s->why_no_N, "no sample.json beside %.300s (give --sample)", results);
    }
    if (sample_json && load_N(s, sample_json)) {
        as_err err;
        as_err_clear(&err);
        if (smp_eval_strata(s->N, s->n, s->x, s->H, conf_bp, tdr_bp, s->K, &s->se, &err) != AS_OK) {
            snprintf(s->why_no_N, sizeof s->why_no_N, "%s", err.msg);
        } else {
            s->has_N = 1;
            snprintf(s->source, sizeof s->source, "%s", sample_json);
            for (size_t h = 0; h < s->H; h++)
                s->ub[h] = s->N[h] ? (long double)s->K[h] / (long double)s->N[h] : 1.0L;
        }
    }
    if (!s->has_N)
        for (size_t h = 0; h < s->H; h++)
            s->ub[h] = smp_cp_upper(s->x[h], s->n[h], conf_bp);
    rc = 0;
out:
    as_free(sorted);
    smp_tally_fini(&t);
    as_buf_fini(&r.kind);
    as_buf_fini(&r.labels);
    if (rc != 0)
        cli_strata_eval_fini(s);
    return rc;
}

void cli_strata_eval_fini(cli_strata_eval *s)
{
    for (size_t h = 0; s->label && h < s->H; h++)
        as_free(s->label[h]);
    as_free(s->label);
    as_free(s->n);
    as_free(s->x);
    as_free(s->N);
    as_free(s->K);
    as_free(s->ub);
    memset(s, 0, sizeof *s);
}

void cli_strata_eval_json(const cli_strata_eval *s, rpt_json *j)
{
    rpt_json_key(j, "strata");
    if (s->H == 0) {
        rpt_json_null(j);
    } else {
        rpt_json_arr_begin(j);
        for (size_t h = 0; h < s->H; h++) {
            rpt_json_obj_begin(j);
            rpt_json_key(j, "label");
            rpt_json_cstr(j, s->label[h]);
            rpt_json_key(j, "N");
            if (s->has_N)
                rpt_json_u64(j, s->N[h]);
            else
                rpt_json_null(j);
            rpt_json_key(j, "sample_size");
            rpt_json_u64(j, s->n[h]);
            rpt_json_key(j, "deviations");
            rpt_json_u64(j, s->x[h]);
            rpt_json_key(j, "upper_limit");
            rpt_json_num(j, (double)s->ub[h], 10);
            rpt_json_key(j, "upper_limit_count");
            if (s->has_N)
                rpt_json_u64(j, s->K[h]);
            else
                rpt_json_null(j);
            rpt_json_obj_end(j);
        }
        rpt_json_arr_end(j);
    }
    rpt_json_key(j, "stratified_bound");
    if (!s->has_N) {
        rpt_json_null(j);
        if (s->H) {
            rpt_json_key(j, "stratified_bound_missing");
            rpt_json_cstr(j, s->why_no_N);
        }
        return;
    }
    rpt_json_obj_begin(j);
    rpt_json_key(j, "method");
    rpt_json_cstr(j, "exact hypergeometric per stratum, Bonferroni split of the risk");
    rpt_json_key(j, "sample_json");
    rpt_json_cstr(j, s->source);
    rpt_json_key(j, "confidence_each_pct");
    rpt_json_num(j, s->se.conf_each_bp / 100.0, 2);
    rpt_json_key(j, "population");
    rpt_json_u64(j, s->se.N);
    rpt_json_key(j, "upper_limit_count");
    rpt_json_u64(j, s->se.K);
    rpt_json_key(j, "upper_limit");
    rpt_json_num(j, (double)s->se.ub, 10);
    rpt_json_key(j, "upper_limit_table_pct");
    rpt_json_num(j, (double)s->se.ub_table_pct, 1);
    rpt_json_key(j, "allocation");
    rpt_json_cstr(j, s->se.proportional ? "proportional" : "disproportionate");
    rpt_json_key(j, "conclusion");
    rpt_json_cstr(j, !s->se.has_conclusion ? NULL : s->se.supports ? "supports" : "does_not_support");
    rpt_json_obj_end(j);
}

void cli_strata_eval_print(const cli_strata_eval *s, uint32_t conf_bp, FILE *f)
{
    if (s->H == 0)
        return;
    char cb[16], ce[16], rb[16], ub[32];
    cli_smp_bp_text(conf_bp, cb, sizeof cb);
    cli_smp_bp_text(SMP_BP - conf_bp, rb, sizeof rb);
    fprintf(f, "By stratum (%s):\n", s->has_N ? s->source : "sizes unknown");
    for (size_t h = 0; h < s->H; h++) {
        cli_smp_frac_text(s->ub[h], 2, ub, sizeof ub);
        if (s->has_N)
            fprintf(f, "  %-16s N %10llu  tested %6llu  deviations %5llu  upper limit %s (%llu of %llu)\n",
                    s->label[h], (unsigned long long)s->N[h], (unsigned long long)s->n[h],
                    (unsigned long long)s->x[h], ub, (unsigned long long)s->K[h], (unsigned long long)s->N[h]);
        else
            fprintf(f, "  %-16s tested %6llu  deviations %5llu  upper limit %s (Clopper-Pearson at %s)\n",
                    s->label[h], (unsigned long long)s->n[h], (unsigned long long)s->x[h], ub, cb);
    }
    if (!s->has_N) {
        fprintf(f, "No stratified bound: %s; the pooled evaluation above treats the sample as one.\n", s->why_no_N);
        return;
    }
    cli_smp_bp_text(s->se.conf_each_bp, ce, sizeof ce);
    cli_smp_frac_text(s->se.ub, 4, ub, sizeof ub);
    fprintf(f, "Stratified bound (each stratum exact at %s, the %s risk split over %zu strata): at most %llu of "
               "%llu items deviate, an upper limit of %s. ",
            ce, rb, s->H, (unsigned long long)s->se.K, (unsigned long long)s->se.N, ub);
    if (s->se.proportional)
        fprintf(f, "The allocation is proportional, so the pooled evaluation stands; this bound is shown for "
                   "reference.\n");
    else
        fprintf(f, "The allocation is not proportional (minimums per stratum or a chosen design), so the pooled "
                   "sample is not self-weighting: the conclusion comes from this bound%s, unless --pooled is "
                   "given.\n",
                !s->se.has_conclusion ? "" : s->se.supports ? " and it supports reliance" : " and it does NOT support reliance");
}
