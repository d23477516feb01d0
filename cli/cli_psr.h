/* cli_psr.h: what the record-reading commands (parse, scan) share: parser
 * options, binding inputs to formats from their heads, document splitting,
 * and per-input output kept in input order (cli_psr.c).
 * Thread-safety: cli_psr_head runs on reader threads (one input each),
 * cli_psr_split_document on workers; cli_order is locked inside.
 */
#ifndef ASSAY_CLI_PSR_H
#define ASSAY_CLI_PSR_H

#include <pthread.h>  /* the order lock */
#include <stdio.h>    /* FILE spools */

#include "cli/cli.h"
#include "engine/eng.h"
#include "parsers/psr.h"

/* getopt_long ids of the shared parser options (after the commands' own). */
enum {
    CLI_OPT_FORMAT = 1000, CLI_OPT_TZ, CLI_OPT_YEAR, CLI_OPT_PERIOD, CLI_OPT_PATTERN,
    CLI_OPT_TIME_FIELD, CLI_OPT_DELIMITER, CLI_OPT_MAX_DOCUMENT,
};
#define CLI_PSR_LONGOPTS                                              \
    { "format", required_argument, NULL, CLI_OPT_FORMAT },            \
    { "tz", required_argument, NULL, CLI_OPT_TZ },                    \
    { "year", required_argument, NULL, CLI_OPT_YEAR },                \
    { "period", required_argument, NULL, CLI_OPT_PERIOD },            \
    { "pattern", required_argument, NULL, CLI_OPT_PATTERN },          \
    { "time-field", required_argument, NULL, CLI_OPT_TIME_FIELD },    \
    { "delimiter", required_argument, NULL, CLI_OPT_DELIMITER },      \
    { "max-document", required_argument, NULL, CLI_OPT_MAX_DOCUMENT }

typedef struct cli_psr_opts {
    psr_opts    p;            /* strings borrowed from argv */
    const char *format;       /* --format, NULL = auto */
    size_t      max_document; /* --max-document, 0 = default */
} cli_psr_opts;

/* Handles one shared option: 0 done, -1 bad value (reported), 1 not ours. */
int cli_psr_option(int id, const char *arg, cli_psr_opts *o);
extern const char *cli_psr_help;  /* the options' --help lines */

/* The parsers of one job. */
typedef struct cli_psr {
    psr_ctx    *ctx;
    psr_input **inputs;  /* per input, set by cli_psr_head (NULL: unopened, or out of memory) */
    int64_t    *years;   /* per input: year of its mtime (RFC 3164 without --year/--period) */
    size_t      n;
} cli_psr;

/* Returns CLI_EXIT_OK, or an exit code after reporting the problem. */
int  cli_psr_setup(cli_psr *g, const cli_psr_opts *o, size_t n_inputs, const eng_inputs *in);
void cli_psr_fini(cli_psr *g);
/* eng_sink.input_head: binds the input to its format; returns its framing. */
eng_framing cli_psr_head(cli_psr *g, uint32_t input, as_slice head);
/* eng_sink.split_document: the records of a JSON document. */
void cli_psr_split_document(const eng_blockctx *bc, as_slice doc, eng_emitter *em);

/* ---- output in input order ----
 * The input being written first goes straight to out/err; others are spooled
 * to temporary files until every earlier input is done. */
typedef struct cli_spool {
    FILE *out, *err;  /* tmpfile()s, NULL until needed */
    int   done;
} cli_spool;

typedef struct cli_order {
    pthread_mutex_t mu;
    FILE      *out, *err;
    cli_spool *sp;
    size_t     n, cur;   /* cur: the input now written directly */
    int        failed;   /* a write failed */
} cli_order;

int  cli_order_init(cli_order *o, size_t n_inputs, FILE *out, FILE *err);
void cli_order_write(cli_order *o, size_t input, const as_buf *out, const as_buf *err);
void cli_order_done(cli_order *o, size_t input);
/* Flushes what is left; 0, or -1 when a write failed. */
int  cli_order_fini(cli_order *o);

#endif
