/* cmd_evaluate.c: `assay evaluate`, what a tested sample means: the exact
 * one-sided upper deviation limit (Clopper-Pearson for the binomial, the
 * exact hypergeometric limit for a finite population, Poisson/Stringer for
 * monetary-unit samples), the AICPA table value (rounded up to 0.1 point),
 * and the conclusion against the tolerable rate with the sampling risk.
 * From counts (--size, --deviations) or from a tested sample.csv
 * (--results FILE --column result; a stratified sample is also evaluated
 * per stratum, cli_strata_eval.c). Terminal: a short paragraph; --json:
 * assay.evaluate/1. Exit 0 supports reliance (or no tolerable rate given),
 * 1 does not support it, 2 usage or input error.
 */
#include <getopt.h>   /* getopt_long */
#include <stdlib.h>   /* strtold */
#include <string.h>   /* strcmp, strchr */

#include "cli/cli_smp.h"
#include "cli/cli_strata_eval.h"
#include "report/rpt.h"

#define EVAL_MAX_TAINTS 64  /* --taints entries (Stringer) */

static void eval_usage(FILE *f)
{
    fprintf(f,
            "usage: assay evaluate --size N --deviations X [--confidence P] [--tolerable P] [--population N]\n"
            "                      [--model binomial|hypergeometric|poisson] [--taints T,T,...] [--json]\n"
            "       assay evaluate --results sample.csv [--column result] [--tolerable P] ...\n\n"
            "The exact one-sided upper deviation limit of a tested sample, the AICPA table value\n"
            "(the limit rounded up to 0.1 percentage point) and the conclusion against the\n"
            "tolerable rate: the sample supports reliance iff P(X <= x | tolerable rate) <= risk.\n\n"
            "Options:\n"
            "  --confidence P       confidence (default 95); the risk of overreliance is 100 - P\n"
            "  --size N             items tested\n"
            "  --deviations X       deviations found (untestable items count as deviations)\n"
            "  --results FILE       a tested sample.csv: every row is an item, its --column says\n"
            "  --column NAME        pass (pass, passed, ok, yes) or a deviation (exception, deviation,\n"
            "                       fail, failed, no, untestable); default result\n"
            "  --tolerable P        tolerable deviation rate: gives the conclusion\n"
            "  --population N       finite population: the hypergeometric limit (unless --model)\n"
            "  --model M            binomial (default), hypergeometric or poisson\n"
            "  --tolerable-count-rounding ceil|floor   K = TDR x N for the hypergeometric p-value\n"
            "  --taints T,T,...     poisson: the taint of each misstatement (0 < t <= 1): Stringer bound\n"
            "  --planned-deviations K  the deviations the plan allowed: says when more were found\n"
            "  --sample FILE        the selection's sample.json (default: beside --results): the strata\n"
            "                       sizes for per-stratum limits and the stratified bound\n"
            "  --pooled             conclude on the pooled sample even when the strata were not\n"
            "                       allocated proportionally (by default the stratified bound decides)\n"
            "  --json               JSON output (schema assay.evaluate/1)\n"
            "  -h, --help           this help\n\n"
            "Exit codes: 0 supports reliance (or no --tolerable); 1 does not support it; 2 usage error.\n");
}

typedef struct res_count {
    const char *path;
    uint64_t    n, x, untestable;
    int         bad;
} res_count;

static void count_result(void *arg, uint64_t line, as_slice v)
{
    res_count *c = arg;
    if (c->bad)
        return;
    switch (cli_smp_result_kind(v)) {
    case CLI_SMP_PASS:
        c->n++;
        return;
    case CLI_SMP_DEVIATION:
        c->n++;
        c->x++;
        return;
    case CLI_SMP_UNTESTABLE:
        c->n++;
        c->x++;
        c->untestable++;
        return;
    case CLI_SMP_EMPTY:
        cli_errf("%s:%llu: the result is empty: test every item before evaluating (an item that cannot be "
                 "tested counts as a deviation: untestable)", c->path, (unsigned long long)line);
        break;
    default:
        v = as_slice_trim(v);
        cli_errf("%s:%llu: the result '%.*s%s' is not pass, exception or untestable", c->path,
                 (unsigned long long)line, (int)AS_MIN(v.len, 40), v.ptr, v.len > 40 ? "..." : "");
        break;
    }
    c->bad = 1;
}

static void pct_key(rpt_json *j, const char *k, uint32_t bp)
{
    rpt_json_key(j, k);
    rpt_json_num(j, bp / 100.0, 2);
}

enum { OPT_CONF = 256, OPT_SIZE, OPT_DEV, OPT_RESULTS, OPT_COLUMN, OPT_TDR, OPT_POP, OPT_MODEL, OPT_KROUND,
       OPT_TAINTS, OPT_PLANNED, OPT_JSON, OPT_SAMPLE, OPT_POOLED };

int cmd_evaluate(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "confidence", required_argument, NULL, OPT_CONF },
        { "size", required_argument, NULL, OPT_SIZE },
        { "deviations", required_argument, NULL, OPT_DEV },
        { "results", required_argument, NULL, OPT_RESULTS },
        { "column", required_argument, NULL, OPT_COLUMN },
        { "tolerable", required_argument, NULL, OPT_TDR },
        { "population", required_argument, NULL, OPT_POP },
        { "model", required_argument, NULL, OPT_MODEL },
        { "tolerable-count-rounding", required_argument, NULL, OPT_KROUND },
        { "taints", required_argument, NULL, OPT_TAINTS },
        { "planned-deviations", required_argument, NULL, OPT_PLANNED },
        { "sample", required_argument, NULL, OPT_SAMPLE },
        { "pooled", no_argument, NULL, OPT_POOLED },
        { "json", no_argument, NULL, OPT_JSON },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    smp_eval_req q = { .model = SMP_MODEL_BINOMIAL, .conf_bp = 9500 };
    const char *results = NULL, *column = "result", *sample_json = NULL;
    int has_n = 0, has_x = 0, has_model = 0, json = 0, has_planned = 0, pooled = 0, c;
    uint64_t planned = 0;
    long double taints[EVAL_MAX_TAINTS];
    size_t n_taints = 0;
    int has_taints = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CONF:
            if (cli_smp_pct("--confidence", optarg, &q.conf_bp) != 0)
                return CLI_EXIT_INPUT;
            if (q.conf_bp == 0 || q.conf_bp >= SMP_BP) {
                cli_errf("--confidence '%s': must be above 0 and below 100", optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case OPT_SIZE:
            if (cli_smp_count("--size", optarg, 0, &q.n) != 0)
                return CLI_EXIT_INPUT;
            has_n = 1;
            break;
        case OPT_DEV:
            if (cli_smp_count("--deviations", optarg, 1, &q.x) != 0)
                return CLI_EXIT_INPUT;
            has_x = 1;
            break;
        case OPT_RESULTS: results = optarg; break;
        case OPT_COLUMN: column = optarg; break;
        case OPT_SAMPLE: sample_json = optarg; break;
        case OPT_POOLED: pooled = 1; break;
        case OPT_TDR:
            if (cli_smp_pct("--tolerable", optarg, &q.tdr_bp) != 0)
                return CLI_EXIT_INPUT;
            if (q.tdr_bp == 0 || q.tdr_bp >= SMP_BP) {
                cli_errf("--tolerable '%s': must be above 0 and below 100", optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case OPT_POP:
            if (cli_smp_count("--population", optarg, 0, &q.N) != 0)
                return CLI_EXIT_INPUT;
            break;
        case OPT_MODEL:
            if (cli_smp_model(optarg, &q.model) != 0)
                return CLI_EXIT_INPUT;
            has_model = 1;
            break;
        case OPT_KROUND:
            if (strcmp(optarg, "ceil") == 0)
                q.kround = SMP_KROUND_CEIL;
            else if (strcmp(optarg, "floor") == 0)
                q.kround = SMP_KROUND_FLOOR;
            else {
                cli_errf("--tolerable-count-rounding '%s': expected ceil or floor", optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case OPT_TAINTS: {
            const char *p = optarg;
            has_taints = 1;
            while (*p) {
                char *end;
                if (n_taints == EVAL_MAX_TAINTS) {
                    cli_errf("--taints: at most %d", EVAL_MAX_TAINTS);
                    return CLI_EXIT_INPUT;
                }
                long double t = strtold(p, &end);
                if (end == p || !(t > 0.0L && t <= 1.0L) || (*end != ',' && *end != '\0')) {
                    cli_errf("--taints '%s': expected numbers above 0 and at most 1, separated by commas", optarg);
                    return CLI_EXIT_INPUT;
                }
                taints[n_taints++] = t;
                p = *end ? end + 1 : end;
            }
            break;
        }
        case OPT_PLANNED:
            if (cli_smp_count("--planned-deviations", optarg, 1, &planned) != 0)
                return CLI_EXIT_INPUT;
            has_planned = 1;
            break;
        case OPT_JSON: json = 1; break;
        case 'h':
            eval_usage(stdout);
            return CLI_EXIT_OK;
        default:
            eval_usage(stderr);
            return CLI_EXIT_INPUT;
        }
    }
    if (optind < argc) {
        cli_errf("evaluate: unexpected argument '%s' (see assay evaluate --help)", argv[optind]);
        return CLI_EXIT_INPUT;
    }
    res_count rc_ = { .path = results };
    if (results) {
        if (has_n || has_x) {
            cli_errf("give --results, or --size with --deviations, not both");
            return CLI_EXIT_INPUT;
        }
        if (cli_smp_csv_column(results, column, count_result, &rc_) != 0 || rc_.bad)
            return CLI_EXIT_INPUT;
        if (rc_.n == 0) {
            cli_errf("%s: no tested items", results);
            return CLI_EXIT_INPUT;
        }
        q.n = rc_.n;
        q.x = rc_.x;
    } else if (sample_json) {
        cli_errf("--sample goes with --results (the strata of a tested sample.csv)");
        return CLI_EXIT_INPUT;
    } else if (!has_n || !has_x) {
        cli_errf("evaluate: give --size N and --deviations X, or --results sample.csv");
        return CLI_EXIT_INPUT;
    }
    if (!has_model && q.N)
        q.model = SMP_MODEL_HYPERGEOMETRIC;
    if (has_taints) {
        if (q.model != SMP_MODEL_POISSON) {
            cli_errf("--taints go with --model poisson (monetary-unit samples)");
            return CLI_EXIT_INPUT;
        }
        if (n_taints != q.x) {
            cli_errf("--taints: %zu given for %llu misstatements", n_taints, (unsigned long long)q.x);
            return CLI_EXIT_INPUT;
        }
        q.taints = taints;
    }
    smp_eval e;
    as_err err;
    as_err_clear(&err);
    as_code r = smp_eval_compute(&q, &e, &err);
    if (r != AS_OK) {
        cli_errf("evaluate: %s", err.msg[0] ? err.msg : as_err_text(r));
        return r == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
    }
    cli_strata_eval st;
    memset(&st, 0, sizeof st);
    if (results && cli_strata_eval_run(results, column, sample_json, q.conf_bp, q.tdr_bp, &st) != 0)
        return CLI_EXIT_INPUT;
    /* a disproportionate stratified sample is concluded on its stratified bound */
    int by_strata = st.has_N && !st.se.proportional && !pooled;
    int has_conclusion = by_strata ? st.se.has_conclusion : e.has_conclusion;
    int supports = by_strata ? st.se.supports : e.supports;
    int exceeds = has_planned && q.x > planned;
    char cb[16], rb[16], tb[16], ub[32], ml[32], pr[32];
    cli_smp_bp_text(q.conf_bp, cb, sizeof cb);
    cli_smp_bp_text(SMP_BP - q.conf_bp, rb, sizeof rb);
    cli_smp_bp_text(q.tdr_bp, tb, sizeof tb);
    cli_smp_frac_text(e.ub, 6, ub, sizeof ub);
    cli_smp_frac_text(e.mle, 4, ml, sizeof ml);
    cli_smp_frac_text(e.precision, 4, pr, sizeof pr);
    if (json) {
        as_buf out = AS_BUF_INIT;
        rpt_json j;
        rpt_json_init(&j, &out, 1);
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "schema");
        rpt_json_cstr(&j, "assay.evaluate/1");
        rpt_json_key(&j, "model");
        rpt_json_cstr(&j, smp_model_name(q.model));
        rpt_json_key(&j, "method");
        rpt_json_cstr(&j, q.model == SMP_MODEL_BINOMIAL ? "clopper-pearson"
                          : q.model == SMP_MODEL_HYPERGEOMETRIC ? "exact hypergeometric (largest K not rejected)"
                          : q.taints ? "stringer" : "poisson");
        pct_key(&j, "confidence_pct", q.conf_bp);
        pct_key(&j, "sampling_risk_pct", SMP_BP - q.conf_bp);
        rpt_json_key(&j, "sample_size");
        rpt_json_u64(&j, q.n);
        rpt_json_key(&j, "deviations");
        rpt_json_u64(&j, q.x);
        rpt_json_key(&j, "untestable");
        if (results)
            rpt_json_u64(&j, rc_.untestable);
        else
            rpt_json_null(&j);
        rpt_json_key(&j, "population");
        if (q.N)
            rpt_json_u64(&j, q.N);
        else
            rpt_json_null(&j);
        rpt_json_key(&j, "upper_limit");
        rpt_json_num(&j, (double)e.ub, 10);
        rpt_json_key(&j, "upper_limit_pct");
        rpt_json_num(&j, (double)(100.0L * e.ub), 6);
        rpt_json_key(&j, "upper_limit_table_pct");
        rpt_json_num(&j, (double)e.ub_table_pct, 1);
        rpt_json_key(&j, "upper_limit_count");
        if (q.model == SMP_MODEL_HYPERGEOMETRIC)
            rpt_json_u64(&j, e.ub_count);
        else
            rpt_json_null(&j);
        rpt_json_key(&j, "most_likely");
        rpt_json_num(&j, (double)e.mle, 10);
        rpt_json_key(&j, "precision");
        rpt_json_num(&j, (double)e.precision, 10);
        rpt_json_key(&j, "tolerable_pct");
        if (e.has_conclusion)
            rpt_json_num(&j, q.tdr_bp / 100.0, 2);
        else
            rpt_json_null(&j);
        rpt_json_key(&j, "p_value");
        if (e.has_conclusion)
            rpt_json_num(&j, (double)e.p_value, 10);
        else
            rpt_json_null(&j);
        rpt_json_key(&j, "conclusion");
        rpt_json_cstr(&j, !has_conclusion ? NULL : supports ? "supports" : "does_not_support");
        rpt_json_key(&j, "conclusion_from");
        rpt_json_cstr(&j, !has_conclusion ? NULL : by_strata ? "stratified_bound" : "pooled");
        rpt_json_key(&j, "planned_deviations");
        if (has_planned)
            rpt_json_u64(&j, planned);
        else
            rpt_json_null(&j);
        rpt_json_key(&j, "exceeds_plan");
        rpt_json_bool(&j, exceeds);
        cli_strata_eval_json(&st, &j);
        rpt_json_obj_end(&j);
        int w = rpt_json_finish(&j) != 0 || cli_write(stdout, &out) != 0;
        as_buf_fini(&out);
        if (w) {
            cli_strata_eval_fini(&st);
            return CLI_EXIT_INTERNAL;
        }
    } else {
        const char *how = q.model == SMP_MODEL_BINOMIAL ? "binomial, exact Clopper-Pearson"
                          : q.model == SMP_MODEL_HYPERGEOMETRIC ? "exact hypergeometric"
                          : q.taints ? "Poisson, Stringer bound" : "Poisson";
        printf("Evaluation (%s): %llu deviation%s in %llu items", how, (unsigned long long)q.x, q.x == 1 ? "" : "s",
               (unsigned long long)q.n);
        if (results && rc_.untestable)
            printf(" (%llu untestable, counted as deviations)", (unsigned long long)rc_.untestable);
        if (q.model == SMP_MODEL_HYPERGEOMETRIC)
            printf(" from a population of %llu", (unsigned long long)q.N);
        printf(". At %s confidence the upper deviation limit is %s", cb, ub);
        if (q.model == SMP_MODEL_HYPERGEOMETRIC)
            printf(" (%llu of %llu)", (unsigned long long)e.ub_count, (unsigned long long)q.N);
        printf(" (AICPA table form %.1Lf%%); the most likely rate is %s and the allowance for sampling risk %s.\n",
               e.ub_table_pct, ml, pr);
        if (e.has_conclusion)
            printf("Against a tolerable rate of %s the sample %s reliance on the control: P(X <= %llu | %s) = %.6Lf "
                   "%s the %s risk of overreliance.\n",
                   tb, e.supports ? "supports" : "does NOT support", (unsigned long long)q.x, tb, e.p_value,
                   e.supports ? "<=" : ">", rb);
        else
            printf("No --tolerable rate given: no conclusion.\n");
        if (exceeds)
            printf("More deviations (%llu) were found than the plan allowed (%llu): the planning assumptions "
                   "did not hold, whatever the limit says.\n",
                   (unsigned long long)q.x, (unsigned long long)planned);
        cli_strata_eval_print(&st, q.conf_bp, stdout);
    }
    cli_strata_eval_fini(&st);
    return has_conclusion && !supports ? CLI_EXIT_EXCEPTIONS : CLI_EXIT_OK;
}
