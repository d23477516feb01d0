/* cli.h: what the command implementations in cli/ share: exit codes, the
 * command table, option helpers, the progress line and output helpers.
 * cli/ is the only part that prints to the user or chooses exit codes.
 */
#ifndef ASSAY_CLI_H
#define ASSAY_CLI_H

#include <stdio.h>  /* FILE */

#include "core/as.h"

/* Exit codes (README, --help, man page). */
enum {
    CLI_EXIT_OK         = 0, /* success, no control exceptions */
    CLI_EXIT_EXCEPTIONS = 1, /* success, control exceptions found */
    CLI_EXIT_INPUT      = 2, /* usage or input error, incl. inputs that could not be read whole */
    CLI_EXIT_INTERNAL   = 3, /* internal error (out of memory, a bug) */
};

typedef struct cli_cmd {
    const char *name;
    const char *summary;                 /* one line for `assay --help` */
    int (*run)(int argc, char **argv);   /* argv[0] is the command name; returns an exit code */
} cli_cmd;

extern const cli_cmd cli_commands[];
extern const size_t  cli_n_commands;

int cmd_scan(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_stub(int argc, char **argv);     /* commands not implemented yet: says so, exits 2 */

/* Prints e as `file:line:col: error: msg` on stderr (the one printer). */
void cli_err(const as_err *e);
/* Prints `assay: error: <msg>` (usage and setup errors without a location). */
void cli_errf(const char *fmt, ...) AS_PRINTF(1, 2);
void cli_warnf(const char *fmt, ...) AS_PRINTF(1, 2);

/* Parses "123", "64K", "1M", "2G" (binary units); 0 on success. */
int cli_parse_size(const char *s, uint64_t *out);
/* Parses -j: 1..ENG_MAX_WORKERS; 0 on success. */
int cli_parse_jobs(const char *s, unsigned *out);

/* Writes the buffer to f; 0 on success (reports the error itself). */
int cli_write(FILE *f, const as_buf *b);

/* Progress line on stderr: --progress=auto|always|never, --quiet. */
typedef enum cli_progress_mode { CLI_PROGRESS_AUTO, CLI_PROGRESS_ALWAYS, CLI_PROGRESS_NEVER } cli_progress_mode;
int  cli_parse_progress(const char *s, cli_progress_mode *out);
typedef struct cli_progress {
    int    enabled;   /* decided from the mode and isatty(stderr) */
    int    drawn;     /* a line is on screen and must be cleared */
} cli_progress;
void cli_progress_init(cli_progress *p, cli_progress_mode mode, int quiet);
void cli_progress_cb(void *arg, uint64_t done, uint64_t total, double seconds); /* eng_progress_fn */
void cli_progress_clear(cli_progress *p);

/* Human byte count with 1 decimal: "1.5 GB" (10^9 units, as throughput is). */
void cli_human_bytes(uint64_t n, char *out, size_t cap);

/* An aligned text table (terminal output). Cells are copied. */
typedef struct cli_table {
    as_buf    cells;    /* NUL-separated cell texts */
    unsigned  n_cols;
    size_t    n_cells;
    unsigned *right;    /* per column: right-aligned (numbers) */
} cli_table;
int  cli_table_init(cli_table *t, unsigned n_cols, const unsigned *right_aligned) AS_MUST_USE;
void cli_table_add(cli_table *t, const char *cell);
void cli_table_print(const cli_table *t, FILE *f);
void cli_table_fini(cli_table *t);

/* "<git describe> <variant>": the build, as manifests record it (cli_version.c). */
const char *cli_build(void);
/* `assay --version` text. */
void cli_print_version(FILE *f);

#endif
