/* rul.h: the public header of rules/: controls as rule files, tested over
 * whole populations (docs/rules.md).
 *
 *   rul_set_load   YAML rule files (rul_yaml) -> sources, sets and controls,
 *                  every expression compiled once (rul_expr), every problem
 *                  a diagnostic with file:line:col (rul_load.c)
 *   rul_bind       inputs -> sources: globs relative to each input folder,
 *                  --source NAME=PATH overrides, routing by the first record
 *                  of an input no glob claims (rul_bind.c)
 *   rul_run        one engine job over every bound input: each record is
 *                  parsed once and offered to every record-set reading its
 *                  source; matching records become compact facts, cadence
 *                  counts are folded per block (rul_run.c, rul_cell.c)
 *   rul_finish     the tests over the collected facts: each, cadence,
 *                  followed_by / preceded_by, reconcile, aggregate; every
 *                  instance gets a result and every exception the locations
 *                  that prove it (rul_test.c)
 *   rul_write_*    population.csv, exceptions.csv, results.json (rul_out.c)
 *
 * Determinism: facts are collected per input and combined in input order,
 * instances are sorted by a total order, so results are identical at any -j.
 * Memory: what is kept is the matching records' facts (key, time, location:
 * about 100 bytes each plus their strings) and one counter per cadence cell;
 * it grows with the number of matching events, not with the input size.
 */
#ifndef ASSAY_RUL_H
#define ASSAY_RUL_H

#include "core/as.h"
#include "engine/eng.h"
#include "rules/rul_expr.h"

#define RUL_MAX_SOURCES   64  /* sources in one rule set (a bit mask per input) */
#define RUL_MAX_RS_SOURCES 8  /* sources one record-set may read */

/* ---- the compiled rule set ---- */

typedef struct rul_source {
    char      *name;
    char      *description;
    char     **paths;        /* globs relative to an input folder (okta/ followed by two stars, or *.jsonl) */
    size_t     n_paths;
    char      *format;       /* forced format name, NULL = sniffed */
    int        tz_offset_min;
    int        has_tz;
    char      *time_field;   /* overrides the format's event-time field */
    rul_expr  *detect;       /* routes an input no glob claims, by its first record */
    int        continuous;   /* records are expected every day (coverage gaps matter) */
    const char *file;        /* where it is defined */
    uint32_t   line, col;
} rul_source;

/* A record-set: which records of which sources, and what about them. */
typedef struct rul_recset {
    int        src[RUL_MAX_RS_SOURCES];
    size_t     n_src;
    rul_expr  *where;        /* NULL = every record */
    rul_expr  *key;          /* who or what the record is about */
    rul_expr  *time;         /* NULL = the record's event time */
    rul_expr  *unique;       /* NULL = no de-duplication */
    uint32_t   line, col;    /* of the record-set in its rule file */
} rul_recset;

typedef struct rul_setdef {
    char       *name;        /* without '$' */
    rul_recset  rs;          /* rs.key is the member value */
    const char *file;
    uint32_t    line, col;
} rul_setdef;

typedef enum rul_test_kind {
    RUL_TEST_EACH = 0,
    RUL_TEST_CADENCE,
    RUL_TEST_FOLLOWED_BY,
    RUL_TEST_PRECEDED_BY,
    RUL_TEST_RECONCILE,
    RUL_TEST_AGGREGATE,
} rul_test_kind;
const char *rul_test_name(rul_test_kind k);

typedef enum rul_bucket { RUL_B_DAY = 0, RUL_B_WEEK, RUL_B_MONTH, RUL_B_QUARTER, RUL_B_YEAR } rul_bucket;
const char *rul_bucket_name(rul_bucket b);
/* rul_bucket.c: the bucket of an instant (seconds since 1970 UTC) in a zone
 * (minutes east of UTC); consecutive buckets are consecutive numbers. */
int64_t rul_bucket_of(rul_bucket b, int64_t sec, int tz_min);
/* The first second of a bucket. */
int64_t rul_bucket_start(rul_bucket b, int64_t k, int tz_min);
/* Its label: 2025-10-01, 2025-W40, 2025-10, 2025Q4, 2025. Returns the length. */
size_t  rul_bucket_label(rul_bucket b, int64_t k, char *out, size_t cap);

#define RUL_UNBOUNDED INT64_MAX  /* a window without limit ("any") */
#define RUL_MAX_BUCKETS 100000   /* cadence buckets per group (273 years of days): beyond, the cells stop */

typedef struct rul_control {
    char       *id, *title, *description, *frequency, *severity;
    char      **criteria;
    size_t      n_criteria;
    const char *file;        /* rule file */
    uint32_t    line, col;
    char       *text;        /* the control's YAML as written (for the report) */
    rul_recset  pop;         /* the population */
    rul_test_kind kind;
    /* each */
    rul_expr   *assert_;
    /* cadence */
    rul_expr   *ok;          /* NULL: every population record counts */
    rul_bucket  every;
    int64_t     min_count;
    int64_t     max_gap;     /* ns; 0 = not checked */
    int         groups_set;  /* set id whose members are the groups, -1 = groups seen */
    int         tz_offset_min; /* zone of the buckets */
    /* followed_by / preceded_by / reconcile */
    rul_recset  other;       /* the matching events (other.key is their match key) */
    rul_expr   *on;          /* the instance's match key; NULL = pop.key */
    int64_t     within;      /* ns after (followed_by) or before (preceded_by); RUL_UNBOUNDED */
    int64_t     early;       /* followed_by: a match this long before the instance counts */
    int         expect_none; /* an instance with a match is the exception */
    int         strict;      /* a match at the instance's exact time does not count */
    int         report_left, report_right; /* reconcile: which side's unmatched are exceptions */
    /* aggregate */
    rul_expr   *value;       /* NULL = count */
    int64_t     window;      /* ns */
    double      max;
    int         has_reset;
    rul_recset  reset;       /* events that end a burst (a lockout) */
} rul_control;

typedef struct rul_diag {
    as_err      e;           /* e.loc.src = the rule file */
    as_severity sev;
} rul_diag;

typedef struct rul_file {
    char   *path;
    uint8_t sha256[AS_SHA256_LEN];
    uint64_t size;
} rul_file;

typedef struct rul_set {
    rul_source  *src;   size_t n_src;
    rul_setdef  *sets;  size_t n_sets;
    rul_control *ctl;   size_t n_ctl;
    rul_file    *files; size_t n_files;
    rul_diag    *diag;  size_t n_diag;
    size_t       n_errors;
    void        *_priv; /* YAML documents, name tables */
} rul_set;

rul_set *rul_set_new(void) AS_MUST_USE;
void     rul_set_free(rul_set *s);
/* Loads a rule file, or every *.yaml / *.yml below a folder (sorted). The
 * problems found go to s->diag; returns AS_OK, or AS_ERR_NOMEM. */
as_code  rul_set_load(rul_set *s, const char *path) AS_MUST_USE;
/* The same for a rule file's text already in memory (path names it). */
as_code  rul_set_load_text(rul_set *s, const char *path, const char *text, size_t len) AS_MUST_USE;
/* After every load: resolves names, compiles every expression against its
 * source's format. Problems go to s->diag. */
as_code  rul_set_compile(rul_set *s) AS_MUST_USE;
int      rul_set_source(const rul_set *s, const char *name); /* id or -1 */
void     rul_diag_print(FILE *f, const rul_set *s);

/* ---- binding inputs to sources ---- */

typedef struct rul_override {
    int         src;
    const char *path;
} rul_override;

typedef struct rul_binding {
    eng_inputs  in;          /* every input of the job */
    uint64_t   *mask;        /* per input: the sources it belongs to (bit = source id) */
    uint64_t   *detect;      /* per input: sources still to test with `detect` on its first record */
    char      **rel;         /* per input: path relative to its input folder */
    uint8_t    *virt;        /* per input: 1 = loaded from a saved state (rul_state_load), not read */
    size_t      n_unbound;   /* inputs no source claimed (reported, not read) */
    uint64_t    n_args;
} rul_binding;

/* Expands args (files, folders, globs) and overrides and binds each input.
 * Returns AS_OK or an error in err (a glob that matches nothing, no memory). */
as_code rul_bind(const rul_set *s, const char *const *args, size_t n_args,
                 const rul_override *ov, size_t n_ov, rul_binding *b, as_err *err) AS_MUST_USE;
void    rul_binding_fini(rul_binding *b);
/* Matches a rule glob against a relative path (exported for tests). */
int     rul_glob_match(const char *pattern, const char *path);

/* ---- running ---- */

typedef enum rul_result_kind { RUL_PASS = 0, RUL_EXCEPTION, RUL_UNTESTABLE } rul_result_kind;
const char *rul_result_name(rul_result_kind r);

typedef struct rul_where {
    uint32_t input;          /* UINT32_MAX = none */
    uint64_t line;           /* 0 = none (an absence) */
    uint64_t offset;
} rul_where;

typedef struct rul_inst {
    as_slice        id;      /* record id, or group/bucket for a cadence cell */
    as_slice        key;
    as_time         time;
    rul_where       at;      /* the record (cadence: the record that proves the exception, if any) */
    rul_result_kind result;
    const char     *reason;  /* a stable code, "" for a pass */
    as_slice        measured;/* e.g. "6h0m0s" late, "0" events */
    as_slice        detail;  /* a sentence */
    rul_where       rel;     /* a related record (the late match, the earlier termination) */
    const char     *side;    /* reconcile: "left" / "right"; else NULL */
    uint8_t         src;     /* the source id it came through */
} rul_inst;

typedef struct rul_dup {
    as_slice  key, uniq;
    rul_where at, first;
} rul_dup;

typedef struct rul_cresult {
    const rul_control *c;
    rul_inst *inst;  size_t n_inst;
    rul_dup  *dup;   size_t n_dup;
    uint64_t  n_pass, n_exception, n_untestable;
    uint64_t  n_outside;     /* matching records outside --period */
    uint64_t  n_other;       /* matching records of `other` */
    int       truncated;     /* cadence: the period had more than RUL_MAX_BUCKETS buckets */
    int       oom;
} rul_cresult;

typedef struct rul_run_opts {
    unsigned  workers;
    as_time   period_start, period_end; /* valid flags when given; end exclusive */
    int64_t   year;          /* --year */
    int       tz_offset_min; /* --tz (default of sources without one) */
    size_t    max_record;
} rul_run_opts;

typedef struct rul_run rul_run;

/* Reads the set sources, then every bound input once; fills results. */
rul_run *rul_run_new(const rul_set *s, const rul_binding *b, const rul_run_opts *o) AS_MUST_USE;
void     rul_run_free(rul_run *r);
as_code  rul_run_exec(rul_run *r, as_err *err) AS_MUST_USE;
void     rul_run_cancel(rul_run *r);
size_t              rul_run_n_results(const rul_run *r);
const rul_cresult  *rul_run_result(const rul_run *r, size_t i);
const eng_stat     *rul_run_stat(const rul_run *r, size_t input);
const char         *rul_run_input_display(const rul_run *r, size_t input);
const char         *rul_run_input_format(const rul_run *r, size_t input);
size_t              rul_run_n_inputs(const rul_run *r);
const rul_set      *rul_run_rules(const rul_run *r);
const char         *rul_run_input_rel(const rul_run *r, size_t input); /* path below its input folder */
uint64_t            rul_run_input_sources(const rul_run *r, size_t input);
/* An input's records per UTC day (days since 1970-01-01), in day order:
 * the completeness evidence (coverage chart, gaps). */
typedef struct rul_daycount {
    int64_t  day;
    uint64_t n;
} rul_daycount;
const rul_daycount *rul_run_input_days(const rul_run *r, size_t input, size_t *n);
/* The period used (given, or derived from the populations' times). */
void                rul_run_period(const rul_run *r, as_time *start, as_time *end, int *given);

/* ---- saved state (rul_state.c): shards merged equal the whole ----
 * rul_run_save writes what a finished run collected per input (accounting,
 * records per day, facts, cadence cells) and the set members. Loading a
 * state appends its inputs to a binding as inputs already read (before
 * rul_run_new), then rul_state_inject puts their facts back (after it):
 * the run then finishes as one over all inputs, in binding order. Only the
 * same rule files (by SHA-256) and the same --period load. */
typedef struct rul_state rul_state;
as_code rul_run_save(const rul_run *r, FILE *f, as_err *err) AS_MUST_USE;
as_code rul_state_load(const rul_set *s, const rul_run_opts *o, const char *path, rul_binding *b,
                       rul_state **out, as_err *err) AS_MUST_USE;
as_code rul_state_inject(rul_run *r, const rul_state *st) AS_MUST_USE;
void    rul_state_free(rul_state *st);

/* ---- writing ---- */
as_code rul_write_population(FILE *f, const rul_run *r, const rul_cresult *cr) AS_MUST_USE;
as_code rul_write_exceptions(FILE *f, const rul_run *r, const rul_cresult *cr) AS_MUST_USE;
const char *rul_verdict(const rul_cresult *cr); /* effective, exceptions, no_population */
as_code rul_write_results_json(FILE *f, const rul_run *r, const char *const *argv, int argc) AS_MUST_USE;

#endif
