/* cmd_verify.c: `assay verify`, re-performance from a manifest.
 *
 *   assay verify sample.json   re-performs a selection (`assay sample`) from
 *                              what sample.json recorded and says whether it
 *                              is identical, naming the first difference
 *   assay verify DIR           an evidence folder: re-hashes its inputs and
 *                              outputs, re-runs its command, compares
 *                              (cli_verify_dir.c, docs/evidence.md)
 *
 * A sample is re-performed by running the same selection job again
 * (cli_sample.c) on the population files, then comparing, in this order:
 * the algorithm and its version, each input's SHA-256 and the population
 * digest, N, the number of items, each item's record id and selection key,
 * and the record ids in sample.csv beside sample.json (its other columns
 * are the tester's to fill in). Exit 0 identical, 1 a difference, 2 usage or
 * input error, 3 internal error.
 */
#include <getopt.h>    /* getopt_long */
#include <stdio.h>     /* fopen */
#include <string.h>    /* strcmp, strrchr */
#include <sys/stat.h>  /* stat: folder or file */

#include "cli/cli_evidence.h"
#include "cli/cli_json.h"
#include "cli/cli_sample.h"
#include "cli/cli_smp.h"

#define VERIFY_MAX_POP CLI_SAMPLE_MAX_INPUTS

static void verify_usage(FILE *f)
{
    fprintf(f, "usage: assay verify sample.json [--population FILE]... [-j N]\n"
               "       assay verify DIR            (an evidence folder: docs/evidence.md)\n\n"
               "Re-performs the selection sample.json records (population, method, seed or start,\n"
               "size, strata) and says whether it is identical, naming the first difference.\n\n"
               "Options:\n"
               "  --population FILE   read the population here instead of the recorded paths\n"
               "                      (repeatable, in the recorded order): its SHA-256 must still match\n"
               "  -j, --jobs N        worker threads\n"
               "  -q, --quiet         print only differences\n"
               "  -h, --help          this help\n\n"
               "Exit codes: 0 identical; 1 a difference (named on stdout); 2 usage or input error;\n"
               "3 internal error.\n");
}

/* An evidence folder: cli_verify_dir.c (docs/evidence.md). */
static int cmd_verify_dir(const char *dir)
{
    return cli_verify_dir(dir, 0);
}

typedef struct csv_cmp {
    const cli_sample_res *r;
    size_t                i;
    int                   differs;
    char                  msg[512];
} csv_cmp;

static void csv_cmp_fn(void *arg, uint64_t line, as_slice id)
{
    csv_cmp *c = arg;
    if (c->differs)
        return;
    if (id.len >= 2 && id.ptr[0] == '\'' && strchr("=+-@\t\r", id.ptr[1]))
        id = (as_slice){ id.ptr + 1, id.len - 1 };    /* rpt_csv's formula guard */
    if (c->i >= c->r->n) {
        snprintf(c->msg, sizeof c->msg, "sample.csv line %llu: an item (%.*s) the re-performed selection does not have",
                 (unsigned long long)line, (int)AS_MIN(id.len, 200), id.ptr);
        c->differs = 1;
        return;
    }
    as_slice want = cli_sample_item_str(c->r->items[c->i], 0);
    if (!as_slice_eq(id, want)) {
        snprintf(c->msg, sizeof c->msg, "sample.csv line %llu: record_id %.*s, the re-performed selection has %.*s",
                 (unsigned long long)line, (int)AS_MIN(id.len, 200), id.ptr, (int)AS_MIN(want.len, 200), want.ptr);
        c->differs = 1;
    }
    c->i++;
}

/* ---- sample.json ---- */

static int differ(const char *json_path, const char *msg)
{
    printf("assay verify: %s: DIFFERENT: %s\n", json_path, msg);
    return CLI_EXIT_EXCEPTIONS;
}

static int options_from_json(cli_json *d, cli_sample_opts *o, const char *const *pop, size_t n_pop)
{
    const char *m = cli_json_str(d, "algorithm.method");
    if (m == NULL || cli_sample_method_from(m, &o->method) != 0) {
        cli_errf("sample.json: algorithm.method is missing or unknown");
        return -1;
    }
    const char *seed = cli_json_str(d, "seed.text"), *start = cli_json_str(d, "start");
    if (seed) {
        if (smp_seed_parse(seed, &o->seed) != 0) {
            cli_errf("sample.json: seed.text is not a valid seed");
            return -1;
        }
        o->has_seed = 1;
    } else if (start) {
        uint64_t v = 0, den = 1;
        int dot = 0, digits = 0;
        for (const char *p = start; *p; p++) {
            if (*p == '.' && !dot) {
                dot = 1;
                continue;
            }
            if (*p < '0' || *p > '9') {
                cli_errf("sample.json: start is not a number");
                return -1;
            }
            v = v * 10 + (uint64_t)(*p - '0');
            digits++;
            den *= dot ? 10 : 1;
        }
        if (!digits)
            return -1;
        o->has_start = 1;
        o->start_num = v;
        o->start_den = den;
        o->start_text = start;
    } else {
        cli_errf("sample.json: neither a seed nor a start is recorded");
        return -1;
    }
    int64_t size = cli_json_int(d, "size_requested", -1);
    if (size < 1) {
        cli_errf("sample.json: size_requested is missing");
        return -1;
    }
    o->size = (uint64_t)size;
    const char *strata = cli_json_str(d, "options.strata");
    if (strata) {
        o->strata_text = strata;
        if (smp_period_from_name(strata, &o->period) == 0)
            o->strata = 1;
        else {
            o->strata = 2;
            o->strata_field = strata;
        }
    }
    o->min_per_stratum = (uint64_t)cli_json_int(d, "options.min_per_stratum", 1);
    o->value_field = cli_json_str(d, "options.value");
    as_val cells = cli_json_get(d, "options.cells");
    o->mus_cells = cells.type == AS_V_BOOL && cells.u.b;
    o->key_field = cli_json_str(d, "options.key");
    o->po.format = cli_json_str(d, "options.format");
    o->po.p.tz_offset_min = (int)cli_json_int(d, "options.tz_offset_min", 0);
    o->po.p.year = cli_json_int(d, "options.year", 0);
    o->po.p.time_field = cli_json_str(d, "options.time_field");
    o->po.p.pattern = cli_json_str(d, "options.pattern");
    const char *dl = cli_json_str(d, "options.delimiter");
    o->po.p.csv_delim = (char)(dl && dl[0] ? dl[0] : 0);
    if (n_pop) {
        for (size_t i = 0; i < n_pop; i++)
            o->pop[o->n_pop++] = pop[i];
        return 0;
    }
    char key[64];
    for (size_t i = 0; i < VERIFY_MAX_POP; i++) {
        snprintf(key, sizeof key, "population.inputs[%zu].path", i);
        const char *p = cli_json_str(d, key);
        if (p == NULL)
            break;
        o->pop[o->n_pop++] = p;
    }
    if (o->n_pop == 0) {
        cli_errf("sample.json: population.inputs lists no file");
        return -1;
    }
    return 0;
}

static int verify_sample(const char *path, const char *const *pop, size_t n_pop, unsigned workers, int quiet)
{
    cli_json d;
    if (cli_json_load(&d, path) != 0) {
        cli_json_fini(&d);
        return CLI_EXIT_INPUT;
    }
    int rc = CLI_EXIT_INPUT;
    static cli_sample_opts o;
    memset(&o, 0, sizeof o);
    o.workers = workers;
    o.quiet = 1;
    cli_sample_res r;
    memset(&r, 0, sizeof r);
    const char *schema = cli_json_str(&d, "schema");
    if (schema == NULL || strcmp(schema, "assay.sample/1") != 0) {
        cli_errf("%s: not a sample.json (schema assay.sample/1); an evidence folder is given as a folder", path);
        goto out;
    }
    const char *algo = cli_json_str(&d, "algorithm.name");
    int64_t ver = cli_json_int(&d, "algorithm.version", -1);
    if (algo == NULL || strcmp(algo, SMP_ALGORITHM) != 0 || ver != SMP_ALGORITHM_VERSION) {
        char msg[256];
        snprintf(msg, sizeof msg, "made by algorithm %.60s version %lld; this assay implements %s version %d",
                 algo ? algo : "(none)", (long long)ver, SMP_ALGORITHM, SMP_ALGORITHM_VERSION);
        rc = differ(path, msg);
        goto out;
    }
    if (options_from_json(&d, &o, pop, n_pop) != 0)
        goto out;
    rc = cli_sample_run(&o, &r);
    if (rc != CLI_EXIT_OK)
        goto out;
    char key[96], hex[AS_SHA256_HEX], msg[4600];
    for (size_t i = 0; i < r.n_in; i++) {
        snprintf(key, sizeof key, "population.inputs[%zu].sha256", i);
        const char *want = cli_json_str(&d, key);
        as_hex(r.in[i].sha256, AS_SHA256_LEN, hex);
        if (want == NULL || strcmp(want, hex) != 0) {
            snprintf(msg, sizeof msg, "population input %zu (%.4000s) has SHA-256 %s; sample.json recorded %.64s: the "
                                      "population changed", i + 1, r.in[i].path, hex, want ? want : "(nothing)");
            rc = differ(path, msg);
            goto out;
        }
    }
    const char *dg = cli_json_str(&d, "population.digest");
    if (dg == NULL || strcmp(dg, r.digest) != 0) {
        snprintf(msg, sizeof msg, "the population digest is %s; sample.json recorded %.64s (inputs added or removed?)",
                 r.digest, dg ? dg : "(nothing)");
        rc = differ(path, msg);
        goto out;
    }
    int64_t N = cli_json_int(&d, "population.N", -1);
    if (N < 0 || (uint64_t)N != r.N) {
        snprintf(msg, sizeof msg, "the population has %llu items; sample.json recorded %lld", (unsigned long long)r.N,
                 (long long)N);
        rc = differ(path, msg);
        goto out;
    }
    for (size_t i = 0;; i++) {
        snprintf(key, sizeof key, "items[%zu].record_id", i);
        const char *id = cli_json_str(&d, key);
        if (id == NULL && i == r.n)
            break;
        if (id == NULL || i >= r.n) {
            if (id)
                snprintf(msg, sizeof msg, "item %zu: sample.json has %.200s, the re-performed selection ends at %llu "
                                          "items", i + 1, id, (unsigned long long)r.n);
            else
                snprintf(msg, sizeof msg, "sample.json lists %zu items, the re-performed selection has %llu", i,
                         (unsigned long long)r.n);
            rc = differ(path, msg);
            goto out;
        }
        as_slice got = cli_sample_item_str(r.items[i], 0);
        char gk[64];
        cli_sample_key_text(&o, r.items[i], gk, sizeof gk);
        snprintf(key, sizeof key, "items[%zu].selection_key", i);
        const char *wk = cli_json_str(&d, key);
        if (!as_slice_eq_cstr(got, id) || wk == NULL || strcmp(wk, gk) != 0) {
            snprintf(msg, sizeof msg, "item %zu: sample.json has %.200s (selection key %.40s), the re-performed "
                                      "selection has %.*s (selection key %s)", i + 1, id, wk ? wk : "?",
                     (int)AS_MIN(got.len, 200), got.ptr, gk);
            rc = differ(path, msg);
            goto out;
        }
    }
    /* sample.csv beside sample.json: its record ids, in order */
    char csv[4200];
    const char *slash = strrchr(path, '/');
    snprintf(csv, sizeof csv, "%.*ssample.csv", slash ? (int)(slash - path + 1) : 0, path);
    FILE *cf = fopen(csv, "rb");
    int csv_note = 0;
    if (cf) {
        fclose(cf);
        csv_cmp cc = { .r = &r };
        if (cli_smp_csv_column(csv, "record_id", csv_cmp_fn, &cc) != 0) {
            cli_errf("%s: cannot read it", csv);
            rc = CLI_EXIT_INPUT;
            goto out;
        }
        if (!cc.differs && cc.i != r.n) {
            snprintf(cc.msg, sizeof cc.msg, "sample.csv has %zu items, the re-performed selection %llu", cc.i,
                     (unsigned long long)r.n);
            cc.differs = 1;
        }
        if (cc.differs) {
            rc = differ(path, cc.msg);
            goto out;
        }
        csv_note = 1;
    }
    if (!quiet)
        printf("assay verify: %s: identical: %llu items re-performed (%s, %s %s) from %zu input%s of %llu items, "
               "population digest %.16s%s\n",
               path, (unsigned long long)r.n, cli_sample_method_name(o.method), o.has_start ? "start" : "seed",
               o.has_start ? o.start_text : o.seed.text, r.n_in, r.n_in == 1 ? "" : "s", (unsigned long long)r.N,
               r.digest, csv_note ? "; sample.csv lists the same record ids" : "");
    rc = CLI_EXIT_OK;
out:
    cli_sample_res_fini(&r);
    cli_json_fini(&d);
    return rc;
}

enum { OPT_POP = 256 };

int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "population", required_argument, NULL, OPT_POP },
        { "jobs", required_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const char *pop[VERIFY_MAX_POP];
    size_t n_pop = 0;
    unsigned workers = 0;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_POP:
            if (n_pop == VERIFY_MAX_POP) {
                cli_errf("--population: at most %d", VERIFY_MAX_POP);
                return CLI_EXIT_INPUT;
            }
            pop[n_pop++] = optarg;
            break;
        case 'j':
            if (cli_parse_jobs(optarg, &workers) != 0) {
                cli_errf("-j: expected a number of threads from 1 to %d, got '%s'", ENG_MAX_WORKERS, optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case 'q': quiet = 1; break;
        case 'h':
            verify_usage(stdout);
            return CLI_EXIT_OK;
        default:
            verify_usage(stderr);
            return CLI_EXIT_INPUT;
        }
    }
    if (argc - optind != 1) {
        cli_errf("verify: give one sample.json (or an evidence folder)");
        return CLI_EXIT_INPUT;
    }
    const char *target = argv[optind];
    struct stat sb;
    if (stat(target, &sb) != 0) {
        cli_errf("verify: %s: no such file or folder", target);
        return CLI_EXIT_INPUT;
    }
    if (S_ISDIR(sb.st_mode))
        return cmd_verify_dir(target);
    return verify_sample(target, pop, n_pop, workers, quiet);
}
