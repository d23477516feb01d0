/* psr.h: the public header of parsers/: log formats as the rest of assay
 * sees them.
 *
 * The format modules (psr_clf, psr_syslog, psr_json, psr_csv, psr_logfmt,
 * psr_regex) are
 * scanners over one record. This layer makes them one interface:
 *   - a registry of formats with their fields and event-time field
 *     (`assay formats`), and sniffing of an input's first bytes
 *     (--format auto);
 *   - psr_input: one input bound to a format and options (the CSV header,
 *     the JSON time path, the compiled regex), built once on the reader
 *     thread from the input's head and read-only afterwards;
 *   - psr_parse: validates one record completely, finds its event time and
 *     makes its fields available by name through as_rec_get (core/as_rec.h);
 *     field values are decoded only when asked for;
 *   - the splitter for whole-document inputs (CloudTrail delivery files, JSON
 *     arrays): psr_doc_next;
 *   - psr_fields_each: every field of a record, for `assay parse`.
 *
 * RFC 3164 syslog stamps have no year: psr_parse leaves such a time pending
 * (psr_res.needs_year) and the caller resolves it in stream order with
 * psr_syslog_year (parsers/psr_syslog.h), which is a pure function of the
 * previous record, so per-block work can be replayed in order at merge time.
 *
 * Thread-safety: a psr_ctx and every psr_input are read-only once built and
 * shared by all workers; each worker owns one psr_worker (regex match data).
 * Memory: parse results and decoded values come from the caller's arena
 * (the block's): they live until the block is merged.
 */
#ifndef ASSAY_PSR_H
#define ASSAY_PSR_H

#include "core/as.h"             /* as_slice, as_rec, as_val, as_arena, as_err, as_time */
#include "parsers/psr_json.h"    /* psr_json_path, psr_json_get: lookups in raw JSON values (rules/) */
#include "parsers/psr_syslog.h"  /* psr_syslog_year: year inference for RFC 3164 stamps */

/* ---- formats ---- */
typedef enum psr_kind {
    PSR_KIND_UNKNOWN = 0, /* not recognised: records are kept raw, without fields */
    PSR_KIND_CLF,         /* Apache/nginx access logs: combined, common and variants */
    PSR_KIND_SYSLOG,      /* RFC 3164, RFC 5424, ISO-stamped syslog; auth events */
    PSR_KIND_JSONL,       /* one JSON object per line */
    PSR_KIND_JSONDOC,     /* one JSON document: {"Records":[...]} or a top-level array */
    PSR_KIND_CSV,         /* RFC 4180 with a header row */
    PSR_KIND_LOGFMT,      /* key=value lines, optionally after a timestamp (backup, deploy jobs) */
    PSR_KIND_REGEX,       /* a PCRE2 pattern with named groups (--pattern) */
    PSR_KIND__COUNT
} psr_kind;

/* How the engine must cut an input of this format into records. */
typedef enum psr_framing {
    PSR_FRAME_LINES = 0,  /* one record per line */
    PSR_FRAME_QUOTED,     /* CSV: line feeds inside double quotes stay in the record */
    PSR_FRAME_DOCUMENT,   /* the whole input is one document; psr_doc_next cuts it */
} psr_framing;

typedef struct psr_field_def {
    const char *name;  /* "status", "actor.alternateId" (JSON formats: an example path) */
    as_vtype    type;  /* the value type it has when present */
    const char *doc;   /* one line */
} psr_field_def;

typedef struct psr_format {
    const char          *name;       /* "combined"; what --format takes */
    psr_kind             kind;
    psr_framing          framing;
    const char          *summary;    /* one line */
    const psr_field_def *fields;     /* the fields every record of the format can have */
    size_t               n_fields;
    const char          *time_field; /* which field is the event time */
    int                  any_path;   /* 1: any dotted path into the record is a field (JSON) */
    int                  dynamic;    /* 1: the fields come from the input (CSV header, regex groups) */
} psr_format;

size_t            psr_format_count(void);
const psr_format *psr_format_at(size_t i);
/* By name ("combined", "common", "syslog", "jsonl", "cloudtrail", "json",
 * "csv", "logfmt", "regex"); NULL when unknown. "common" is the combined parser (it
 * accepts both layouts). */
const psr_format *psr_format_find(const char *name);

/* ---- options (the job's; read-only during the job) ---- */
typedef struct psr_opts {
    int         tz_offset_min;  /* --tz: zone of naive timestamps, minutes east of UTC */
    int64_t     year;           /* --year for RFC 3164 stamps; 0 = from the period or the file */
    as_time     period_start;   /* --period START..END (valid flag set when given) */
    as_time     period_end;
    char        csv_delim;      /* --delimiter; 0 = sniffed (',' when unsure) */
    const char *pattern;        /* --pattern (regex format); NULL when not given */
    const char *time_field;     /* --time-field: overrides the format's event-time field */
} psr_opts;

/* ---- the job-wide context ---- */
typedef struct psr_ctx psr_ctx;
/* Builds the context: copies opts, compiles --pattern (AS_ERR_SYNTAX with the
 * pattern column in err->loc.col) and checks forced is a known format name
 * or NULL/"auto". */
psr_ctx *psr_ctx_new(const psr_opts *opts, const char *forced, as_err *err) AS_MUST_USE;
void     psr_ctx_free(psr_ctx *c);

/* ---- one input ---- */
typedef struct psr_input psr_input;

/* Binds one input to its format: the forced one, or the best-scoring sniff of
 * head (its first decompressed bytes). For CSV the header row is parsed from
 * head; for JSON formats the event-time path is found in the first record
 * (published, eventTime, @timestamp, ...) unless --time-field says it.
 * ref_year is the year the file was last written (RFC 3164 stamps without
 * --year or --period; 0 = unknown). Never fails on content: an input no
 * format fits gets PSR_KIND_UNKNOWN, a bad CSV header is remembered and
 * every record of the input is rejected with it. Returns NULL only when out
 * of memory. */
psr_input *psr_input_new(const psr_ctx *c, as_slice head, int64_t ref_year) AS_MUST_USE;
void       psr_input_free(psr_input *in);

const psr_format *psr_input_format(const psr_input *in);   /* NULL when unknown */
const char       *psr_input_format_name(const psr_input *in); /* "unknown" when unknown */
int               psr_input_confidence(const psr_input *in);  /* 0..100; 100 when forced */
psr_framing       psr_input_framing(const psr_input *in);
/* The event-time field in use ("" when none). */
const char       *psr_input_time_field(const psr_input *in);
/* Why the input cannot be parsed (a bad CSV header, ...), or NULL. */
const as_err     *psr_input_error(const psr_input *in);
/* Where RFC 3164 years come from for this input: "year" (--year), "period"
 * (--period), "mtime" (the first stamp is placed in the year before the
 * end of the year the file was last written: a guess, said so in outputs),
 * "none" (such stamps are rejected). */
const char       *psr_input_year_source(const psr_input *in);
/* RFC 3164 year state for this input, at its start. */
void              psr_input_year_init(const psr_input *in, psr_syslog_year *ys);

/* ---- per worker ---- */
typedef struct psr_worker psr_worker;
psr_worker *psr_worker_new(const psr_ctx *c) AS_MUST_USE;
void        psr_worker_free(psr_worker *w);

/* ---- parsing ---- */
typedef struct psr_res {
    as_time     time;       /* the event time when valid (AS_TIME_VALID) */
    uint8_t     needs_year; /* an RFC 3164 stamp: resolve with psr_res_resolve_year in stream order */
    uint8_t     month, day; /* that stamp, as written */
    uint32_t    sod;        /* its second of day */
    uint64_t    err_line;   /* on rejection: line inside the record (1 = its first line) */
    uint64_t    err_col;    /* on rejection: 1-based byte column in that line (0 = unknown) */
    const char *why;        /* on rejection: static text, or NULL for the code's default */
} psr_res;

/* Parses rec (a record the engine accepted: valid UTF-8, no NUL) as the
 * input's format. Returns AS_OK, sets rec->fmt and rec->state so that
 * as_rec_get works for the block's lifetime, and fills *res; or a rejection
 * code (AS_ERR_SYNTAX, AS_ERR_BAD_TIME, AS_ERR_BAD_VALUE, AS_ERR_NOMEM) with
 * its location in *res. An input of unknown format accepts every record
 * raw (no fields, no time). */
as_code psr_parse(const psr_input *in, psr_worker *w, as_rec *rec, as_arena *ar, psr_res *res) AS_MUST_USE;

/* The same, for a caller that needs the time and the verdict but keeps no
 * record: the record's state lives in w and its fields can be read only
 * until the next psr_parse_transient on w (assay scan: no arena traffic for
 * a few hundred bytes of scan state per record). */
as_code psr_parse_transient(const psr_input *in, psr_worker *w, as_rec *rec, as_arena *ar,
                            psr_res *res) AS_MUST_USE;

/* Resolves a pending RFC 3164 year (res->needs_year) with the input's year
 * state, in stream order; fills res->time. AS_OK (also when nothing was
 * pending) or AS_ERR_BAD_TIME (no year fits, 29 Feb of a non-leap year). */
as_code psr_res_resolve_year(psr_syslog_year *ys, psr_res *res) AS_MUST_USE;

/* Calls fn for every field of a parsed record that is present, in the
 * format's field order (CLF, syslog with its auth event fields, CSV columns,
 * regex groups). JSON formats have no fixed fields: psr_rec_json gives the
 * record's text instead and fn is not called. Returns AS_OK or what decoding
 * a value returned (AS_ERR_NOMEM). */
typedef void (*psr_field_fn)(void *arg, as_slice name, const as_val *v);
as_code psr_fields_each(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar) AS_MUST_USE;
/* Fields by position, for callers that read a few named columns of every
 * row (the sampler): the index of a CSV input's column (its header name),
 * or -1 when the input is not CSV or has no such column; and that cell of a
 * record parsed from it (psr_parse or psr_parse_transient), as a string
 * slice; empty when out of range. */
int      psr_input_column(const psr_input *in, as_slice name);
as_slice psr_rec_cell(const as_rec *rec, int index);
/* A JSON-format record's text (validated; may span lines); empty otherwise. */
as_slice psr_rec_json(const as_rec *rec);

/* ---- whole documents (PSR_FRAME_DOCUMENT) ---- */
typedef struct psr_doc_iter {
    as_slice doc;     /* the document; borrowed */
    void    *_it;     /* private: the JSON iterator (arena) */
    int      _done;
} psr_doc_iter;

typedef struct psr_doc_rec {
    as_slice raw;     /* the record's bytes, inside the document */
    uint64_t offset;  /* from the document's start */
    uint64_t line;    /* 1-based line of its first byte */
    uint32_t n_lines; /* lines it spans */
    as_code  code;    /* AS_OK, or why the rest of the document is rejected */
    uint64_t err_col; /* on rejection: 1-based column of the first invalid byte */
    const char *why;  /* on rejection: static text */
} psr_doc_rec;

/* Iterates the records of a document: each element of a "Records" array or
 * of a top-level array (a single object is one record). At the first invalid
 * byte the rest of the document from there is one rejected record; the
 * records before it stay. Returns 1 with *out filled, or 0 at the end. */
void psr_doc_init(psr_doc_iter *it, as_slice doc, as_arena *ar);
int  psr_doc_next(psr_doc_iter *it, psr_doc_rec *out);

#endif
