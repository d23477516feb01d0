/* cli_evidence.c: writing the evidence folder of a run (cli_evidence.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>  /* getcwd */

#include "cli/cli.h"
#include "cli/cli_evidence.h"
#include "report/rpt.h"
#include "report/rpt_manifest.h"

as_time cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (as_time){ .sec = ts.tv_sec, .nsec = (int32_t)(ts.tv_nsec / 1000000 * 1000000), .flags = AS_TIME_VALID };
}

static int write_csvs(cli_outdir *od, const rul_run *r)
{
    char rel[256];
    for (size_t i = 0; i < rul_run_n_results(r); i++) {
        const rul_cresult *cr = rul_run_result(r, i);
        for (int k = 0; k < 2; k++) {
            snprintf(rel, sizeof rel, "%s/%s", cr->c->id, k == 0 ? "population.csv" : "exceptions.csv");
            FILE *f = cli_outdir_open(od, rel);
            if (f == NULL)
                return -1;
            as_code rc = k == 0 ? rul_write_population(f, r, cr) : rul_write_exceptions(f, r, cr);
            if (cli_outdir_close(od, f, rel) != 0 || rc != AS_OK)
                return -1;
        }
    }
    FILE *f = cli_outdir_open(od, "results.json");
    if (f == NULL)
        return -1;
    as_code rc = rul_write_results_json(f, r, NULL, 0);
    return cli_outdir_close(od, f, "results.json") != 0 || rc != AS_OK ? -1 : 0;
}

static void hex_of(const uint8_t *sha, char out[2 * AS_SHA256_LEN + 1])
{
    as_hex(sha, AS_SHA256_LEN, out);
}

/* The manifest's head from the run info (shared with `assay sample`). */
void cli_manifest_head(rpt_manifest *m, const cli_run_info *ri, char *cwd, size_t cwd_cap)
{
    m->version = as_slice_cstr(ASSAY_VERSION);
    m->build = as_slice_cstr(cli_build());
    m->argv = (const char *const *)ri->argv;
    m->argc = ri->argc;
    m->cwd = getcwd(cwd, cwd_cap) ? as_slice_cstr(cwd) : as_slice_make("", 0);
    m->started = ri->started;
    m->finished = ri->finished;
}

static int write_manifest(cli_outdir *od, const rul_run *r, const cli_run_info *ri, const cli_sampling *smp)
{
    rpt_manifest m = { 0 };
    char cwd[4096];
    cli_manifest_head(&m, ri, cwd, sizeof cwd);
    as_time ps, pe;
    rul_run_period(r, &ps, &pe, &m.period_given);
    m.has_period = 1;
    m.period_start = ps;
    m.period_end = pe;
    const rul_set *s = rul_run_rules(r);
    size_t ni = rul_run_n_inputs(r), total = ni + s->n_files + od->n_files;
    rpt_mfile *files = as_calloc(total ? total : 1, sizeof *files);
    char (*hex)[2 * AS_SHA256_LEN + 1] = as_calloc(total ? total : 1, sizeof *hex);
    int rc = -1;
    if (files == NULL || hex == NULL) {
        cli_errf("out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < ni; i++, k++) {
        const eng_stat *st = rul_run_stat(r, i);
        rpt_mfile *f = &files[k];
        f->path = as_slice_cstr(rul_run_input_display(r, i));
        f->with_read = 1;
        f->read = st != NULL;
        if (st) {
            f->bytes = st->bytes_stored;
            if (st->has_sha256) {
                as_hex(st->sha256, AS_SHA256_LEN, hex[k]);
                f->sha256 = as_slice_cstr(hex[k]);
            }
            f->records = st->records;
            f->rejected = st->rejected;
            f->complete = st->complete;
        }
    }
    m.inputs = files;
    m.n_inputs = ni;
    m.rules = files + k;
    for (size_t i = 0; i < s->n_files; i++, k++) {
        files[k].path = as_slice_cstr(s->files[i].path);
        files[k].bytes = s->files[i].size;
        as_hex(s->files[i].sha256, AS_SHA256_LEN, hex[k]);
        files[k].sha256 = as_slice_cstr(hex[k]);
    }
    m.n_rules = s->n_files;
    m.outputs = files + k;
    for (size_t i = 0; i < od->n_files; i++, k++) {
        files[k].path = as_slice_cstr(od->files[i].rel);
        files[k].bytes = od->files[i].bytes;
        as_hex(od->files[i].sha256, AS_SHA256_LEN, hex[k]);
        files[k].sha256 = as_slice_cstr(hex[k]);
    }
    m.n_outputs = od->n_files;
    rpt_mseed seed = { "seed", as_slice_make("", 0), 0,
                       AS_SLICE_LIT("every control's sample: random selection, HMAC-SHA256 bottom-k over record_id "
                                    "(docs/reperform.md)") };
    if (smp && smp->on) {
        seed.value = as_slice_cstr(smp->seed.text);
        seed.drawn_from_os = smp->seed.is_random;
        m.seeds = &seed;
        m.n_seeds = 1;
    }
    m.not_listed = AS_SLICE_LIT("report.html shows this file's SHA-256 and is written after it; SHA256SUMS covers "
                                "every file");
    as_buf b;
    as_buf_init(&b);
    if (rpt_manifest_json(&b, &m) != AS_OK) {
        cli_errf("out of memory");
    } else {
        FILE *f = cli_outdir_open(od, "manifest.json");
        if (f) {
            int bad = fwrite(b.data, 1, b.len, f) != b.len;
            if (cli_outdir_close(od, f, "manifest.json") == 0 && !bad)
                rc = 0;
        }
    }
    as_buf_fini(&b);
out:
    as_free(files);
    as_free(hex);
    return rc;
}

static int write_samples(cli_outdir *od, const rul_run *r, const cli_sampling *smp, cli_csample *cs)
{
    char rel[256];
    for (size_t i = 0; i < rul_run_n_results(r); i++) {
        const rul_cresult *cr = rul_run_result(r, i);
        if (cli_sample_control(smp, cr, &cs[i]) != 0)
            return -1;
        if (cs[i].n == 0)
            continue;
        snprintf(rel, sizeof rel, "%s/sample.csv", cr->c->id);
        FILE *f = cli_outdir_open(od, rel);
        if (f == NULL)
            return -1;
        int rc = cli_sample_csv_write(f, r, cr, &cs[i]);
        if (cli_outdir_close(od, f, rel) != 0 || rc != 0)
            return -1;
    }
    return 0;
}

int cli_evidence_run(cli_outdir *od, const rul_run *r, const cli_run_info *ri, const cli_sampling *smp,
                     char digest_hex[2 * AS_SHA256_LEN + 1])
{
    size_t nc = rul_run_n_results(r);
    cli_csample *cs = NULL;
    int rc = -1;
    if (smp && smp->on && (cs = as_calloc(nc ? nc : 1, sizeof *cs)) == NULL) {
        cli_errf("out of memory");
        return -1;
    }
    if (write_csvs(od, r) == 0 && (cs == NULL || write_samples(od, r, smp, cs) == 0) &&
        write_manifest(od, r, ri, smp) == 0) {
        const cli_outfile *m = cli_outdir_find(od, "manifest.json");
        hex_of(m->sha256, digest_hex);
        if (cli_report_run(od, r, digest_hex, smp, cs) == 0 && cli_outdir_sums(od) == 0)
            rc = 0;
    }
    for (size_t i = 0; cs && i < nc; i++)
        cli_csample_fini(&cs[i]);
    as_free(cs);
    return rc;
}
