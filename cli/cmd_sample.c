/* cmd_sample.c: `assay sample`, which items to test: a seeded, re-performable
 * selection from a population (population.csv from `assay run`, or any logs
 * and CSV exports assay reads), written as sample.csv and sample.json, with
 * every seed used logged in seeds.log beside them (docs/sampling.md
 * "Selection", docs/reperform.md). The job itself is cli_sample.c, shared
 * with `assay verify`.
 */
#include <errno.h>      /* errno */
#include <getopt.h>     /* getopt_long */
#include <stdlib.h>     /* getenv, realpath, free: the seed ledger */
#include <string.h>     /* strcmp, strstr */
#include <sys/stat.h>   /* mkdir */
#include <time.h>       /* clock_gettime: seeds.log times */
#include <unistd.h>     /* getpid, fsync, getcwd */

#include "cli/cli_evidence.h"
#include "cli/cli_json.h"
#include "cli/cli_sample.h"
#include "cli/cli_smp.h"
#include "report/rpt.h"
#include "report/rpt_manifest.h"

/* ---- seeds.log: every draw on a population, appended, never rewritten ---- */

typedef struct seed_log {
    char   **seeds;   /* the seeds (or starts) logged for this population, oldest first */
    size_t   n;
} seed_log;

static void seed_log_fini(seed_log *s)
{
    for (size_t i = 0; i < s->n; i++)
        as_free(s->seeds[i]);
    as_free(s->seeds);
    memset(s, 0, sizeof *s);
}

/* Appends this draw to the log at path and reads back every draw logged
 * there for the same population digest. A line: TIME<TAB>population=D<TAB>
 * method=M<TAB>size=N[<TAB>out=DIR]<TAB>seed=S (or start=S). */
static int seed_log_append(const char *path, const char *out_abs, const cli_sample_opts *o, const cli_sample_res *r,
                           seed_log *out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    as_time now = { .sec = ts.tv_sec, .flags = AS_TIME_VALID };
    char tb[AS_TIME_RFC3339_MAX];
    as_time_format_utc(now, tb);
    FILE *f = fopen(path, "a");
    if (f == NULL) {
        cli_errf("%s: cannot append: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "%s\tpopulation=%s\tmethod=%s\tsize=%llu", tb, r->digest, cli_sample_method_name(o->method),
            (unsigned long long)o->size);
    if (out_abs)
        fprintf(f, "\tout=%s", out_abs);
    fprintf(f, "\t%s=%s\n", o->has_start ? "start" : "seed", o->has_start ? o->start_text : o->seed.text);
    if (fclose(f) != 0) {
        cli_errf("%s: write error", path);
        return -1;
    }
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[8192], want[128];
    snprintf(want, sizeof want, "\tpopulation=%s\t", r->digest);
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, want) == NULL)
            continue;
        char *sd = strstr(line, "\tseed=");
        if (sd == NULL)
            sd = strstr(line, "\tstart=");
        if (sd == NULL)
            continue;
        sd++;
        sd[strcspn(sd, "\r\n")] = '\0';
        char **v = as_realloc(out->seeds, (out->n + 1) * sizeof(char *));
        if (v == NULL)
            break;
        out->seeds = v;
        out->seeds[out->n++] = as_strndup(sd, strlen(sd));
    }
    fclose(f);
    return 0;
}

/* The user's seed ledger: every draw on any population, whatever its --out
 * folder, so that a fresh folder does not hide earlier draws on the same
 * population. ASSAY_SEED_LEDGER names the file; else
 * $XDG_STATE_HOME/assay/seeds.log, else ~/.local/state/assay/seeds.log.
 * 0 with path filled, or -1 when there is no place for it (no HOME). */
static int ledger_path(char *path, size_t cap)
{
    const char *env = getenv("ASSAY_SEED_LEDGER");
    if (env && *env) {
        snprintf(path, cap, "%s", env);
        return 0;
    }
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char dir[3072];
    if (xdg && *xdg == '/')
        snprintf(dir, sizeof dir, "%s", xdg);
    else if (home && *home == '/')
        snprintf(dir, sizeof dir, "%s/.local/state", home);
    else
        return -1;
    /* mkdir -p DIR/assay, one level at a time below the first that exists */
    char p[3584];
    snprintf(p, sizeof p, "%s/assay", dir);
    for (char *q = p + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            (void)mkdir(p, 0700);
            *q = '/';
        }
    if (mkdir(p, 0700) != 0 && errno != EEXIST)
        return -1;
    snprintf(path, cap, "%s/seeds.log", p);
    return 0;
}

/* The --out folder as an absolute path with no TAB or newline (a log field). */
static void out_field(const char *out_dir, char *buf, size_t cap)
{
    char *abs = realpath(out_dir, NULL);
    snprintf(buf, cap, "%s", abs ? abs : out_dir);
    free(abs);
    for (char *c = buf; *c; c++)
        if (*c == '\t' || *c == '\n' || *c == '\r')
            *c = '?';
}

/* ---- sample.json ---- */

static int sample_json(const cli_sample_opts *o, const cli_sample_res *r, const char *csv_sha, const seed_log *sl,
                       const char *ledger, const seed_log *ll, const char *plan_path, uint64_t plan_size, as_buf *out)
{
    rpt_json j;
    rpt_json_init(&j, out, 1);
    char hex[AS_SHA256_HEX];
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.sample/1");
    rpt_json_key(&j, "assay_version");
    rpt_json_cstr(&j, ASSAY_VERSION);
    rpt_json_key(&j, "algorithm");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "name");
    rpt_json_cstr(&j, SMP_ALGORITHM);
    rpt_json_key(&j, "version");
    rpt_json_u64(&j, SMP_ALGORITHM_VERSION);
    rpt_json_key(&j, "method");
    rpt_json_cstr(&j, cli_sample_method_name(o->method));
    rpt_json_key(&j, "hash");
    rpt_json_cstr(&j, "HMAC-SHA256");
    rpt_json_key(&j, "description");
    switch (o->method) {
    case SMP_METHOD_RANDOM:
        rpt_json_cstr(&j, "key = first 8 bytes (big-endian) of HMAC-SHA256(seed, record_id); the size smallest "
                          "keys, ties by record_id bytes; items in key order");
        break;
    case SMP_METHOD_STRATIFIED:
        rpt_json_cstr(&j, "per stratum, the n_h smallest keys HMAC-SHA256(seed, record_id); n_h proportional "
                          "with a minimum, largest remainder; strata in label order, items in key order");
        break;
    case SMP_METHOD_SYSTEMATIC:
        rpt_json_cstr(&j, "I = N/size; draw j hits item floor((j-1+u) I) + 1, u = h/2^64, h = first 8 bytes of "
                          "HMAC-SHA256(seed, 'assay-systematic-start'); with --start s: ceil(s + (j-1) I)");
        break;
    case SMP_METHOD_CELL:
        rpt_json_cstr(&j, "I = N/size; draw j hits item floor((j-1+u_j) I) + 1, u_j = h_j/2^64, h_j = first 8 "
                          "bytes of HMAC-SHA256(seed, 'assay-cell-j')");
        break;
    case SMP_METHOD_MUS:
        if (o->mus_cells) {
            rpt_json_cstr(&j, "units = millionths of the positive values in population order; I = total/size; "
                              "draw j hits unit floor((j-1+u_j) I) + 1, u_j = h_j/2^64, h_j = first 8 bytes of "
                              "HMAC-SHA256(seed, 'assay-mus-cell-j') (one random unit per cell); the item whose "
                              "cumulative value reaches the unit; times = units hit in it");
            break;
        }
        rpt_json_cstr(&j, "units = millionths of the positive values in population order; I = total/size; "
                          "draw j hits unit floor((j-1+u) I) + 1, u = h/2^64, h = first 8 bytes of "
                          "HMAC-SHA256(seed, 'assay-mus-start'), or ceil(s + (j-1) I) with --start s; the item "
                          "whose cumulative value reaches the unit; times = units hit in it");
        break;
    }
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "seed");
    if (o->has_seed) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "text");
        rpt_json_cstr(&j, o->seed.text);
        rpt_json_key(&j, "form");
        rpt_json_cstr(&j, o->seed.is_random ? "random" : o->seed.is_hex ? "hex" : "text");
        rpt_json_key(&j, "hmac_key_hex");
        char kh[2 * sizeof o->seed.key + 1];
        as_hex(o->seed.key, o->seed.key_len, kh);
        rpt_json_cstr(&j, kh);
        rpt_json_key(&j, "source");
        rpt_json_cstr(&j, o->seed.is_random ? "drawn from the operating system (getrandom)" : "given by the user");
        rpt_json_obj_end(&j);
    } else {
        rpt_json_null(&j);
    }
    rpt_json_key(&j, "start");
    if (o->has_start)
        rpt_json_cstr(&j, o->start_text);
    else
        rpt_json_null(&j);
    rpt_json_key(&j, "start_key_hex");
    if ((o->method == SMP_METHOD_SYSTEMATIC || (o->method == SMP_METHOD_MUS && !o->mus_cells)) && !o->has_start &&
        !r->full) {
        char kh[17];
        snprintf(kh, sizeof kh, "%016llx", (unsigned long long)r->start_key);
        rpt_json_cstr(&j, kh);
    } else {
        rpt_json_null(&j);
    }
    rpt_json_key(&j, "population");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "kind");
    rpt_json_cstr(&j, r->pop_mode ? "population.csv" : "records");
    rpt_json_key(&j, "digest");
    rpt_json_cstr(&j, r->digest);
    rpt_json_key(&j, "digest_rule");
    rpt_json_cstr(&j, r->n_in == 1 ? "the SHA-256 of the one input" : "SHA-256 of the inputs' SHA-256 hex digests, "
                                                                        "one per line, in input order");
    rpt_json_key(&j, "N");
    rpt_json_u64(&j, r->N);
    if (o->method == SMP_METHOD_MUS) {
        rpt_json_key(&j, "total_value");
        char vt[64];
        cli_sample_value_text(r->total_value, vt, sizeof vt);
        rpt_json_cstr(&j, vt);
        rpt_json_key(&j, "excluded_nonpositive");
        rpt_json_u64(&j, r->excluded);
    }
    rpt_json_key(&j, "inputs");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < r->n_in; i++) {
        const cli_sample_in *ri = &r->in[i];
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, ri->path);
        rpt_json_key(&j, "sha256");
        as_hex(ri->sha256, AS_SHA256_LEN, hex);
        rpt_json_cstr(&j, hex);
        rpt_json_key(&j, "bytes");
        rpt_json_u64(&j, ri->bytes);
        rpt_json_key(&j, "format");
        rpt_json_cstr(&j, ri->format);
        rpt_json_key(&j, "records");
        rpt_json_u64(&j, ri->records);
        rpt_json_key(&j, "items");
        rpt_json_u64(&j, ri->items);
        rpt_json_key(&j, "rejected");
        rpt_json_u64(&j, ri->rejected);
        rpt_json_key(&j, "rejected_by");
        rpt_json_obj_begin(&j);
        for (int c = 0; c < AS_ERR__COUNT; c++)
            if (ri->rejected_by[c]) {
                rpt_json_key(&j, as_err_name((as_code)c));
                rpt_json_u64(&j, ri->rejected_by[c]);
            }
        rpt_json_obj_end(&j);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "size_requested");
    rpt_json_u64(&j, o->size);
    rpt_json_key(&j, "size");
    rpt_json_u64(&j, r->n);
    rpt_json_key(&j, "full_testing");
    rpt_json_bool(&j, r->full);
    rpt_json_key(&j, "plan");
    if (plan_path) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "file");
        rpt_json_cstr(&j, plan_path);
        rpt_json_key(&j, "sample_size");
        rpt_json_u64(&j, plan_size);
        rpt_json_obj_end(&j);
    } else {
        rpt_json_null(&j);
    }
    rpt_json_key(&j, "options");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "strata");
    rpt_json_cstr(&j, o->strata ? o->strata_text : NULL);
    rpt_json_key(&j, "min_per_stratum");
    rpt_json_u64(&j, o->min_per_stratum);
    rpt_json_key(&j, "value");
    rpt_json_cstr(&j, o->value_field);
    rpt_json_key(&j, "cells");
    rpt_json_bool(&j, o->mus_cells);
    rpt_json_key(&j, "key");
    rpt_json_cstr(&j, o->key_field);
    rpt_json_key(&j, "format");
    rpt_json_cstr(&j, o->po.format);
    rpt_json_key(&j, "tz_offset_min");
    rpt_json_i64(&j, o->po.p.tz_offset_min);
    rpt_json_key(&j, "year");
    rpt_json_i64(&j, o->po.p.year);
    rpt_json_key(&j, "time_field");
    rpt_json_cstr(&j, o->po.p.time_field);
    rpt_json_key(&j, "pattern");
    rpt_json_cstr(&j, o->po.p.pattern);
    rpt_json_key(&j, "delimiter");
    char dl[2] = { o->po.p.csv_delim, 0 };
    rpt_json_cstr(&j, o->po.p.csv_delim ? dl : NULL);
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "strata");
    rpt_json_arr_begin(&j);
    for (size_t h = 0; h < r->n_strata; h++) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "label");
        rpt_json_cstr(&j, r->s_label[h]);
        rpt_json_key(&j, "N");
        rpt_json_u64(&j, r->s_N[h]);
        rpt_json_key(&j, "n");
        rpt_json_u64(&j, r->s_n[h]);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "seed_log");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "file");
    rpt_json_cstr(&j, "seeds.log");
    rpt_json_key(&j, "draws_for_population");
    rpt_json_u64(&j, sl->n);
    rpt_json_key(&j, "seeds");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < sl->n; i++)
        rpt_json_cstr(&j, sl->seeds[i]);
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "ledger");
    if (ledger == NULL) {
        rpt_json_null(&j);
    } else {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "file");
        rpt_json_cstr(&j, ledger);
        rpt_json_key(&j, "draws_for_population");
        rpt_json_u64(&j, ll->n);
        rpt_json_key(&j, "seeds");
        rpt_json_arr_begin(&j);
        for (size_t i = 0; i < ll->n; i++)
            rpt_json_cstr(&j, ll->seeds[i]);
        rpt_json_arr_end(&j);
        rpt_json_obj_end(&j);
    }
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "sample_csv_sha256");
    rpt_json_cstr(&j, csv_sha);
    rpt_json_key(&j, "items");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < r->n; i++) {
        const cli_sample_item *it = r->items[i];
        char kt[64];
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "ordinal");
        rpt_json_u64(&j, i + 1);
        rpt_json_key(&j, "record_id");
        rpt_json_str(&j, cli_sample_item_str(it, 0));
        rpt_json_key(&j, "selection_key");
        cli_sample_key_text(o, it, kt, sizeof kt);
        rpt_json_cstr(&j, kt);
        if (it->stratum) {
            rpt_json_key(&j, "stratum");
            rpt_json_cstr(&j, it->stratum);
        }
        if (o->method == SMP_METHOD_MUS) {
            rpt_json_key(&j, "times");
            rpt_json_u64(&j, it->times ? it->times : 1);
        }
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_obj_end(&j);
    return rpt_json_finish(&j);
}

/* ---- the command ---- */

static void sample_usage(FILE *f)
{
    fprintf(f,
            "usage: assay sample --population FILE... (--size N | --plan plan.json) --seed SEED\n"
            "                    [--method random|systematic|cell|stratified|mus] [--strata month|week|quarter|FIELD]\n"
            "                    [--min-per-stratum M] [--value FIELD] [--start S] [--out DIR]\n\n"
            "Draws a seeded, re-performable sample and writes DIR/sample.csv (the items, with their\n"
            "records' fields and an empty result column to fill in) and DIR/sample.json (all that\n"
            "re-performs it: population digest, N, n, method, seed, algorithm and version), and\n"
            "appends the seed to DIR/seeds.log: every draw on a population is logged.\n\n"
            "The population is population.csv files written by `assay run` (their record_id column)\n"
            "or any logs or CSV exports assay reads (record id = first 16 hex digits of the file's\n"
            "SHA-256 : byte offset). Re-perform with `assay verify DIR/sample.json`, or by hand with\n"
            "openssl (docs/reperform.md).\n\n"
            "Options:\n"
            "  --population FILE   a population file, folder or glob (repeatable; also as arguments)\n"
            "  --size N            the sample size (a population of N or fewer is taken whole)\n"
            "  --plan FILE         the sample size of an `assay plan --json` output\n"
            "  --method M          random (default): the N smallest HMAC-SHA256(seed, record_id)\n"
            "                      systematic: fixed interval with a random start\n"
            "                      cell: one random item in each of N equal intervals\n"
            "                      stratified: random within strata, proportional with a minimum\n"
            "                      mus: monetary-unit sampling, fixed interval over --value (--cells: cell MUS)\n"
            "  --seed SEED         the seed: text, hex:0011..., or random (drawn from the OS, recorded)\n"
            "  --start S           systematic or mus: a given start in (0, interval] instead of a seed\n"
            "  --strata S          month, week or quarter of the record's time, or a field name\n"
            "  --min-per-stratum M at least M items from each stratum (default 1)\n"
            "  --value FIELD       mus: the monetary value (decimal, at most 6 decimals; <= 0 excluded)\n"
            "  --cells             mus: one random unit in each interval (cell MUS) instead of one start\n"
            "  --key FIELD         logs: the field shown in the key column\n"
            "  --out DIR           where to write (default .; created if missing)\n"
            "  -j, --jobs N        worker threads (the sample is the same at any -j)\n"
            "%s"
            "  -q, --quiet         no summary on stderr\n"
            "  -h, --help          this help\n\n"
            "Exit codes: 0 sample written; 2 usage error or an input that could not be read whole;\n"
            "3 internal error.\n",
            cli_psr_help);
}

/* Writes DIR/NAME atomically: a temporary file beside it, flushed and
 * synced, renamed over NAME (an interrupted run leaves the old file or the
 * new one, never half of one). */
static int write_file(const char *dir, const char *name, const as_buf *b)
{
    char path[4096], tmp[4200];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
        snprintf(tmp, sizeof tmp, "%s/.%s.tmp-%ld", dir, name, (long)getpid()) >= (int)sizeof tmp) {
        cli_errf("--out %s: path too long", dir);
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        cli_errf("%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    int bad = b->len && fwrite(b->data, 1, b->len, f) != b->len;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        bad = 1;
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        cli_errf("%s: write error (disk full?)", path);
        remove(tmp);
        return -1;
    }
    return 0;
}

static int sha_of_file(const char *dir, const char *name, char hex[AS_SHA256_HEX], uint64_t *bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    as_buf b = AS_BUF_INIT;
    uint8_t d[AS_SHA256_LEN];
    int rc = cli_smp_read_file(path, (size_t)1 << 34, &b);
    if (rc == 0 && as_sha256_buf(b.data ? b.data : "", b.len, d) == 0) {
        as_hex(d, AS_SHA256_LEN, hex);
        *bytes = b.len;
    } else {
        rc = -1;
    }
    as_buf_fini(&b);
    return rc;
}

/* manifest.json (assay.manifest/1, docs/evidence.md) and SHA256SUMS of a
 * sample folder, written last: the population inputs, the seed, and the
 * digests of sample.csv, sample.json and seeds.log. */
static int sample_manifest(const char *dir, int argc, char **argv, as_time started, const cli_sample_opts *o,
                           const cli_sample_res *r)
{
    static const char *const outs[] = { "sample.csv", "sample.json", "seeds.log" };
    char hex[3][AS_SHA256_HEX];
    uint64_t bytes[3];
    for (int i = 0; i < 3; i++)
        if (sha_of_file(dir, outs[i], hex[i], &bytes[i]) != 0) {
            cli_errf("%s/%s: cannot read back", dir, outs[i]);
            return -1;
        }
    as_time now = cli_now();
    cli_run_info ri = { .argc = argc, .argv = argv, .started = started, .finished = now };
    rpt_manifest m = { 0 };
    char cwd[4096];
    cli_manifest_head(&m, &ri, cwd, sizeof cwd);
    rpt_mfile *in = as_calloc(r->n_in ? r->n_in : 1, sizeof *in);
    char (*ih)[AS_SHA256_HEX] = as_calloc(r->n_in ? r->n_in : 1, sizeof *ih);
    if (in == NULL || ih == NULL) {
        as_free(in);
        as_free(ih);
        cli_errf("out of memory");
        return -1;
    }
    for (size_t i = 0; i < r->n_in; i++) {
        const cli_sample_in *x = &r->in[i];
        in[i] = (rpt_mfile){ .path = as_slice_cstr(x->path), .bytes = x->bytes, .with_read = 1, .read = 1,
                             .records = x->records, .rejected = x->rejected, .complete = x->complete };
        if (x->has_sha) {
            as_hex(x->sha256, AS_SHA256_LEN, ih[i]);
            in[i].sha256 = as_slice_cstr(ih[i]);
        }
    }
    m.inputs = in;
    m.n_inputs = r->n_in;
    rpt_mseed seed = { o->has_start ? "start" : "seed", as_slice_cstr(o->has_start ? o->start_text : o->seed.text),
                       !o->has_start && o->seed.is_random, as_slice_cstr(cli_sample_method_name(o->method)) };
    m.seeds = &seed;
    m.n_seeds = 1;
    rpt_mfile outf[3];
    for (int i = 0; i < 3; i++)
        outf[i] = (rpt_mfile){ .path = as_slice_cstr(outs[i]), .bytes = bytes[i], .sha256 = as_slice_cstr(hex[i]) };
    m.outputs = outf;
    m.n_outputs = 3;
    as_buf b = AS_BUF_INIT;
    int built = rpt_manifest_json(&b, &m) == AS_OK;
    as_free(in);
    as_free(ih);
    int rc = built && write_file(dir, "manifest.json", &b) == 0 ? 0 : -1;
    as_buf_fini(&b);
    char mhex[AS_SHA256_HEX];
    uint64_t mb;
    if (rc == 0 && sha_of_file(dir, "manifest.json", mhex, &mb) == 0) {
        as_buf sums = AS_BUF_INIT;
        int bad = 0;
        const char *names[4] = { "manifest.json", outs[0], outs[1], outs[2] };
        const char *hs[4] = { mhex, hex[0], hex[1], hex[2] };
        for (int i = 0; i < 4; i++)
            bad |= as_buf_printf(&sums, "%s  %s\n", hs[i], names[i]);
        rc = bad ? -1 : write_file(dir, "SHA256SUMS", &sums);
        as_buf_fini(&sums);
    }
    return rc;
}

static int parse_start(const char *s, uint64_t *num, uint64_t *den)
{
    uint64_t v = 0, d = 1;
    int digits = 0, dot = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (*p < '0' || *p > '9' || v > UINT64_MAX / 100 || d > UINT64_MAX / 100)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
        digits++;
        if (dot)
            d *= 10;
    }
    if (digits == 0)
        return -1;
    *num = v;
    *den = d;
    return 0;
}

enum { OPT_POP = 256, OPT_SIZE, OPT_PLAN, OPT_METHOD, OPT_SEED, OPT_START, OPT_STRATA, OPT_MIN, OPT_VALUE,
       OPT_KEY, OPT_OUT, OPT_CELLS };

int cmd_sample(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "population", required_argument, NULL, OPT_POP },
        { "size", required_argument, NULL, OPT_SIZE },
        { "plan", required_argument, NULL, OPT_PLAN },
        { "method", required_argument, NULL, OPT_METHOD },
        { "seed", required_argument, NULL, OPT_SEED },
        { "start", required_argument, NULL, OPT_START },
        { "strata", required_argument, NULL, OPT_STRATA },
        { "min-per-stratum", required_argument, NULL, OPT_MIN },
        { "cells", no_argument, NULL, OPT_CELLS },
        { "value", required_argument, NULL, OPT_VALUE },
        { "key", required_argument, NULL, OPT_KEY },
        { "out", required_argument, NULL, OPT_OUT },
        { "jobs", required_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        CLI_PSR_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    static cli_sample_opts o;
    memset(&o, 0, sizeof o);
    o.min_per_stratum = 1;
    const char *out_dir = ".", *plan_path = NULL, *seed_arg = NULL;
    int has_size = 0, has_min = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_POP:
            if (o.n_pop == CLI_SAMPLE_MAX_INPUTS) {
                cli_errf("--population: at most %d arguments (give a folder or a glob)", CLI_SAMPLE_MAX_INPUTS);
                return CLI_EXIT_INPUT;
            }
            o.pop[o.n_pop++] = optarg;
            break;
        case OPT_SIZE:
            if (cli_smp_count("--size", optarg, 0, &o.size) != 0)
                return CLI_EXIT_INPUT;
            has_size = 1;
            break;
        case OPT_PLAN: plan_path = optarg; break;
        case OPT_METHOD:
            if (cli_sample_method_from(optarg, &o.method) != 0) {
                cli_errf("--method '%s': expected random, systematic, cell, stratified or mus", optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case OPT_SEED: seed_arg = optarg; break;
        case OPT_START:
            if (parse_start(optarg, &o.start_num, &o.start_den) != 0) {
                cli_errf("--start '%s': expected a positive decimal number such as 3 or 1.2", optarg);
                return CLI_EXIT_INPUT;
            }
            o.has_start = 1;
            o.start_text = optarg;
            break;
        case OPT_STRATA:
            o.strata_text = optarg;
            if (smp_period_from_name(optarg, &o.period) == 0) {
                o.strata = 1;
            } else if (optarg[0]) {
                o.strata = 2;
                o.strata_field = optarg;
            } else {
                cli_errf("--strata: expected month, week, quarter or a field name");
                return CLI_EXIT_INPUT;
            }
            break;
        case OPT_MIN:
            if (cli_smp_count("--min-per-stratum", optarg, 1, &o.min_per_stratum) != 0)
                return CLI_EXIT_INPUT;
            has_min = 1;
            break;
        case OPT_VALUE: o.value_field = optarg; break;
        case OPT_CELLS: o.mus_cells = 1; break;
        case OPT_KEY: o.key_field = optarg; break;
        case OPT_OUT: out_dir = optarg; break;
        case 'j':
            if (cli_parse_jobs(optarg, &o.workers) != 0) {
                cli_errf("-j: expected a number of threads from 1 to %d, got '%s'", ENG_MAX_WORKERS, optarg);
                return CLI_EXIT_INPUT;
            }
            break;
        case 'q': o.quiet = 1; break;
        case 'h':
            sample_usage(stdout);
            return CLI_EXIT_OK;
        default: {
            int r = cli_psr_option(c, optarg, &o.po);
            if (r == 0)
                break;
            if (r > 0)
                sample_usage(stderr);
            return CLI_EXIT_INPUT;
        }
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o.n_pop == CLI_SAMPLE_MAX_INPUTS) {
            cli_errf("at most %d population arguments (give a folder or a glob)", CLI_SAMPLE_MAX_INPUTS);
            return CLI_EXIT_INPUT;
        }
        o.pop[o.n_pop++] = argv[i];
    }
    /* ---- the options must make one well-defined selection ---- */
    if (o.n_pop == 0) {
        cli_errf("sample: --population FILE is required (a population.csv from assay run, or logs)");
        return CLI_EXIT_INPUT;
    }
    uint64_t plan_size = 0;
    if (plan_path) {
        if (has_size) {
            cli_errf("give --size or --plan, not both");
            return CLI_EXIT_INPUT;
        }
        cli_json pj;
        if (cli_json_load(&pj, plan_path) != 0) {
            cli_json_fini(&pj);
            return CLI_EXIT_INPUT;
        }
        const char *schema = cli_json_str(&pj, "schema");
        int64_t n = cli_json_int(&pj, "total_sample_size", -1);
        if (n < 0)
            n = cli_json_int(&pj, "sample_size", -1);
        if (schema == NULL || strcmp(schema, "assay.plan/1") != 0 || n < 1) {
            cli_errf("--plan %s: not an assay plan --json output (schema assay.plan/1 with a sample_size)", plan_path);
            cli_json_fini(&pj);
            return CLI_EXIT_INPUT;
        }
        cli_json_fini(&pj);
        o.size = plan_size = (uint64_t)n;
    } else if (!has_size) {
        cli_errf("sample: give the sample size with --size N or --plan plan.json");
        return CLI_EXIT_INPUT;
    }
    int interval_start = o.method == SMP_METHOD_SYSTEMATIC || o.method == SMP_METHOD_MUS;
    if (o.has_start && !interval_start) {
        cli_errf("--start goes with --method systematic or mus; the %s method draws from the seed",
                 cli_sample_method_name(o.method));
        return CLI_EXIT_INPUT;
    }
    if (o.mus_cells && (o.method != SMP_METHOD_MUS || o.has_start)) {
        cli_errf("--cells goes with --method mus and a --seed (one random unit per cell; --start fixes one start)");
        return CLI_EXIT_INPUT;
    }
    if (o.has_start && seed_arg) {
        cli_errf("give --seed or --start, not both: --start fixes the start the seed would draw");
        return CLI_EXIT_INPUT;
    }
    if (!o.has_start) {
        if (seed_arg == NULL) {
            cli_errf("sample: --seed is required: a value chosen after the population is frozen (text, or "
                     "hex:...), or --seed random to draw one from the OS; either way it is recorded and logged");
            return CLI_EXIT_INPUT;
        }
        if (strcmp(seed_arg, "random") == 0) {
            if (smp_seed_random(&o.seed) != 0) {
                cli_errf("--seed random: the operating system gave no random bytes");
                return CLI_EXIT_INTERNAL;
            }
        } else if (smp_seed_parse(seed_arg, &o.seed) != 0) {
            cli_errf("--seed '%s': expected text of 1 to 64 printable bytes, or hex: and 2 to 128 hex digits",
                     seed_arg);
            return CLI_EXIT_INPUT;
        }
        o.has_seed = 1;
    }
    if (o.method == SMP_METHOD_STRATIFIED && !o.strata) {
        cli_errf("--method stratified needs --strata month|week|quarter|FIELD");
        return CLI_EXIT_INPUT;
    }
    if (o.method != SMP_METHOD_STRATIFIED && (o.strata || has_min)) {
        cli_errf("--strata and --min-per-stratum go with --method stratified");
        return CLI_EXIT_INPUT;
    }
    if (o.method == SMP_METHOD_MUS && o.value_field == NULL) {
        cli_errf("--method mus needs --value FIELD (the monetary amount of each item)");
        return CLI_EXIT_INPUT;
    }
    if (o.method != SMP_METHOD_MUS && o.value_field) {
        cli_errf("--value goes with --method mus");
        return CLI_EXIT_INPUT;
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        cli_errf("--out %s: cannot create: %s", out_dir, strerror(errno));
        return CLI_EXIT_INPUT;
    }

    as_time started = cli_now();
    cli_sample_res r;
    int rc = cli_sample_run(&o, &r);
    if (rc != CLI_EXIT_OK) {
        cli_sample_res_fini(&r);
        return rc;
    }
    as_buf csv = AS_BUF_INIT, js = AS_BUF_INIT;
    seed_log sl = { 0 }, ll = { 0 };
    uint8_t d[AS_SHA256_LEN];
    char csv_sha[AS_SHA256_HEX];
    rc = CLI_EXIT_INTERNAL;
    if (cli_sample_csv(&o, &r, &csv) != 0 || as_sha256_buf(csv.data ? csv.data : "", csv.len, d) != 0) {
        cli_errf("out of memory");
        goto done;
    }
    as_hex(d, AS_SHA256_LEN, csv_sha);
    char dir_log[4096], ledger[4096], out_abs[4096];
    snprintf(dir_log, sizeof dir_log, "%s/seeds.log", out_dir);
    if (seed_log_append(dir_log, NULL, &o, &r, &sl) != 0)
        goto done;
    out_field(out_dir, out_abs, sizeof out_abs);
    int has_ledger = ledger_path(ledger, sizeof ledger) == 0;
    if (has_ledger && seed_log_append(ledger, out_abs, &o, &r, &ll) != 0) {
        cli_warnf("the seed ledger %s cannot be written: this draw is logged in %s only", ledger, dir_log);
        has_ledger = 0;
    } else if (!has_ledger) {
        cli_warnf("no seed ledger (neither ASSAY_SEED_LEDGER, XDG_STATE_HOME nor HOME is set): this draw is "
                  "logged in %s only", dir_log);
    }
    if (sample_json(&o, &r, csv_sha, &sl, has_ledger ? ledger : NULL, &ll, plan_path, plan_size, &js) != 0) {
        cli_errf("out of memory");
        goto done;
    }
    if (write_file(out_dir, "sample.csv", &csv) != 0 || write_file(out_dir, "sample.json", &js) != 0 ||
        sample_manifest(out_dir, argc, argv, started, &o, &r) != 0)
        goto done;
    rc = CLI_EXIT_OK;
    for (size_t i = 0; i < r.n_in; i++) {
        const cli_sample_in *ri = &r.in[i];
        if (ri->rejected == 0)
            continue;
        for (unsigned k = 0; k < ri->n_notes; k++)
            fprintf(stderr, "%s\n", ri->notes[k]);
        fprintf(stderr, "assay sample: warning: %s: %llu rows rejected (", ri->path, (unsigned long long)ri->rejected);
        const char *sep = "";
        for (int k = 0; k < AS_ERR__COUNT; k++)
            if (ri->rejected_by[k]) {
                fprintf(stderr, "%s%s %llu", sep, as_err_name((as_code)k), (unsigned long long)ri->rejected_by[k]);
                sep = ", ";
            }
        fprintf(stderr, "): they are not part of the population%s\n",
                ri->rejected > ri->n_notes ? "; the first are listed above" : "");
    }
    if (!o.quiet) {
        char st[96] = "";
        if (o.has_start)
            snprintf(st, sizeof st, "start %s", o.start_text);
        else
            snprintf(st, sizeof st, "seed %.40s%s", o.seed.text, o.seed.is_random ? " (drawn from the OS)" : "");
        fprintf(stderr, "assay sample: %llu of %llu items (%s, %s)%s from %zu input%s (population %.16s); wrote "
                        "%s/sample.csv and %s/sample.json in %.2f s\n",
                (unsigned long long)r.n, (unsigned long long)r.N, cli_sample_method_name(o.method), st,
                r.full ? ", 100% testing: the population is not larger than the sample" : "", r.n_in,
                r.n_in == 1 ? "" : "s", r.digest, out_dir, out_dir, r.seconds);
        if (o.method == SMP_METHOD_MUS && r.excluded)
            fprintf(stderr, "assay sample: %llu items with a zero or negative value were excluded (test them "
                            "apart)\n", (unsigned long long)r.excluded);
        fprintf(stderr, "assay sample: the %s is logged in %s/seeds.log", o.has_start ? "start" : "seed", out_dir);
        if (sl.n > 1)
            fprintf(stderr, ": %zu draws on this population are logged there, all listed in sample.json", sl.n);
        if (has_ledger)
            fprintf(stderr, "%s and in the seed ledger %s", sl.n > 1 ? ";" : "", ledger);
        fprintf(stderr, "\n");
    }
    if (has_ledger) {                                 /* earlier draws with other seeds: say so, always */
        const char *cur = o.has_start ? o.start_text : o.seed.text;
        size_t other = 0;
        for (size_t i = 0; i < ll.n; i++) {
            const char *eq = strchr(ll.seeds[i], '=');
            other += eq == NULL || strcmp(eq + 1, cur) != 0;
        }
        if (other)
            cli_warnf("this population was drawn %zu time%s before with another seed or start (the seed ledger "
                      "%s): every one is listed in sample.json (seed_log.ledger) for the reviewer",
                      other, other == 1 ? "" : "s", ledger);
    }
done:
    seed_log_fini(&sl);
    seed_log_fini(&ll);
    as_buf_fini(&csv);
    as_buf_fini(&js);
    cli_sample_res_fini(&r);
    return rc;
}
