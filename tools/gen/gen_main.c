/* gen_main.c: the assay-gen command line: parses options, builds the world,
 * runs the generator jobs on a small thread pool and writes truth.json.
 *
 * Two phases: first every source except the web logs (small), then the web
 * logs, whose byte budget is the target size minus what phase one wrote, so
 * --size hits its target without guessing the other sources' sizes. This is
 * the only file of the generator that prints or chooses exit codes:
 * 0 ok, 2 usage error, 3 internal (I/O, memory) error.
 */
#include <dirent.h>     /* opendir: the output folder must be empty */
#include <errno.h>      /* errno */
#include <stdio.h>      /* fprintf */
#include <string.h>     /* strcmp */
#include <sys/stat.h>   /* mkdir */
#include <time.h>       /* clock_gettime: only for the MB/s summary */

#include "core/as.h"
#include "tools/gen/gen_auth.h"
#include "tools/gen/gen_backup.h"
#include "tools/gen/gen_change.h"
#include "tools/gen/gen_cloudtrail.h"
#include "tools/gen/gen_hr.h"
#include "tools/gen/gen_incident.h"
#include "tools/gen/gen_job.h"
#include "tools/gen/gen_okta.h"
#include "tools/gen/gen_review.h"
#include "tools/gen/gen_web.h"
#include "tools/gen/gen_world.h"

#ifndef ASSAY_VERSION
#define ASSAY_VERSION "0.0.0"
#endif

#define GEN_EXIT_OK       0
#define GEN_EXIT_USAGE    2
#define GEN_EXIT_INTERNAL 3

#define GEN_DEFAULT_BYTES  (200ull * 1000 * 1000) /* default data set: about 200 MB */
#define GEN_DEFAULT_DAYS   182
#define GEN_MIN_DAYS       14     /* every planted deviation needs this much room */
#define GEN_MAX_DAYS       3660
#define GEN_DEFAULT_JOBS   2
#define GEN_MIN_WEB_BYTES  (1ull << 20) /* web logs get at least 1 MiB */

typedef struct gen_cli {
    const char *out;
    uint64_t    seed;
    int64_t     start_day;
    unsigned    days;
    uint32_t    scale_milli;  /* --scale x 1000 */
    int         has_scale;
    uint64_t    size;         /* --size in bytes, 0 = not given */
    unsigned    jobs;
    int         quiet;
    int         force;
    int         plain;        /* --plain (benchmarks) */
} gen_cli;

static void usage(FILE *f)
{
    fputs("usage: assay-gen --out DIR [--seed N] [--start YYYY-MM-DD] [--days N]\n"
          "                 [--scale F | --size N[K|M|G|T]] [-j N] [--force] [--quiet]\n"
          "\n"
          "Writes a fictional company's SOC 2 observation period (web, auth, Okta,\n"
          "CloudTrail, HR, backup, incident, change and access-review records with\n"
          "seeded control deviations) into DIR, plus DIR/truth.json, the exact ground\n"
          "truth. Same seed and options give byte-identical output at any -j.\n"
          "\n"
          "  --out DIR       output folder; must be empty or absent (unless --force)\n"
          "  --seed N        random seed (default 1)\n"
          "  --start DATE    first day of the period, UTC (default 2025-10-01)\n"
          "  --days N        period length in days, 14..3660 (default 182)\n"
          "  --scale F       size factor: about F x 200 MB per 182 days (default 1)\n"
          "  --size N        total uncompressed size, e.g. 500M, 10G (binary units);\n"
          "                  the web logs grow to reach it\n"
          "  -j, --jobs N    worker threads (default 2)\n"
          "  --force         write into a non-empty DIR (files are overwritten)\n"
          "  --plain         benchmark mode: no compression except the three special\n"
          "                  test files (different data set layout)\n"
          "  --quiet         no summary line\n"
          "  --help          this text\n"
          "\n"
          "Exit status: 0 ok, 2 usage error, 3 internal error. See docs/dataset.md.\n",
          f);
}

/* Unsigned decimal, whole string; 0 on success. */
static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* "1.25" -> 1250 (thousandths), no locale-dependent strtod. */
static int parse_milli(const char *s, uint32_t *out)
{
    uint64_t whole = 0, frac = 0, scale = 1000;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        if ((whole = whole * 10 + (uint64_t)(*s - '0')) > 1000000)
            return -1;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits++)
            if (scale > 1) {
                scale /= 10;
                frac += (uint64_t)(*s - '0') * scale;
            }
    if (*s != '\0' || digits == 0)
        return -1;
    *out = (uint32_t)(whole * 1000 + frac);
    return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
    char num[32];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof num)
        return -1;
    memcpy(num, s, n + 1);
    unsigned shift = 0;
    char last = num[n - 1];
    if (last == 'b' || last == 'B')
        num[--n] = '\0', last = (char)(n ? num[n - 1] : '\0');
    switch (last) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case 't': case 'T': shift = 40; break;
    default: break;
    }
    if (shift)
        num[--n] = '\0';
    uint64_t v;
    if (parse_u64(num, &v) != 0 || v > (UINT64_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

static int parse_date(const char *s, int64_t *day)
{
    as_time t;
    if (strlen(s) != 10 || as_time_parse_iso(as_slice_cstr(s), 0, &t) != 10)
        return -1;
    *day = t.sec / 86400;
    return 0;
}

/* Returns -1 on a usage error (message printed), 1 for --help, 0 to run. */
static int parse_args(int argc, char **argv, gen_cli *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->start_day = as_days_from_civil(2025, 10, 1);
    c->days = GEN_DEFAULT_DAYS;
    c->scale_milli = 1000;
    c->jobs = GEN_DEFAULT_JOBS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return 1;
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c->quiet = 1;
            continue;
        }
        if (strcmp(a, "--force") == 0) {
            c->force = 1;
            continue;
        }
        if (strcmp(a, "--plain") == 0) {
            c->plain = 1;
            continue;
        }
        static const char *const k_valued[] = { "--out", "--seed", "--start", "--days", "--scale", "--size", "-j",
                                                 "--jobs" };
        const char *name = NULL;
        for (size_t k = 0; k < AS_ARRAY_LEN(k_valued) && name == NULL; k++) {
            size_t n = strlen(k_valued[k]);
            if (strncmp(a, k_valued[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                name = k_valued[k];
                if (a[n] == '=')
                    val = a + n + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
            } else if (strcmp(k_valued[k], "-j") == 0 && strncmp(a, "-j", 2) == 0 && a[2] >= '0' && a[2] <= '9') {
                name = "-j";
                val = a + 2;
            }
        }
        if (name == NULL) {
            fprintf(stderr, "assay-gen: unknown option '%s' (try --help)\n", a);
            return -1;
        }
        if (val == NULL) {
            fprintf(stderr, "assay-gen: %s needs a value\n", name);
            return -1;
        }
        uint64_t u;
        int bad = 0;
        if (strcmp(name, "--out") == 0)
            c->out = val;
        else if (strcmp(name, "--seed") == 0)
            bad = parse_u64(val, &c->seed);
        else if (strcmp(name, "--start") == 0)
            bad = parse_date(val, &c->start_day);
        else if (strcmp(name, "--days") == 0)
            bad = parse_u64(val, &u) || u < GEN_MIN_DAYS || u > GEN_MAX_DAYS || ((c->days = (unsigned)u), 0);
        else if (strcmp(name, "--scale") == 0)
            bad = parse_milli(val, &c->scale_milli) || c->scale_milli < 10 || c->scale_milli > 100000 ||
                  ((c->has_scale = 1), 0);
        else if (strcmp(name, "--size") == 0)
            bad = parse_size(val, &c->size) || c->size == 0;
        else
            bad = parse_u64(val, &u) || u < 1 || u > 256 || ((c->jobs = (unsigned)u), 0);
        if (bad) {
            fprintf(stderr, "assay-gen: invalid value '%s' for %s%s\n", val, name,
                    strcmp(name, "--days") == 0 ? " (14..3660)" :
                    strcmp(name, "--scale") == 0 ? " (0.01..100)" : "");
            return -1;
        }
    }
    if (c->out == NULL) {
        fprintf(stderr, "assay-gen: --out DIR is required (try --help)\n");
        return -1;
    }
    if (c->has_scale && c->size) {
        fprintf(stderr, "assay-gen: give --scale or --size, not both\n");
        return -1;
    }
    return 0;
}

/* 0 ok (exists empty or created), 2 non-empty without --force, 3 error. */
static int prepare_dir(const gen_cli *c)
{
    DIR *d = opendir(c->out);
    if (d == NULL) {
        if (errno != ENOENT) {
            fprintf(stderr, "assay-gen: cannot open %s: %s\n", c->out, strerror(errno));
            return GEN_EXIT_INTERNAL;
        }
        size_t tmp_size = strlen(c->out) + 2;
        char *tmp = as_malloc(tmp_size);
        if (tmp == NULL)
            return GEN_EXIT_INTERNAL;
        snprintf(tmp, tmp_size, "%s/", c->out);
        int rc = gen_mkdirs_for(tmp);
        as_free(tmp);
        if (rc != 0) {
            fprintf(stderr, "assay-gen: cannot create %s: %s\n", c->out, strerror(errno));
            return GEN_EXIT_INTERNAL;
        }
        return GEN_EXIT_OK;
    }
    int empty = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    closedir(d);
    if (!empty && !c->force) {
        fprintf(stderr, "assay-gen: %s is not empty; refusing to write into it (use --force)\n", c->out);
        return GEN_EXIT_USAGE;
    }
    return GEN_EXIT_OK;
}

static uint32_t isqrt_u64(uint64_t v)
{
    uint64_t r = 0;
    while ((r + 1) * (r + 1) <= v)
        r++;
    return (uint32_t)r;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "assay-gen: error: <message>": the errors here carry no source location. */
static void print_err(const as_err *e)
{
    fprintf(stderr, "assay-gen: error: %s\n", e->msg[0] ? e->msg : as_err_text(e->code));
}

typedef int (*add_jobs_fn)(gen_jobs *js, const gen_world *w);

int main(int argc, char **argv)
{
    gen_cli c;
    int prc = parse_args(argc, argv, &c);
    if (prc == 1) {
        usage(stdout);
        return GEN_EXIT_OK;
    }
    if (prc < 0)
        return GEN_EXIT_USAGE;
    int drc = prepare_dir(&c);
    if (drc != GEN_EXIT_OK)
        return drc;

    double t0 = now_s();
    /* non-web sources scale mildly: by the square root of --scale, in [0.4, 4] */
    uint32_t mild = c.size ? 1000 : isqrt_u64((uint64_t)c.scale_milli * 1000);
    mild = mild < 400 ? 400 : mild > 4000 ? 4000 : mild;
    /* default: about 200 MB x scale for the default 182 days, proportionally for other periods */
    uint64_t target = c.size ? c.size : GEN_DEFAULT_BYTES / 1000 * c.scale_milli / GEN_DEFAULT_DAYS * c.days;

    as_err err;
    as_err_clear(&err);
    gen_world w;
    if (gen_world_build(&w, c.seed, c.start_day, c.days, mild, &err) != AS_OK) {
        print_err(&err);
        return GEN_EXIT_INTERNAL;
    }
    w.plain = c.plain;
    gen_jobs js;
    gen_jobs_init(&js, &w, c.out);
    static const add_jobs_fn k_phase1[] = {
        gen_hr_add_jobs, gen_review_add_jobs, gen_incident_add_jobs, gen_change_add_jobs,
        gen_backup_add_jobs, gen_auth_add_jobs, gen_okta_add_jobs, gen_cloudtrail_add_jobs,
    };
    int exit_code = GEN_EXIT_OK;
    uint64_t web_budget = 0;
    for (size_t k = 0; k < AS_ARRAY_LEN(k_phase1); k++)
        if (k_phase1[k](&js, &w) != 0) {
            as_err_set(&err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
            goto fail;
        }
    if (gen_jobs_run(&js, c.jobs, &err) != AS_OK)
        goto fail;
    {
        uint64_t other = gen_jobs_bytes(&js);
        web_budget = target > other + GEN_MIN_WEB_BYTES ? target - other : GEN_MIN_WEB_BYTES;
    }
    if (gen_web_add_jobs(&js, &w, web_budget) != 0) {
        as_err_set(&err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
        goto fail;
    }
    if (gen_jobs_run(&js, c.jobs, &err) != AS_OK)
        goto fail;
    {
        gen_res **res = as_malloc((js.n ? js.n : 1) * sizeof(gen_res *));
        if (res == NULL) {
            as_err_set(&err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
            goto fail;
        }
        for (size_t i = 0; i < js.n; i++)
            res[i] = &js.v[i].res;
        gen_truth_meta meta = { c.seed, c.start_day, c.days, c.has_scale || !c.size ? c.scale_milli : 1000,
                                c.size, web_budget, c.plain, "assay-gen " ASSAY_VERSION, gen_world_json(&w) };
        as_code rc = gen_truth_write(c.out, &meta, res, js.n, &err);
        gen_totals tot;
        gen_truth_totals(res, js.n, &tot);
        as_free(res);
        if (rc != AS_OK)
            goto fail;
        double dt = now_s() - t0;
        if (!c.quiet)
            printf("assay-gen: %llu files + truth.json, %.1f MB (%.1f MB stored) in %s in %.2f s, %.0f MB/s\n",
                   (unsigned long long)tot.files, (double)tot.bytes_decompressed / 1e6,
                   (double)tot.bytes_stored / 1e6, c.out, dt, (double)tot.bytes_decompressed / 1e6 / (dt > 0 ? dt : 1e-9));
    }
    gen_jobs_fini(&js);
    gen_world_fini(&w);
    return exit_code;

fail:
    print_err(&err);
    gen_jobs_fini(&js);
    gen_world_fini(&w);
    return GEN_EXIT_INTERNAL;
}
