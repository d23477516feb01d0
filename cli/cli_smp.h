/* cli_smp.h: what the sampling commands (plan, sample, evaluate, verify)
 * share: option values (percentages, counts, models) and how they print
 * rates (cli_smp.c). */
#ifndef ASSAY_CLI_SMP_H
#define ASSAY_CLI_SMP_H

#include "cli/cli.h"
#include "samplers/smp.h"

/* --confidence/--tolerable/--expected: a percentage into basis points;
 * reports a usage error naming the option and returns -1. */
int cli_smp_pct(const char *opt, const char *arg, uint32_t *bp);
/* A positive integer count (0 allowed when allow_zero); -1 after reporting. */
int cli_smp_count(const char *opt, const char *arg, int allow_zero, uint64_t *out);
/* A non-negative decimal amount (--materiality 25000.50); -1 after reporting. */
int cli_smp_amount(const char *opt, const char *arg, long double *out);
int cli_smp_model(const char *arg, smp_model *out);  /* -1 after reporting */
/* "5%", "2.25%", "97.5%": basis points as a percentage, shortest form. */
void cli_smp_bp_text(uint32_t bp, char *out, size_t cap);
/* A fraction as a percentage with `decimals` decimals, "4.870291%". */
void cli_smp_frac_text(long double f, int decimals, char *out, size_t cap);

/* Reads a whole small file into b (at most max bytes); 0, or -1 after
 * reporting `path: ...`. */
int cli_smp_read_file(const char *path, size_t max, as_buf *b);

/* Reads an RFC 4180 CSV file (a sample.csv) and calls fn with the value of
 * its column named `column` in every data row, with the row's first line,
 * rpt_csv's formula guard removed. 0, or -1 after reporting (unreadable,
 * no such column, a row without it). */
int cli_smp_csv_column(const char *path, const char *column, void (*fn)(void *, uint64_t, as_slice), void *arg);
/* The same for a column that may be absent: then *present = 0 and it returns 0. */
int cli_smp_csv_column_opt(const char *path, const char *column, void (*fn)(void *, uint64_t, as_slice), void *arg,
                           int *present);

/* A tester's result cell: CLI_SMP_PASS (pass, passed, ok, yes, effective),
 * CLI_SMP_DEVIATION (exception, deviation, fail, failed, no, ineffective),
 * CLI_SMP_UNTESTABLE (counts as a deviation), CLI_SMP_EMPTY, or
 * CLI_SMP_UNKNOWN; case-insensitive, spaces trimmed. */
enum { CLI_SMP_PASS = 0, CLI_SMP_DEVIATION, CLI_SMP_UNTESTABLE, CLI_SMP_EMPTY, CLI_SMP_UNKNOWN };
int cli_smp_result_kind(as_slice v);

#endif
