/* cmd_plan.c: `assay plan`, how many items to test: the exact sample size
 * for a confidence, tolerable and expected rate (binomial, hypergeometric
 * with --population, Poisson for monetary-unit sampling), two-stage plans,
 * and the frequency conventions of periodic controls shown with the upper
 * limit they really give. Terminal: one short paragraph; --json: the schema
 * assay.plan/1 (docs/sampling.md). Exit 0, or 2 for a usage error.
 */
#include <getopt.h>  /* getopt_long */
#include <string.h>  /* strcmp */

#include "cli/cli_smp.h"
#include "report/rpt.h"

typedef struct plan_opts {
    smp_plan_req q;
    int          has_model, has_tdr, has_expected, json;
    int          has_freq;
    smp_freq     freq;
    long double  materiality, book_value, expected_misstatement;
    int          has_materiality;
    uint64_t     size;            /* --size with --frequency: judge a size of your own */
} plan_opts;

static void plan_usage(FILE *f)
{
    fprintf(f,
            "usage: assay plan --tolerable P [--confidence P] [--expected P | --expected-count K]\n"
            "                  [--population N] [--model binomial|hypergeometric|poisson] [--json]\n"
            "       assay plan --frequency F [--population N] [--confidence P] [--tolerable P] [--json]\n"
            "       assay plan --materiality AMOUNT --book-value AMOUNT [--expected-misstatement AMOUNT]\n\n"
            "The exact sample size for a test of controls. Percentages are numbers with at most\n"
            "two decimals, with or without %% (95, 97.5%%, 2.25). The smallest n is found by\n"
            "scanning n upward (the criterion is not monotone) and verified on integers at n and n-1.\n\n"
            "Options:\n"
            "  --confidence P       confidence (default 95): the risk of overreliance is 100 - P\n"
            "  --tolerable P        tolerable deviation rate (Poisson: tolerable misstatement)\n"
            "  --expected P         expected deviation rate (default 0); k(n) = ceil(n x P) exactly\n"
            "  --expected-count K   expect K deviations whatever n is\n"
            "  --population N       population size: the hypergeometric model, unless --model says otherwise;\n"
            "                       a population smaller than the sample is tested 100%%\n"
            "  --model M            binomial (default), hypergeometric or poisson\n"
            "  --tolerable-count-rounding ceil|floor\n"
            "                       K = TDR x N rounded up (default, jfa/EZ-Quant) or down (PracTools)\n"
            "  --stages 2           two-stage plan: 0 deviations accept, exactly 1 leads to a second\n"
            "                       sample of the same size that must be clean (up to 4 stages)\n"
            "  --frequency F        annual, quarterly, monthly, weekly, daily, multiple-daily: the\n"
            "                       practitioner convention and the upper limit it gives at 0 deviations\n"
            "  --size N             with --frequency: the limit for a sample size of your own\n"
            "  --materiality A      monetary-unit sampling (Poisson): tolerable misstatement as an amount,\n"
            "  --book-value A       of this total book value;\n"
            "  --expected-misstatement A  the misstatement expected (default 0)\n"
            "  --max-size N         search limit for n (default %u)\n"
            "  --json               JSON output (schema assay.plan/1)\n"
            "  -h, --help           this help\n\n"
            "Exit codes: 0 a plan; 2 usage error or no sample size meets the inputs.\n",
            SMP_PLAN_MAX_N);
}

static void pct_json(rpt_json *j, const char *key, uint32_t bp)
{
    rpt_json_key(j, key);
    rpt_json_num(j, bp / 100.0, 2);
}

static const char *prev_why_name(int w)
{
    switch (w) {
    case SMP_PREV_RISK:      return "risk_above";
    case SMP_PREV_K_TOO_BIG: return "n_not_above_k";
    case SMP_PREV_ONE:       return "n_is_1";
    default:                 return "none";
    }
}

/* ---- frequency conventions ---- */

static int plan_frequency(const plan_opts *o, as_buf *out)
{
    const smp_freq_row *r = smp_freq_row_get(o->freq);
    uint64_t N = o->q.N ? o->q.N : r->per_year;
    uint32_t conf = o->q.conf_bp;
    uint64_t sizes[3] = { r->n_low, r->n_high, o->size };
    long double ub[3] = { 0 };
    int full[3] = { 0 };
    for (int i = 0; i < 3; i++) {
        uint64_t n = sizes[i];
        if (n == 0)
            continue;
        if (N && n >= N) {
            full[i] = 1;
            ub[i] = 0.0L;
            continue;
        }
        if (N) {
            uint64_t K;
            if (smp_hyper_upper_count(0, n, N, conf, &K) != AS_OK)
                return -1;
            ub[i] = (long double)K / (long double)N;
        } else {
            ub[i] = smp_cp_upper(0, n, conf);
        }
    }
    /* the statistical size for the same population, when a tolerable rate is given */
    smp_plan sp = { 0 };
    int has_stat = 0;
    if (o->has_tdr) {
        smp_plan_req q = o->q;
        q.model = N ? SMP_MODEL_HYPERGEOMETRIC : SMP_MODEL_BINOMIAL;
        q.N = N;
        as_err e;
        as_err_clear(&e);
        if (smp_plan_compute(&q, &sp, &e) == AS_OK)
            has_stat = 1;
    }
    uint64_t n = o->size ? o->size : r->n_low;
    int n_full = N && n >= N;
    char c[16], a[32], t[16];
    cli_smp_bp_text(conf, c, sizeof c);
    if (out == NULL) {
        printf("Frequency convention (%s control", r->name);
        if (N)
            printf(", %llu occurrences a year%s", (unsigned long long)N, o->q.N ? "" : " assumed; --population sets it");
        printf("): practitioners test %llu", (unsigned long long)r->n_low);
        if (r->n_high != r->n_low)
            printf(" to %llu", (unsigned long long)r->n_high);
        printf(" (sampling.md B.6: %s). This is a convention, not a statistical table.\n", r->source);
        for (int i = 0; i < 3; i++) {
            if (sizes[i] == 0 || (i == 1 && r->n_high == r->n_low) || (i == 2 && (sizes[2] == r->n_low || sizes[2] == r->n_high)))
                continue;
            if (full[i]) {
                printf("  n = %llu tests every occurrence: no sampling risk.\n", (unsigned long long)sizes[i]);
                continue;
            }
            cli_smp_frac_text(ub[i], 2, a, sizeof a);
            printf("  n = %llu with 0 deviations shows, at %s confidence, only that the deviation rate is "
                   "below %s%s.\n",
                   (unsigned long long)sizes[i], c, a,
                   N ? " (exact hypergeometric limit)" : " (binomial limit, population unknown)");
        }
        if (has_stat) {
            cli_smp_bp_text(o->q.tdr_bp, t, sizeof t);
            if (sp.full)
                printf("  A statistical plan for a tolerable rate of %s needs all %llu occurrences (100%% testing).\n",
                       t, (unsigned long long)N);
            else
                printf("  A statistical plan for a tolerable rate of %s at %s confidence needs %llu items "
                       "(%s).\n", t, c, (unsigned long long)sp.n, N ? "hypergeometric" : "binomial");
        }
        if (n_full)
            printf("  The population (%llu) is not larger than the sample: test all of it.\n", (unsigned long long)N);
        return 0;
    }
    rpt_json j;
    rpt_json_init(&j, out, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.plan/1");
    rpt_json_key(&j, "model");
    rpt_json_cstr(&j, "frequency");
    rpt_json_key(&j, "frequency");
    rpt_json_cstr(&j, r->name);
    pct_json(&j, "confidence_pct", conf);
    rpt_json_key(&j, "population");
    if (N)
        rpt_json_u64(&j, N);
    else
        rpt_json_null(&j);
    rpt_json_key(&j, "population_assumed");
    rpt_json_bool(&j, o->q.N == 0 && N != 0);
    rpt_json_key(&j, "sample_size");
    rpt_json_u64(&j, n_full ? N : n);
    rpt_json_key(&j, "allowed_deviations");
    rpt_json_u64(&j, 0);
    rpt_json_key(&j, "full_testing");
    rpt_json_bool(&j, n_full);
    rpt_json_key(&j, "basis");
    rpt_json_cstr(&j, "convention");
    rpt_json_key(&j, "convention_range");
    rpt_json_arr_begin(&j);
    rpt_json_u64(&j, r->n_low);
    rpt_json_u64(&j, r->n_high);
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "sources");
    rpt_json_cstr(&j, r->source);
    rpt_json_key(&j, "upper_limit_at_zero");
    rpt_json_arr_begin(&j);
    for (int i = 0; i < 3; i++) {
        if (sizes[i] == 0 || (i == 1 && sizes[1] == sizes[0]) || (i == 2 && (sizes[2] == sizes[0] || sizes[2] == sizes[1])))
            continue;
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "sample_size");
        rpt_json_u64(&j, sizes[i]);
        rpt_json_key(&j, "upper_limit");
        rpt_json_num(&j, (double)ub[i], 6);
        rpt_json_key(&j, "method");
        rpt_json_cstr(&j, full[i] ? "census" : N ? "hypergeometric" : "binomial");
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "statistical_sample_size");
    if (has_stat)
        rpt_json_u64(&j, sp.n);
    else
        rpt_json_null(&j);
    rpt_json_obj_end(&j);
    return rpt_json_finish(&j);
}

/* ---- statistical plans ---- */

static void plan_text(const plan_opts *o, const smp_plan *p)
{
    const smp_plan_req *q = &o->q;
    char c[16], r[16], t[16], e[16], ub[32];
    cli_smp_bp_text(q->conf_bp, c, sizeof c);
    cli_smp_bp_text(SMP_BP - q->conf_bp, r, sizeof r);
    cli_smp_bp_text(q->tdr_bp, t, sizeof t);
    cli_smp_bp_text(q->edr_bp, e, sizeof e);
    cli_smp_frac_text(p->ub, 4, ub, sizeof ub);
    if (q->model == SMP_MODEL_POISSON) {
        char tm[32], em[32];
        if (o->has_materiality) {
            snprintf(tm, sizeof tm, "%.2Lf of %.2Lf", o->materiality, o->book_value);
            snprintf(em, sizeof em, "%.2Lf", o->expected_misstatement);
        } else {
            snprintf(tm, sizeof tm, "%s", t);
            snprintf(em, sizeof em, "%s", e);
        }
        printf("Monetary-unit sampling plan (Poisson, AICPA C-1): at %s confidence (%s risk of incorrect "
               "acceptance), a tolerable misstatement of %s and an expected misstatement of %s, select %llu "
               "monetary units",
               c, r, tm, em, (unsigned long long)p->n);
        if (o->has_materiality)
            printf(" (sampling interval %.2Lf)", o->book_value / (long double)p->n);
        printf("; the plan tolerates an expected taint of %.4Lf, and then the upper misstatement limit is %s.\n",
               p->expected_taint, ub);
        printf("Checked: Q(1 + n EM, n TM) = %.6Lf < %s at n = %llu", p->p_at_n, r, (unsigned long long)p->n);
        if (p->n > 1)
            printf(", %.6Lf at n = %llu", p->p_at_prev, (unsigned long long)(p->n - 1));
        printf(".\n");
        return;
    }
    const char *what = q->model == SMP_MODEL_HYPERGEOMETRIC ? "Hypergeometric" : "Binomial";
    printf("%s plan", what);
    if (q->model == SMP_MODEL_HYPERGEOMETRIC)
        printf(" (population %llu, %llu tolerable deviations = %s of N rounded %s)", (unsigned long long)q->N,
               (unsigned long long)p->K, t, q->kround == SMP_KROUND_CEIL ? "up" : "down");
    else
        printf(" (large population, AICPA A-1/A-2 rule)");
    printf(": at %s confidence (%s risk of overreliance) and a tolerable deviation rate of %s", c, r, t);
    if (q->has_count)
        printf(", expecting %llu deviations", (unsigned long long)q->expected_count);
    else
        printf(" with %s expected", e);
    if (p->full) {
        printf(", the sample (%llu) is not smaller than the population (%llu): test all %llu items (100%% testing, "
               "no sampling risk).\n",
               (unsigned long long)p->n_total, (unsigned long long)q->N, (unsigned long long)q->N);
        return;
    }
    if (q->stages > 1) {
        printf(", test %llu items; 0 deviations accept, exactly 1 leads to another %llu that must be clean "
               "(up to %llu items in %u stages).\n",
               (unsigned long long)p->n, (unsigned long long)p->n, (unsigned long long)p->n_total, q->stages);
        printf("Checked on integers: P(accept | %s) = %.6Lf <= %s at n = %llu", t, p->p_at_n, r,
               (unsigned long long)p->n);
        if (p->prev_why == SMP_PREV_RISK)
            printf(", %.6Lf at n = %llu", p->p_at_prev, (unsigned long long)(p->n - 1));
        printf(".\n");
        return;
    }
    printf(", test %llu items and allow %llu deviation%s; with %llu found the upper limit is %s.\n",
           (unsigned long long)p->n, (unsigned long long)p->k, p->k == 1 ? "" : "s", (unsigned long long)p->k, ub);
    printf("Checked on integers: P(X <= %llu | n = %llu) = %.6Lf <= %s", (unsigned long long)p->k,
           (unsigned long long)p->n, p->p_at_n, r);
    if (p->prev_why == SMP_PREV_RISK)
        printf("; at n = %llu (k = %llu) it is %.6Lf, above", (unsigned long long)(p->n - 1),
               (unsigned long long)p->k_prev, p->p_at_prev);
    else if (p->prev_why == SMP_PREV_K_TOO_BIG)
        printf("; n = %llu cannot allow k = %llu", (unsigned long long)(p->n - 1), (unsigned long long)p->k_prev);
    printf(".%s\n", p->verified ? "" : " VERIFICATION FAILED (a bug: please report it)");
    if (q->N && q->model == SMP_MODEL_BINOMIAL)
        printf("The binomial model ignores the population size (%llu); --model hypergeometric uses it.\n",
               (unsigned long long)q->N);
}

static int plan_json(const plan_opts *o, const smp_plan *p, as_buf *out)
{
    const smp_plan_req *q = &o->q;
    rpt_json j;
    rpt_json_init(&j, out, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.plan/1");
    rpt_json_key(&j, "model");
    rpt_json_cstr(&j, smp_model_name(q->model));
    pct_json(&j, "confidence_pct", q->conf_bp);
    pct_json(&j, "risk_pct", SMP_BP - q->conf_bp);
    if (q->model == SMP_MODEL_POISSON && o->has_materiality) {
        rpt_json_key(&j, "materiality");
        rpt_json_num(&j, (double)o->materiality, 2);
        rpt_json_key(&j, "book_value");
        rpt_json_num(&j, (double)o->book_value, 2);
        rpt_json_key(&j, "expected_misstatement");
        rpt_json_num(&j, (double)o->expected_misstatement, 2);
        rpt_json_key(&j, "sampling_interval");
        rpt_json_num(&j, (double)(o->book_value / (long double)p->n), 4);
    } else {
        pct_json(&j, "tolerable_pct", q->tdr_bp);
        rpt_json_key(&j, "expected_pct");
        if (q->has_count)
            rpt_json_null(&j);
        else
            rpt_json_num(&j, q->edr_bp / 100.0, 2);
        rpt_json_key(&j, "expected_count");
        if (q->has_count)
            rpt_json_u64(&j, q->expected_count);
        else
            rpt_json_null(&j);
    }
    rpt_json_key(&j, "population");
    if (q->N)
        rpt_json_u64(&j, q->N);
    else
        rpt_json_null(&j);
    rpt_json_key(&j, "tolerable_count_rounding");
    rpt_json_cstr(&j, q->model == SMP_MODEL_HYPERGEOMETRIC ? (q->kround == SMP_KROUND_CEIL ? "ceil" : "floor") : NULL);
    rpt_json_key(&j, "tolerable_deviations_in_population");
    if (q->model == SMP_MODEL_HYPERGEOMETRIC)
        rpt_json_u64(&j, p->K);
    else
        rpt_json_null(&j);
    rpt_json_key(&j, "sample_size");
    rpt_json_u64(&j, p->full ? q->N : p->n);
    rpt_json_key(&j, "allowed_deviations");
    if (q->model == SMP_MODEL_POISSON)
        rpt_json_num(&j, (double)p->expected_taint, 4);
    else
        rpt_json_u64(&j, p->k);
    rpt_json_key(&j, "stages");
    rpt_json_u64(&j, q->stages > 1 ? q->stages : 1);
    rpt_json_key(&j, "total_sample_size");
    rpt_json_u64(&j, p->full ? q->N : p->n_total);
    rpt_json_key(&j, "full_testing");
    rpt_json_bool(&j, p->full);
    rpt_json_key(&j, "planned_sample_size");
    rpt_json_u64(&j, p->n);
    rpt_json_key(&j, "upper_limit_at_allowed");
    rpt_json_num(&j, (double)p->ub, 8);
    rpt_json_key(&j, "verification");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "method");
    rpt_json_cstr(&j, q->model == SMP_MODEL_POISSON ? "recomputed in long double" : "exact integer arithmetic");
    rpt_json_key(&j, "n");
    rpt_json_u64(&j, p->n);
    rpt_json_key(&j, "k");
    rpt_json_u64(&j, p->k);
    rpt_json_key(&j, "p_at_n");
    rpt_json_num(&j, (double)p->p_at_n, 10);
    rpt_json_key(&j, "n_minus_1");
    rpt_json_u64(&j, p->n - 1);
    rpt_json_key(&j, "k_at_n_minus_1");
    rpt_json_u64(&j, p->k_prev);
    rpt_json_key(&j, "p_at_n_minus_1");
    if (p->prev_why == SMP_PREV_RISK)
        rpt_json_num(&j, (double)p->p_at_prev, 10);
    else
        rpt_json_null(&j);
    rpt_json_key(&j, "n_minus_1_fails_because");
    rpt_json_cstr(&j, prev_why_name(p->prev_why));
    rpt_json_key(&j, "verified");
    rpt_json_bool(&j, p->verified);
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "sizes_tried");
    rpt_json_u64(&j, p->tried);
    rpt_json_obj_end(&j);
    return rpt_json_finish(&j);
}

enum { OPT_CONF = 256, OPT_TDR, OPT_EDR, OPT_EDR_COUNT, OPT_POP, OPT_MODEL, OPT_KROUND, OPT_STAGES, OPT_FREQ,
       OPT_MAT, OPT_BOOK, OPT_EM, OPT_MAXN, OPT_JSON, OPT_SIZE };

int cmd_plan(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "confidence", required_argument, NULL, OPT_CONF },
        { "tolerable", required_argument, NULL, OPT_TDR },
        { "expected", required_argument, NULL, OPT_EDR },
        { "expected-count", required_argument, NULL, OPT_EDR_COUNT },
        { "population", required_argument, NULL, OPT_POP },
        { "model", required_argument, NULL, OPT_MODEL },
        { "tolerable-count-rounding", required_argument, NULL, OPT_KROUND },
        { "stages", required_argument, NULL, OPT_STAGES },
        { "frequency", required_argument, NULL, OPT_FREQ },
        { "materiality", required_argument, NULL, OPT_MAT },
        { "book-value", required_argument, NULL, OPT_BOOK },
        { "expected-misstatement", required_argument, NULL, OPT_EM },
        { "max-size", required_argument, NULL, OPT_MAXN },
        { "size", required_argument, NULL, OPT_SIZE },
        { "json", no_argument, NULL, OPT_JSON },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    plan_opts o;
    memset(&o, 0, sizeof o);
    o.q.conf_bp = 9500;
    o.q.stages = 1;
    int c, has_book = 0;
    uint64_t v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CONF:
            if (cli_smp_pct("--confidence", optarg, &o.q.conf_bp) != 0)
                return CLI_EXIT_INPUT;
            if (o.q.conf_bp == 0 || o.q.conf_bp >= SMP_BP) {
                cli_errf("--confidence '%s': must be above 0 and below 100", optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case OPT_TDR:
            if (cli_smp_pct("--tolerable", optarg, &o.q.tdr_bp) != 0)
                return CLI_EXIT_INPUT;
            o.has_tdr = 1;
            break;
        case OPT_EDR:
            if (cli_smp_pct("--expected", optarg, &o.q.edr_bp) != 0)
                return CLI_EXIT_INPUT;
            o.has_expected = 1;
            break;
        case OPT_EDR_COUNT:
            if (cli_smp_count("--expected-count", optarg, 1, &o.q.expected_count) != 0)
                return CLI_EXIT_INPUT;
            o.q.has_count = 1;
            break;
        case OPT_POP:
            if (cli_smp_count("--population", optarg, 0, &o.q.N) != 0)
                return CLI_EXIT_INPUT;
            break;
        case OPT_MODEL:
            if (cli_smp_model(optarg, &o.q.model) != 0)
                return CLI_EXIT_INPUT;
            o.has_model = 1;
            break;
        case OPT_KROUND:
            if (strcmp(optarg, "ceil") == 0)
                o.q.kround = SMP_KROUND_CEIL;
            else if (strcmp(optarg, "floor") == 0)
                o.q.kround = SMP_KROUND_FLOOR;
            else {
                cli_errf("--tolerable-count-rounding '%s': expected ceil or floor", optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case OPT_STAGES:
            if (cli_smp_count("--stages", optarg, 0, &v) != 0 || v > 4) {
                cli_errf("--stages '%s': expected 1 to 4", optarg);
                return CLI_EXIT_INPUT;
            }
            o.q.stages = (unsigned)v;
            break;
        case OPT_FREQ:
            if (smp_freq_from_name(optarg, &o.freq) != 0) {
                cli_errf("--frequency '%s': expected annual, quarterly, monthly, weekly, daily or multiple-daily",
                         optarg);
                return CLI_EXIT_INPUT;
            }
            o.has_freq = 1;
            break;
        case OPT_MAT:
            if (cli_smp_amount("--materiality", optarg, &o.materiality) != 0)
                return CLI_EXIT_INPUT;
            o.has_materiality = 1;
            break;
        case OPT_BOOK:
            if (cli_smp_amount("--book-value", optarg, &o.book_value) != 0)
                return CLI_EXIT_INPUT;
            has_book = 1;
            break;
        case OPT_EM:
            if (cli_smp_amount("--expected-misstatement", optarg, &o.expected_misstatement) != 0)
                return CLI_EXIT_INPUT;
            break;
        case OPT_MAXN:
            if (cli_smp_count("--max-size", optarg, 0, &o.q.max_n) != 0)
                return CLI_EXIT_INPUT;
            break;
        case OPT_SIZE:
            if (cli_smp_count("--size", optarg, 0, &o.size) != 0)
                return CLI_EXIT_INPUT;
            break;
        case OPT_JSON: o.json = 1; break;
        case 'h':
            plan_usage(stdout);
            return CLI_EXIT_OK;
        default:
            plan_usage(stderr);
            return CLI_EXIT_INPUT;
        }
    }
    if (optind < argc) {
        cli_errf("plan: unexpected argument '%s' (see assay plan --help)", argv[optind]);
        return CLI_EXIT_INPUT;
    }
    as_buf out = AS_BUF_INIT;
    int rc = CLI_EXIT_OK;
    if (o.has_freq) {
        if (o.has_expected || o.q.has_count || o.has_materiality || o.q.stages > 1) {
            cli_errf("--frequency takes only --population, --confidence, --tolerable and --size");
            return CLI_EXIT_INPUT;
        }
        if (plan_frequency(&o, o.json ? &out : NULL) != 0 || (o.json && cli_write(stdout, &out) != 0))
            rc = CLI_EXIT_INTERNAL;
        as_buf_fini(&out);
        return rc;
    }
    if (o.size) {
        cli_errf("--size goes with --frequency (assay evaluate judges a sample size of your own)");
        return CLI_EXIT_INPUT;
    }
    if (o.has_materiality) {
        if (!has_book || !(o.book_value > 0)) {
            cli_errf("--materiality needs --book-value (the population's total), above 0");
            return CLI_EXIT_INPUT;
        }
        if (o.has_model && o.q.model != SMP_MODEL_POISSON) {
            cli_errf("--materiality plans monetary-unit samples: the model is poisson");
            return CLI_EXIT_INPUT;
        }
        o.q.model = SMP_MODEL_POISSON;
        o.q.tm = o.materiality / o.book_value;
        o.q.em = o.expected_misstatement / o.book_value;
        if (!o.has_tdr)
            o.q.tdr_bp = 1;                           /* unused with tm; keeps the range check quiet */
    } else if (!o.has_tdr) {
        cli_errf("plan: --tolerable is required (or --frequency, or --materiality with --book-value)");
        return CLI_EXIT_INPUT;
    }
    if (!o.has_model && !o.has_materiality && o.q.N)
        o.q.model = SMP_MODEL_HYPERGEOMETRIC;
    if (o.has_expected && o.q.has_count) {
        cli_errf("give --expected (a rate) or --expected-count (a number of deviations), not both");
        return CLI_EXIT_INPUT;
    }
    smp_plan p;
    as_err e;
    as_err_clear(&e);
    as_code r = smp_plan_compute(&o.q, &p, &e);
    if (r != AS_OK) {
        cli_errf("plan: %s", e.msg[0] ? e.msg : as_err_text(r));
        return r == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
    }
    if (o.json) {
        if (plan_json(&o, &p, &out) != 0 || cli_write(stdout, &out) != 0)
            rc = CLI_EXIT_INTERNAL;
    } else {
        plan_text(&o, &p);
    }
    as_buf_fini(&out);
    if (!p.verified)
        rc = CLI_EXIT_INTERNAL;
    return rc;
}
