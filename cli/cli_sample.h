/* cli_sample.h: the selection job behind `assay sample`, shared with
 * `assay verify sample.json`, which runs it again from what sample.json
 * recorded and compares (cmd_sample.c, cmd_verify.c).
 *
 * A job reads the population through the engine and the parsers: either
 * population.csv files written by `assay run` (record ids in the file) or
 * any logs and CSV exports assay reads (record id = the input's SHA-256
 * prefix and the record's byte offset). Passes: a census when the method
 * needs N, the strata or the total value first (and for logs, whose ids
 * need each input's SHA-256), then the selection. Workers parse, validate
 * and compute keys; the per-input merge (stream order) resolves RFC 3164
 * years, numbers the items and selects.
 */
#ifndef ASSAY_CLI_SAMPLE_H
#define ASSAY_CLI_SAMPLE_H

#include "cli/cli_psr.h"
#include "samplers/smp.h"

typedef enum smp_method {
    SMP_METHOD_RANDOM = 0, SMP_METHOD_SYSTEMATIC, SMP_METHOD_CELL, SMP_METHOD_STRATIFIED, SMP_METHOD_MUS,
} smp_method;
const char *cli_sample_method_name(smp_method m);
int         cli_sample_method_from(const char *s, smp_method *out);

#define CLI_SAMPLE_MAX_INPUTS 4096
#define CLI_SAMPLE_VALUE_SCALE 1000000u  /* MUS values are counted in millionths of their unit */
#define CLI_SAMPLE_REJECT_NOTES 10       /* rejected rows listed per input (all are counted) */

/* What a selection is made from (all strings borrowed). */
typedef struct cli_sample_opts {
    const char *pop[CLI_SAMPLE_MAX_INPUTS]; /* --population arguments */
    size_t      n_pop;
    uint64_t    size;                       /* n requested */
    smp_method  method;
    smp_seed    seed;                       /* not with has_start */
    int         has_seed;
    int         has_start;                  /* --start S (systematic, mus): s = start_num / start_den */
    uint64_t    start_num, start_den;
    const char *start_text;
    int         strata;                     /* 0 none, 1 period, 2 field */
    smp_period  period;
    const char *strata_field;
    const char *strata_text;                /* as given */
    uint64_t    min_per_stratum;
    const char *value_field;                /* mus */
    int         mus_cells;                  /* mus --cells: one random unit per cell (assay-mus-cell-j) */
    const char *key_field;                  /* logs: the field shown as key */
    unsigned    workers;
    cli_psr_opts po;
    int         quiet;
} cli_sample_opts;

/* One selected item (an as_malloc'd record of its own). */
typedef struct cli_sample_item {
    uint64_t          sel_key;     /* random, stratified: the HMAC key */
    unsigned __int128 unit;        /* interval methods: the first unit hit */
    uint64_t          times;       /* mus: units hit in this item (>= 1) */
    uint64_t          ordinal_pop; /* 1-based position in the population order (interval methods) */
    uint32_t          input;
    uint64_t          line, offset;
    as_time           time;
    char             *stratum;     /* owned, or NULL */
    as_buf            s;           /* id, key, source, location, value, then name/value pairs */
    uint32_t          n_fields;
} cli_sample_item;

typedef struct cli_sample_in {      /* per population input */
    const char *path;               /* display */
    uint8_t     sha256[AS_SHA256_LEN];
    int         has_sha, complete;
    uint64_t    bytes, records, rejected, items, excluded;
    uint64_t    rejected_by[AS_ERR__COUNT];
    unsigned __int128 value;        /* mus: positive value in the input */
    const char *format;
    char        notes[CLI_SAMPLE_REJECT_NOTES][200];  /* the first rejected rows, as file:line: text */
    unsigned    n_notes;
} cli_sample_in;

typedef struct cli_sample_res {
    int               pop_mode;     /* the inputs are population.csv files */
    uint64_t          N;            /* items in the population */
    unsigned __int128 total_value;  /* mus */
    uint64_t          excluded;     /* mus: items with value <= 0 */
    uint64_t          n;            /* items selected (distinct) */
    uint64_t          draws;        /* mus: units drawn (n requested) */
    int               full;         /* n >= N: every item */
    uint64_t          start_key;    /* systematic/mus random start h */
    cli_sample_item **items;        /* in sample order */
    cli_sample_in    *in;
    size_t            n_in;
    char              digest[AS_SHA256_HEX];  /* the population digest (docs/reperform.md) */
    /* strata: label, N_h, n_h in label order */
    char            **s_label;
    uint64_t         *s_N, *s_n;
    size_t            n_strata;
    int               incomplete;   /* an input could not be read whole */
    double            seconds;
} cli_sample_res;

/* Runs the selection. CLI_EXIT_OK, or an exit code after reporting. */
int  cli_sample_run(const cli_sample_opts *o, cli_sample_res *r);
void cli_sample_res_fini(cli_sample_res *r);
/* The item's strings: 0 id, 1 key, 2 source, 3 location, 4 value; fields from 5 on as name, value pairs. */
as_slice cli_sample_item_str(const cli_sample_item *it, unsigned i);
/* sample.csv into out (CRLF, formula cells neutralised). */
int  cli_sample_csv(const cli_sample_opts *o, const cli_sample_res *r, as_buf *out);
/* Millionths of a value unit as a decimal ("1234.5"). */
void cli_sample_value_text(unsigned __int128 v, char *out, size_t cap);
/* The selection key column as written: 16 hex digits (random, stratified) or the unit number. */
void cli_sample_key_text(const cli_sample_opts *o, const cli_sample_item *it, char *out, size_t cap);

#endif
