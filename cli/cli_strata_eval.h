/* cli_strata_eval.h: the stratified part of `assay evaluate --results`.
 *
 * A tested sample.csv of a stratified selection has a `stratum` column. Its
 * rows are counted per stratum (n_h tested, x_h deviations); the strata's
 * sizes N_h come from the sample.json of the selection (beside the results,
 * or --sample FILE), checked against the counts. With them every stratum gets
 * its exact hypergeometric limit and the whole sample the deterministic
 * stratified bound (smp_eval_strata); without them, each stratum's
 * Clopper-Pearson limit for information. Which evaluation governs the
 * conclusion is the caller's: the pooled one for a proportional allocation,
 * the stratified bound otherwise (docs/sampling.md "Evaluation").
 */
#ifndef ASSAY_CLI_STRATA_EVAL_H
#define ASSAY_CLI_STRATA_EVAL_H

#include "cli/cli.h"
#include "report/rpt.h"
#include "samplers/smp.h"

typedef struct cli_strata_eval {
    size_t          H;          /* 0: not a stratified sample (no stratum values) */
    char          **label;      /* label order */
    uint64_t       *n, *x;
    uint64_t       *N, *K;      /* has_N only */
    long double    *ub;         /* each stratum's limit (K_h / N_h, or Clopper-Pearson) */
    int             has_N;
    char            source[512];/* the sample.json used ("" when none) */
    char            why_no_N[768];
    smp_strata_eval se;         /* has_N only */
} cli_strata_eval;

/* 0 (with H = 0 when the results have no stratum values), or -1 after
 * reporting. sample_json NULL = sample.json in the results' folder, if any. */
int  cli_strata_eval_run(const char *results, const char *column, const char *sample_json, uint32_t conf_bp,
                         uint32_t tdr_bp, cli_strata_eval *s);
void cli_strata_eval_fini(cli_strata_eval *s);
/* "strata": [...] and "stratified_bound": {...} (or null) into an open object. */
void cli_strata_eval_json(const cli_strata_eval *s, rpt_json *j);
/* A table and a paragraph for the terminal. */
void cli_strata_eval_print(const cli_strata_eval *s, uint32_t conf_bp, FILE *f);

#endif
