/* cli_evidence.c: writing the evidence folder of a run (cli_evidence.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>  /* getcwd */

#include "cli/cli.h"
#include "cli/cli_evidence.h"
#include "report/rpt.h"

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

void cli_manifest_begin(rpt_json *j, const cli_run_info *ri)
{
    char cwd[4096];
    rpt_json_obj_begin(j);
    rpt_json_key(j, "schema");
    rpt_json_cstr(j, "assay.manifest/1");
    rpt_json_key(j, "assay");
    rpt_json_obj_begin(j);
    rpt_json_key(j, "version");
    rpt_json_cstr(j, ASSAY_VERSION);
    rpt_json_key(j, "build");
    rpt_json_cstr(j, cli_build());
    rpt_json_obj_end(j);
    rpt_json_key(j, "command");
    rpt_json_arr_begin(j);
    rpt_json_cstr(j, "assay");
    for (int i = 0; i < ri->argc; i++)
        rpt_json_cstr(j, ri->argv[i]);
    rpt_json_arr_end(j);
    rpt_json_key(j, "cwd");
    rpt_json_cstr(j, getcwd(cwd, sizeof cwd) ? cwd : NULL);
    rpt_json_key(j, "started");
    rpt_json_time(j, ri->started);
    rpt_json_key(j, "finished");
    rpt_json_time(j, ri->finished);
}

static int write_manifest(cli_outdir *od, const rul_run *r, const cli_run_info *ri, const cli_sampling *smp)
{
    as_buf b;
    as_buf_init(&b);
    rpt_json j;
    rpt_json_init(&j, &b, 1);
    char hex[2 * AS_SHA256_LEN + 1];
    cli_manifest_begin(&j, ri);
    as_time ps, pe;
    int given;
    rul_run_period(r, &ps, &pe, &given);
    rpt_json_key(&j, "period");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "start");
    rpt_json_time(&j, ps);
    rpt_json_key(&j, "end");
    rpt_json_time(&j, pe);
    rpt_json_key(&j, "end_exclusive");
    rpt_json_bool(&j, 1);
    rpt_json_key(&j, "given");
    rpt_json_bool(&j, given);
    rpt_json_obj_end(&j);
    rpt_json_key(&j, "inputs");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < rul_run_n_inputs(r); i++) {
        const eng_stat *st = rul_run_stat(r, i);
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, rul_run_input_display(r, i));
        rpt_json_key(&j, "read");
        rpt_json_bool(&j, st != NULL);
        if (st) {
            rpt_json_key(&j, "bytes");
            rpt_json_u64(&j, st->bytes_stored);
            rpt_json_key(&j, "sha256");
            if (st->has_sha256) {
                hex_of(st->sha256, hex);
                rpt_json_cstr(&j, hex);
            } else {
                rpt_json_null(&j);
            }
            rpt_json_key(&j, "records");
            rpt_json_u64(&j, st->records);
            rpt_json_key(&j, "rejected");
            rpt_json_u64(&j, st->rejected);
            rpt_json_key(&j, "complete");
            rpt_json_bool(&j, st->complete);
        }
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    const rul_set *s = rul_run_rules(r);
    rpt_json_key(&j, "rules");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < s->n_files; i++) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, s->files[i].path);
        rpt_json_key(&j, "bytes");
        rpt_json_u64(&j, s->files[i].size);
        rpt_json_key(&j, "sha256");
        hex_of(s->files[i].sha256, hex);
        rpt_json_cstr(&j, hex);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "seeds");
    rpt_json_arr_begin(&j);
    if (smp && smp->on) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "seed");
        rpt_json_cstr(&j, smp->seed.text);
        rpt_json_key(&j, "drawn_from_os");
        rpt_json_bool(&j, smp->seed.is_random);
        rpt_json_key(&j, "used_for");
        rpt_json_cstr(&j, "every control's sample: random selection, HMAC-SHA256 bottom-k over record_id "
                          "(docs/reperform.md)");
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "outputs");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < od->n_files; i++) {
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, od->files[i].rel);
        rpt_json_key(&j, "bytes");
        rpt_json_u64(&j, od->files[i].bytes);
        rpt_json_key(&j, "sha256");
        hex_of(od->files[i].sha256, hex);
        rpt_json_cstr(&j, hex);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "not_listed");
    rpt_json_cstr(&j, "report.html shows this file's SHA-256 and is written after it; SHA256SUMS covers every file");
    rpt_json_obj_end(&j);
    int rc = 0;
    if (rpt_json_finish(&j) != 0) {
        cli_errf("out of memory");
        rc = -1;
    }
    FILE *f = rc == 0 ? cli_outdir_open(od, "manifest.json") : NULL;
    if (f == NULL)
        rc = -1;
    else {
        if (fwrite(b.data, 1, b.len, f) != b.len)
            rc = -1;
        if (cli_outdir_close(od, f, "manifest.json") != 0)
            rc = -1;
    }
    as_buf_fini(&b);
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
