/* cmd_run.c: `assay run -r RULES... [INPUTS...]`: tests every control of a
 * rule set over the whole population, in one pass over each input
 * (rules/rul.h), prints a summary table and, with --out DIR, writes the
 * evidence: results.json and per control population.csv and
 * exceptions.csv (docs/rules.md), atomically (cli_outdir).
 * Exit: 0 no exceptions, 1 exceptions or untestable instances, 2 usage,
 * rule or input errors (an input not read whole, with no exception found),
 * 3 internal error, 130 interrupted.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>  /* getpid, fsync */

#include "cli/cli.h"
#include "cli/cli_evidence.h"
#include "cli/cli_psr.h"
#include "cli/cli_smp.h"
#include "rules/rul.h"

enum { OPT_OUT = 2000, OPT_SOURCE, OPT_FORCE, OPT_MAX_RECORD, OPT_JSON, OPT_SEED, OPT_CONF, OPT_TOL, OPT_EXP,
       OPT_STATE_IN, OPT_STATE_OUT };

static void run_usage(FILE *f)
{
    fputs("usage: assay run -r RULES [-r RULES...] [--period START..END] [-j N] [--out DIR [--force]]\n"
          "                 [--source NAME=PATH...] [--tz ZONE] [--year YYYY] [INPUTS...]\n"
          "\n"
          "Tests every control of the rule set over its sources: each input is read and parsed\n"
          "once for all controls. Inputs are files or folders; each source takes the inputs whose\n"
          "path below a folder matches its globs (docs/rules.md).\n"
          "\n"
          "  -r, --rules PATH       a rule file, or a folder of *.yaml rule files (repeatable)\n"
          "      --period S..E      the observation period (an end date includes its whole day)\n"
          "      --source NAME=PATH the inputs of source NAME, instead of its globs (repeatable)\n"
          "  -j, --jobs N           worker threads (default: all cores); results do not depend on it\n"
          "      --out DIR          write results.json and, per control, population.csv and\n"
          "                         exceptions.csv into DIR (written atomically)\n"
          "      --force            replace an existing DIR\n"
          "      --sample-seed SEED draw a sample of every control's population into DIR/<id>/sample.csv\n"
          "                         (random: HMAC-SHA256 keys of the record ids; SEED text, hex:..., or\n"
          "                         random: drawn from the OS and recorded in the manifest)\n"
          "      --sample-confidence PCT, --sample-tolerable PCT, --sample-expected PCT\n"
          "                         the sample size's plan (binomial, exact): default 95, 5, 0 (n = 59)\n"
          "      --json             print results.json on stdout instead of the table\n"
          "      --state-out FILE   also save what the run collected (facts, cells, accounting)\n"
          "      --state-in FILE    add the inputs of a saved state as already read (repeatable, in\n"
          "                         order): shards saved separately and loaded together give the\n"
          "                         results of one run over all their inputs (same rules and period)\n"
          "      --tz ZONE          zone of timestamps without one (default UTC)\n"
          "      --year YYYY        year of the first RFC 3164 syslog stamp (default: from --period)\n"
          "      --max-record SIZE  longest record (default 1M)\n"
          "  -q, --quiet            no summary table\n"
          "\n"
          "Exit status: 0 no exceptions, 1 exceptions found, 2 usage, rule or input error,\n"
          "3 internal error, 130 interrupted (nothing written).\n", f);
}

static rul_run *volatile g_run;
static volatile sig_atomic_t g_signal;

static void on_signal(int sig)
{
    g_signal = sig;
    rul_run *r = g_run;
    if (r)
        rul_run_cancel(r);
}

static void print_summary(const rul_run *r, FILE *f)
{
    static const unsigned right[] = { 0, 0, 1, 1, 1, 0 };
    cli_table t;
    if (cli_table_init(&t, 6, right) != 0)
        return;
    const char *h[] = { "control", "criteria", "population", "exceptions", "untestable", "verdict" };
    for (int i = 0; i < 6; i++)
        cli_table_add(&t, h[i]);
    for (size_t i = 0; i < rul_run_n_results(r); i++) {
        const rul_cresult *cr = rul_run_result(r, i);
        char crit[128] = "", n1[32], n2[32], n3[32];
        size_t used = 0;
        for (size_t k = 0; k < cr->c->n_criteria && used < sizeof crit - 20; k++)
            used += (size_t)snprintf(crit + used, sizeof crit - used, "%s%s", k ? " " : "", cr->c->criteria[k]);
        snprintf(n1, sizeof n1, "%zu", cr->n_inst);
        snprintf(n2, sizeof n2, "%llu", (unsigned long long)cr->n_exception);
        snprintf(n3, sizeof n3, "%llu", (unsigned long long)cr->n_untestable);
        cli_table_add(&t, cr->c->id);
        cli_table_add(&t, crit);
        cli_table_add(&t, n1);
        cli_table_add(&t, n2);
        cli_table_add(&t, n3);
        cli_table_add(&t, rul_verdict(cr));
    }
    cli_table_print(&t, f);
    cli_table_fini(&t);
}

int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "rules", required_argument, NULL, 'r' },
        { "jobs", required_argument, NULL, 'j' },
        { "out", required_argument, NULL, OPT_OUT },
        { "source", required_argument, NULL, OPT_SOURCE },
        { "force", no_argument, NULL, OPT_FORCE },
        { "json", no_argument, NULL, OPT_JSON },
        { "sample-seed", required_argument, NULL, OPT_SEED },
        { "state-in", required_argument, NULL, OPT_STATE_IN },
        { "state-out", required_argument, NULL, OPT_STATE_OUT },
        { "sample-confidence", required_argument, NULL, OPT_CONF },
        { "sample-tolerable", required_argument, NULL, OPT_TOL },
        { "sample-expected", required_argument, NULL, OPT_EXP },
        { "max-record", required_argument, NULL, OPT_MAX_RECORD },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        CLI_PSR_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    const char **rules = as_calloc((size_t)argc + 1, sizeof *rules);
    char **ovspec = as_calloc((size_t)argc + 1, sizeof *ovspec);
    const char **state_in = as_calloc((size_t)argc + 1, sizeof *state_in);
    rul_state **states = as_calloc((size_t)argc + 1, sizeof(rul_state *));
    const char *state_out = NULL;
    size_t n_rules = 0, n_ov = 0, n_state = 0;
    cli_psr_opts po;
    memset(&po, 0, sizeof po);
    rul_run_opts ro = { 0 };
    const char *out = NULL;
    int force = 0, quiet = 0, json = 0, rc = CLI_EXIT_INPUT;
    rul_set *s = NULL;
    rul_binding b;
    memset(&b, 0, sizeof b);
    rul_override *ov = NULL;
    rul_run *run = NULL;
    cli_outdir od = { 0 };
    cli_sampling smp = { .conf_bp = 9500, .tdr_bp = 500, .edr_bp = 0 };
    int od_open = 0, sig_set = 0;
    struct sigaction old_int, old_term;
    if (rules == NULL || ovspec == NULL || state_in == NULL || states == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto done;
    }
    optind = 1;
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, "r:j:qh", longopts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case 'r': rules[n_rules++] = optarg; break;
        case 'j':
            if (cli_parse_jobs(optarg, &ro.workers) != 0) {
                cli_errf("-j: expected a number of threads from 1 to %d, got '%s'", ENG_MAX_WORKERS, optarg);
                goto done;
            }
            break;
        case OPT_OUT: out = optarg; break;
        case OPT_SOURCE: ovspec[n_ov++] = optarg; break;
        case OPT_FORCE: force = 1; break;
        case OPT_JSON: json = 1; break;
        case OPT_STATE_IN: state_in[n_state++] = optarg; break;
        case OPT_STATE_OUT: state_out = optarg; break;
        case OPT_SEED:
            if (strcmp(optarg, "random") == 0 ? smp_seed_random(&smp.seed) != 0 : smp_seed_parse(optarg, &smp.seed) != 0) {
                cli_errf("--sample-seed '%s': a text of 1-64 bytes, hex:<up to 128 hex digits>, or random", optarg);
                goto done;
            }
            smp.on = 1;
            break;
        case OPT_CONF:
            if (cli_smp_pct("--sample-confidence", optarg, &smp.conf_bp) != 0)
                goto done;
            break;
        case OPT_TOL:
            if (cli_smp_pct("--sample-tolerable", optarg, &smp.tdr_bp) != 0)
                goto done;
            break;
        case OPT_EXP:
            if (cli_smp_pct("--sample-expected", optarg, &smp.edr_bp) != 0)
                goto done;
            break;
        case OPT_MAX_RECORD:
            if (cli_parse_size(optarg, &v) != 0 || v < 1 || v > (1ull << 30)) {
                cli_errf("--max-record: expected a size from 1 to 1G (e.g. 64K, 1M), got '%s'", optarg);
                goto done;
            }
            ro.max_record = (size_t)v;
            break;
        case 'q': quiet = 1; break;
        case 'h':
            run_usage(stdout);
            rc = CLI_EXIT_OK;
            goto done;
        default: {
            int x = cli_psr_option(c, optarg, &po);
            if (x == 0 && c != CLI_OPT_FORMAT && c != CLI_OPT_PATTERN && c != CLI_OPT_TIME_FIELD &&
                c != CLI_OPT_DELIMITER)
                break;
            if (x == 0)
                cli_errf("run: --format, --pattern, --time-field and --delimiter belong in the rule "
                         "file's sources (format:, time_field:)");
            else if (x > 0)
                run_usage(stderr);
            goto done;
        }
        }
    }
    if (smp.on && out == NULL) {
        cli_errf("run: --sample-seed needs --out DIR (the samples are evidence files)");
        goto done;
    }
    if (n_rules == 0) {
        cli_errf("run: give the rules with -r (a rule file or folder, e.g. -r controls/)");
        goto done;
    }
    s = rul_set_new();
    if (s == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto done;
    }
    for (size_t i = 0; i < n_rules; i++)
        if (rul_set_load(s, rules[i]) != AS_OK) {
            cli_errf("out of memory");
            rc = CLI_EXIT_INTERNAL;
            goto done;
        }
    if (rul_set_compile(s) != AS_OK) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto done;
    }
    if (s->n_errors) {
        rul_diag_print(stderr, s);
        cli_errf("run: %zu error%s in the rule set (assay lint shows the same)", s->n_errors,
                 s->n_errors == 1 ? "" : "s");
        goto done;
    }
    ov = as_calloc(n_ov ? n_ov : 1, sizeof *ov);
    if (ov == NULL) {
        rc = CLI_EXIT_INTERNAL;
        goto done;
    }
    for (size_t i = 0; i < n_ov; i++) {
        char *eq = strchr(ovspec[i], '=');
        if (eq == NULL || eq == ovspec[i] || eq[1] == '\0') {
            cli_errf("--source '%s': expected NAME=PATH", ovspec[i]);
            goto done;
        }
        *eq = '\0';
        ov[i].src = rul_set_source(s, ovspec[i]);
        ov[i].path = eq + 1;
        if (ov[i].src < 0) {
            cli_errf("--source: the rule set has no source '%s'", ovspec[i]);
            goto done;
        }
    }
    if (optind >= argc && n_ov == 0 && n_state == 0) {
        cli_errf("run: no input (give the data folder, files, or --source NAME=PATH)");
        goto done;
    }
    ro.period_start = po.p.period_start;
    ro.period_end = po.p.period_end;
    if (as_time_is_valid(ro.period_end) && (ro.period_end.flags & AS_TIME_DATE_ONLY))
        ro.period_end.sec += 1;  /* cli_psr made it the day's last second: exclusive end */
    else if (as_time_is_valid(ro.period_end))
        ro.period_end.sec += 1, ro.period_end.nsec = 0;
    ro.year = po.p.year;
    ro.tz_offset_min = po.p.tz_offset_min;
    as_err err;
    as_err_clear(&err);
    if (rul_bind(s, (const char *const *)argv + optind, (size_t)(argc - optind), ov, n_ov, &b, &err) != AS_OK) {
        cli_err(&err);
        rc = err.code == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
        goto done;
    }
    for (size_t i = 0; i < n_state; i++)
        if (rul_state_load(s, &ro, state_in[i], &b, &states[i], &err) != AS_OK) {
            cli_err(&err);
            rc = err.code == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
            goto done;
        }
    if (out) {
        if (cli_outdir_begin(&od, out, force) != 0)
            goto done;
        od_open = 1;
    }
    cli_run_info ri = { .argc = argc, .argv = argv, .started = cli_now() };
    run = rul_run_new(s, &b, &ro);
    if (run == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto done;
    }
    for (size_t i = 0; i < n_state; i++)
        if (rul_state_inject(run, states[i]) != AS_OK) {
            cli_errf("--state-in %s: damaged state file, or out of memory", state_in[i]);
            rc = CLI_EXIT_INPUT;
            goto done;
        }
    g_run = run;
    /* SIGINT/SIGTERM stop the run; the handler stays until the evidence is
     * renamed into place, so an interrupted run leaves no folder behind */
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sig_set = 1;
    as_code jrc = rul_run_exec(run, &err);
    g_run = NULL;
    if (g_signal || jrc == AS_ERR_INTERRUPTED) {
        cli_errf("interrupted: no evidence written%s", out ? " (the output folder was not created)" : "");
        rc = 130;
        goto done;
    }
    if (jrc != AS_OK) {
        cli_err(&err);
        rc = CLI_EXIT_INTERNAL;
        goto done;
    }
    if (state_out) {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.assay-tmp-%ld", state_out, (long)getpid());
        FILE *sf = fopen(tmp, "wbx");
        as_code src = sf ? rul_run_save(run, sf, &err) : AS_ERR_OPEN;
        if (sf && (fsync(fileno(sf)) != 0 || fclose(sf) != 0) && src == AS_OK)
            src = AS_ERR_WRITE;
        if (src != AS_OK || rename(tmp, state_out) != 0) {
            remove(tmp);
            cli_errf("--state-out %s: cannot write the state", state_out);
            rc = CLI_EXIT_INTERNAL;
            goto done;
        }
    }
    /* inputs: what was read, what was not */
    uint64_t records = 0, rejected = 0, incomplete = 0, n_read = 0, n_unbound = 0;
    for (size_t i = 0; i < rul_run_n_inputs(run); i++) {
        const eng_stat *st = rul_run_stat(run, i);
        if (rul_run_input_sources(run, i) == 0) {
            n_unbound++;  /* no source claimed it (perhaps after reading its first record) */
            continue;
        }
        if (st == NULL)
            continue;
        n_read++;
        records += st->records;
        rejected += st->rejected;
        if (!st->complete) {
            incomplete++;
            if (st->fault.code != AS_OK)
                cli_err(&st->fault);
            else
                cli_warnf("%s: not read whole", rul_run_input_display(run, i));
        }
    }
    uint64_t exc = 0;
    for (size_t i = 0; i < rul_run_n_results(run); i++)
        exc += rul_run_result(run, i)->n_exception + rul_run_result(run, i)->n_untestable;
    if (json) {
        if (rul_write_results_json(stdout, run, (const char *const *)argv, argc) != AS_OK) {
            rc = CLI_EXIT_INTERNAL;
            goto done;
        }
    } else if (!quiet) {
        as_time ps, pe;
        int given;
        rul_run_period(run, &ps, &pe, &given);
        char a[AS_TIME_RFC3339_MAX], z[AS_TIME_RFC3339_MAX];
        as_time_format_utc(ps, a);
        as_time_format_utc(pe, z);
        print_summary(run, stdout);
        printf("\n%zu control%s over %llu input%s (%llu records, %llu rejected), period %s .. %s (end exclusive%s)\n",
               rul_run_n_results(run), rul_run_n_results(run) == 1 ? "" : "s", (unsigned long long)n_read,
               n_read == 1 ? "" : "s", (unsigned long long)records, (unsigned long long)rejected, a, z,
               given ? "" : "; derived from the data: give --period");
        if (n_unbound)
            printf("%llu input%s matched no source (listed in results.json with no sources)\n",
                   (unsigned long long)n_unbound, n_unbound == 1 ? "" : "s");
        if (incomplete)
            printf("warning: %llu input%s could not be read whole: the population may be incomplete\n",
                   (unsigned long long)incomplete, incomplete == 1 ? "" : "s");
    }
    if (od_open) {
        char digest[2 * AS_SHA256_LEN + 1];
        ri.finished = cli_now();
        if (g_signal || cli_evidence_run(&od, run, &ri, &smp, digest) != 0 || g_signal || cli_outdir_commit(&od) != 0) {
            if (g_signal)
                cli_errf("interrupted: no evidence written (the output folder was not created)");
            rc = g_signal ? 130 : CLI_EXIT_INTERNAL;
            goto done;
        }
        od_open = 0;
        if (!quiet && !json)
            printf("evidence: %s (%s/report.html)\nmanifest sha256: %s\n", out, out, digest);
    }
    rc = exc ? CLI_EXIT_EXCEPTIONS : incomplete ? CLI_EXIT_INPUT : CLI_EXIT_OK;
done:
    if (od_open)
        cli_outdir_abort(&od);
    if (sig_set) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    rul_run_free(run);
    rul_binding_fini(&b);
    rul_set_free(s);
    as_free(ov);
    as_free(rules);
    as_free(ovspec);
    for (size_t i = 0; states && i < n_state; i++)
        rul_state_free(states[i]);
    as_free(states);
    as_free(state_in);
    return rc;
}
