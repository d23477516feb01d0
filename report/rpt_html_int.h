/* rpt_html_int.h: what the parts of the HTML report share, inside report/
 * only: the escaper and writer helpers (rpt_html_esc.c), the document
 * (rpt_html.c) and the SVG charts (rpt_html_svg.c).
 *
 * rpt_hw wraps the output buffer with a sticky failure flag, so a section
 * writes straight through and the caller checks once at the end (the same
 * shape as rpt_json and rpt_csv). Every helper that takes an as_slice from
 * the model escapes it; only the _lit helpers write our own markup.
 * Thread-safety: one rpt_hw per report.
 */
#ifndef ASSAY_RPT_HTML_INT_H
#define ASSAY_RPT_HTML_INT_H

#include "report/rpt_html.h"

/* Chart geometry, in SVG user units (the SVGs scale to the page width). */
#define RPT_SVG_WIDTH      1000  /* whole chart */
#define RPT_SVG_LABEL_W     210  /* the coverage chart's row labels */
#define RPT_SVG_PLOT_W      720  /* the day axis, both charts */
#define RPT_SVG_TAIL_W       70  /* the coverage chart's "days without records" column */

/* The coverage chart draws at most this many rows; the others are merged
 * into two summary rows (with and without gaps), and the report says so. */
#define RPT_HTML_COV_MAX_ROWS 40
/* At most this many columns (one per day, or one per k days past it: 732 is
 * two years of days, so a ten-year period draws 5-day columns). */
#define RPT_HTML_COV_MAX_COLS 732
/* Gap runs per coverage row that get a hover title; later runs are still
 * drawn, without one, so a pathological row stays small. */
#define RPT_HTML_COV_MAX_TITLES 32
/* The exceptions-per-day chart draws at most this many bars. */
#define RPT_HTML_BARS_MAX 366

typedef struct rpt_hw {
    as_buf  *out;       /* borrowed */
    uint64_t replaced;  /* invalid UTF-8 bytes replaced while escaping */
    int      failed;    /* out of memory: the output is unusable */
} rpt_hw;

void rpt_hw_put(rpt_hw *w, const char *p, size_t n);
void rpt_hw_lit(rpt_hw *w, const char *s);                /* our own markup, NUL-terminated */
void rpt_hw_fmt(rpt_hw *w, const char *fmt, ...) AS_PRINTF(2, 3); /* our own markup, numbers only */
void rpt_hw_esc(rpt_hw *w, as_slice s);                   /* model text, escaped */
/* Model text cut to at most max bytes at a character boundary, "…" after a cut. */
void rpt_hw_esc_cut(rpt_hw *w, as_slice s, size_t max);
void rpt_hw_u64(rpt_hw *w, uint64_t v);                   /* 1,234,567 */
void rpt_hw_dec1(rpt_hw *w, int64_t tenths);              /* 12.3 / 12 (locale-free) */
void rpt_hw_day(rpt_hw *w, int64_t day);                  /* YYYY-MM-DD */

/* The coverage chart of r (one row per rpt_covrow, one column per day or k
 * days), with its legend and a note on merged rows; nothing when r has no
 * days or no rows. */
void rpt_html_svg_coverage(rpt_hw *w, const rpt_report *r);
/* The bar chart of per_day[0..r->n_days) (exceptions and untestable by day),
 * with month ticks and the largest value marked. */
void rpt_html_svg_per_day(rpt_hw *w, const rpt_report *r, const uint64_t *per_day);

#endif
