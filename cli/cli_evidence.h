/* cli_evidence.h: the evidence folder of `assay run --out DIR`
 * (docs/evidence.md): per control population.csv and exceptions.csv,
 * results.json, manifest.json (schema assay.manifest/1: the tool, the
 * command, the times, the period, every input, rule file, seed and output
 * with its SHA-256), report.html (which shows the manifest's digest) and
 * SHA256SUMS (every file, for `sha256sum -c`), written through cli_outdir
 * so the folder appears only when complete.
 */
#ifndef ASSAY_CLI_EVIDENCE_H
#define ASSAY_CLI_EVIDENCE_H

#include "cli/cli_outdir.h"
#include "rules/rul.h"
#include "samplers/smp.h"

/* --sample-seed and the plan's rates (cli_run_sample.c). */
typedef struct cli_sampling {
    int      on;
    smp_seed seed;
    uint32_t conf_bp, tdr_bp, edr_bp;  /* confidence, tolerable and expected rates, basis points */
} cli_sampling;

/* One control's sample: instance indices in selection order. */
typedef struct cli_csample {
    uint64_t    N, n, k, x;     /* population, size, deviations allowed, deviations found by assay */
    int         full;           /* n = N: the whole population */
    size_t     *idx;
    uint64_t   *key;            /* selection keys */
    int         evaluated, supports;
    long double ub, ub_table_pct;
} cli_csample;

int  cli_sample_control(const cli_sampling *s, const rul_cresult *cr, cli_csample *out);
void cli_csample_fini(cli_csample *c);
/* <control>/sample.csv: ordinal, record_id, key, time, source, file, line,
 * offset, selection_key, assay_result, assay_reason, tester_result, tester_notes. */
int  cli_sample_csv_write(FILE *f, const rul_run *r, const rul_cresult *cr, const cli_csample *cs);

typedef struct cli_run_info {
    int          argc;
    char       **argv;
    as_time      started, finished;
} cli_run_info;

/* Writes every file of the evidence folder of a finished run. digest_hex
 * receives the SHA-256 of manifest.json (what a workpaper cites). 0, or -1
 * after reporting the problem. */
int cli_evidence_run(cli_outdir *od, const rul_run *r, const cli_run_info *ri, const cli_sampling *smp,
                     char digest_hex[2 * AS_SHA256_LEN + 1]);

/* cli_report.c: writes report.html (which shows digest_hex). 0 or -1. */
int cli_report_run(cli_outdir *od, const rul_run *r, const char *digest_hex, const cli_sampling *smp,
                   const cli_csample *samples);

/* cli_verify_dir.c: `assay verify DIR`; returns the exit code (0 identical,
 * 1 a difference, printed; 2 unreadable; 3 internal). */
int cli_verify_dir(const char *dir, int quiet);

/* Fills a manifest's head: version, build, command, cwd (into the caller's
 * buffer), started, finished (shared by run and sample). */
struct rpt_manifest;
void cli_manifest_head(struct rpt_manifest *m, const cli_run_info *ri, char *cwd, size_t cwd_cap);

/* The current wall-clock time (for started/finished). */
as_time cli_now(void);

#endif
