/* rpt_html.h: the self-contained HTML report of an evidence folder
 * (docs/evidence.md), and the HTML escaper it is built on.
 *
 * The report is rendered from a plain model (rpt_report) that the caller
 * fills from a run's results: report/ knows nothing of rules or samplers.
 * One file: inline CSS and SVG, no script, no external fetch, a strict
 * Content-Security-Policy meta tag; it works offline and prints to PDF.
 * Every string of the model may be attacker-controlled (log fields): each
 * one goes through rpt_html_escape (text and attribute contexts alike), and
 * invalid UTF-8 is replaced by U+FFFD. Lists are capped (the caller gives
 * the first rows and the total; the CSVs carry everything), so a control with
 * a million exceptions still gives a small report.
 * Output is deterministic: the same model gives the same bytes.
 * Thread-safety: none needed (one call per report).
 */
#ifndef ASSAY_RPT_HTML_H
#define ASSAY_RPT_HTML_H

#include "core/as.h"

/* Appends s escaped for HTML text and double-quoted attribute values
 * (& < > " ' and control characters other than TAB/LF), invalid UTF-8 as
 * U+FFFD. Returns the number of bytes replaced, or -1 when memory runs out. */
int64_t rpt_html_escape(as_buf *out, as_slice s);

typedef struct rpt_kv {
    as_slice k, v;
} rpt_kv;

typedef struct rpt_input {
    as_slice path;       /* as shown */
    as_slice sources;    /* "okta" or "auth, web"; empty: claimed by no source */
    as_slice format;
    uint64_t bytes;      /* stored */
    as_slice sha256;     /* hex, empty when not read whole */
    uint64_t records, rejected;
    int      complete;
    int      read;
} rpt_input;

/* One row of the coverage chart: records per day of the period for one
 * source entity ("web/www", "auth/db-01", "okta"). */
typedef struct rpt_covrow {
    as_slice        name;
    const uint64_t *per_day;  /* n_days counts (rpt_report.n_days) */
} rpt_covrow;

typedef struct rpt_exc {     /* one exception or untestable instance */
    as_slice id, key, time, result, reason, measured, detail, where; /* where: file:line or file */
} rpt_exc;

typedef struct rpt_sample {  /* a sample drawn from a control's population */
    as_slice method, seed, algorithm;
    uint64_t population, size, deviations, allowed;
    double   confidence_pct, tolerable_pct, expected_pct, upper_limit_pct;
    as_slice conclusion;     /* "supports" / "does_not_support" / "" when not evaluated yet */
    as_slice reperform;      /* the re-performance recipe (docs/reperform.md), preformatted text */
    const rpt_exc *items;    /* the first selected items (id, key, time, where; result if tested) */
    size_t   n_items, total_items;
} rpt_sample;

typedef struct rpt_control {
    as_slice id, title, criteria, frequency, severity, test, description;
    as_slice rule_text;      /* the control as written in its rule file */
    as_slice rule_where;     /* "controls/x.yaml:1" */
    uint64_t population, pass, exceptions, untestable, duplicates, outside_period;
    as_slice verdict;        /* effective, exceptions, no_population */
    const rpt_kv *reasons;   /* reason code -> count (v is the decimal count) */
    size_t   n_reasons;
    const uint64_t *exc_per_day;  /* n_days: exceptions + untestable by day (NULL: none) */
    const rpt_exc *first;    /* the first exceptions, in the CSV's order */
    size_t   n_first;        /* shown */
    as_slice exceptions_csv; /* relative path of the full list */
    const rpt_sample *sample;/* NULL when none was drawn */
} rpt_control;

typedef struct rpt_report {
    as_slice title;          /* e.g. "assay evidence: 2025-10-01 .. 2026-03-31" */
    as_slice assay_version;  /* "assay 0.4.0 (abc1234, release)" */
    as_slice period_start, period_end;  /* RFC 3339; end exclusive */
    int      period_given;
    as_slice digest;         /* the evidence digest (docs/evidence.md) */
    int64_t  first_day;      /* days since 1970-01-01 of the chart's first day */
    size_t   n_days;
    const rpt_input *inputs;
    size_t   n_inputs;
    const rpt_covrow *cov;
    size_t   n_cov;
    const rpt_control *controls;
    size_t   n_controls;
    const rpt_kv *methods;   /* appendix: name -> text (formulas, conventions, seeds, version) */
    size_t   n_methods;
} rpt_report;

/* Renders the whole document into out. Returns AS_OK or AS_ERR_NOMEM. */
as_code rpt_html_report(as_buf *out, const rpt_report *r) AS_MUST_USE;

#endif
