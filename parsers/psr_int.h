/* psr_int.h: internals of the format layer (psr.h), shared by psr_input.c
 * (registry, sniffing, inputs) and the per-format glue psr_fmt_*.c. Not for
 * use outside parsers/.
 *
 * Each format kind has one psr_ops table (the enum-directive style of lz4:
 * psr_parse switches on the kind once per record, no per-field dispatch).
 * A parsed record's rec->state points to a psr_state in the block arena: the
 * input it belongs to and the format's scan result.
 */
#ifndef ASSAY_PSR_INT_H
#define ASSAY_PSR_INT_H

#include "parsers/psr.h"
#include "parsers/psr_authmsg.h"  /* psr_auth: sshd/sudo/useradd events inside syslog */
#include "parsers/psr_clf.h"      /* psr_clf */
#include "parsers/psr_json.h"     /* psr_json_path */
#include "parsers/psr_logfmt.h"   /* psr_logfmt */
#include "parsers/psr_regex.h"    /* psr_regex */

#define PSR_SNIFF_LINES 16        /* complete lines of the head scored per line format */
#define PSR_SNIFF_MIN   50        /* below this confidence an input's format is unknown */
#define PSR_CSV_MAX_COLS 1024     /* header columns accepted */
#define PSR_JSON_TIME_PATHS 12    /* event-time paths tried per JSON record */

typedef struct psr_state psr_state;

struct psr_ctx {
    psr_opts          opts;        /* copied; strings owned below */
    char             *pattern;     /* owned copy of opts.pattern */
    char             *time_field;  /* owned copy of opts.time_field */
    const psr_format *forced;      /* --format, or NULL for auto */
    psr_regex        *re;          /* compiled --pattern, or NULL */
};

struct psr_worker {
    psr_state    *scratch;         /* psr_parse_transient's record state */
    psr_regex_md *md;              /* match data for ctx->re, or NULL */
};

struct psr_input {
    const psr_ctx    *ctx;
    const psr_format *fmt;         /* NULL = unknown */
    int               confidence;
    as_err            error;       /* a fault that rejects every record (bad CSV header) */
    int64_t           ref_year;    /* RFC 3164: year the file was written (0 unknown) */
    /* event time */
    char              time_name[128]; /* field name in use ("" = none) */
    int               time_index;  /* CSV column / regex group, -1 = none */
    psr_json_path     time_paths[PSR_JSON_TIME_PATHS]; /* JSON: --time-field, or the candidates in order */
    size_t            n_time_paths;
    int               time_strict; /* JSON: 1 = only --time-field's path */
    /* CSV */
    char              delim;
    as_slice         *cols;        /* header names (owned: in arena) */
    size_t            n_cols;
    as_arena          arena;       /* header storage */
};

/* What rec->state points to. */
struct psr_state {
    const psr_input *in;
    union {
        psr_clf clf;
        struct {
            psr_syslog sl;
            psr_auth   auth;       /* filled on first use */
            int        has_auth;
        } sys;
        struct {
            as_slice *v;           /* CSV cells / regex groups (arena) */
            size_t    n;
        } cells;
        psr_logfmt kv;
    } u;
};

typedef struct psr_ops {
    /* Validates one record and fills res; sets up st. */
    as_code (*parse)(const psr_input *in, psr_worker *w, as_rec *rec, psr_state *st, as_arena *ar,
                     psr_res *res);
    /* Every field present, in order. */
    as_code (*each)(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar);
} psr_ops;

/* Field tables of the line formats (psr_fmt_line.c); the order is the
 * field index the getters switch on. */
#define PSR_CLF_N_FIELDS    14
#define PSR_SYSLOG_N_FIELDS 27
extern const psr_field_def psr_clf_fields[PSR_CLF_N_FIELDS];
extern const psr_field_def psr_syslog_fields[PSR_SYSLOG_N_FIELDS];

extern const psr_ops psr_ops_clf, psr_ops_syslog, psr_ops_json, psr_ops_csv, psr_ops_logfmt,
    psr_ops_regex;
extern const as_rec_fmt psr_recfmt[PSR_KIND__COUNT];
/* The as_rec_fmt.get of each kind: the value of a named field. */
int psr_clf_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar);
int psr_syslog_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar);
int psr_jsonrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar);
int psr_csvrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar);
int psr_regexrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar);
int psr_logfmtrec_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar);

/* Parses a field's text as the event time (CSV cells, JSON strings and
 * numbers, regex groups): ISO 8601, epoch s/ms, CLF, RFC 2822, ...
 * AS_OK, or AS_ERR_BAD_TIME. */
as_code psr_time_from_text(as_slice text, int tz_offset_min, as_time *out);
as_code psr_time_from_val(const as_val *v, int tz_offset_min, as_time *out);


/* Binds CSV: parses the header row in head into in->cols. */
void psr_csv_bind(psr_input *in, as_slice head);
/* Binds JSON: picks the event-time path. */
void psr_json_bind(psr_input *in, as_slice head);
/* Binds regex: the time group. */
void psr_regex_bind(psr_input *in);

#endif
