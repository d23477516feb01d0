/* rpt_html_svg.c: the report's two charts as inline SVG (see rpt_html_int.h).
 *
 * Both share one day axis: x runs over the period's days at the same place in
 * every chart (the plot starts after RPT_SVG_LABEL_W), so a gap in the
 * coverage chart lines up with the exceptions it caused below.
 *
 * Size stays bounded whatever the model holds: the coverage chart draws one
 * background bar per row and one rect per run of days without records
 * (never one per day), at most RPT_HTML_COV_MAX_ROWS rows (the rest merged
 * into two rows, said in a note) and RPT_HTML_COV_MAX_COLS columns (k days a
 * column past two years); the bar chart sums k days a bar past
 * RPT_HTML_BARS_MAX days and draws only the bars that are not zero.
 * A run of gap days is drawn at least RPT_SVG_MIN_GAP units wide, so one
 * missing day in ten years still shows; it is red with a dark hatch, so it
 * also shows in greyscale print, and the gaps are listed in a table below
 * the chart for whoever cannot see colour at all.
 * Coordinates are written in tenths of a unit with integer arithmetic:
 * nothing goes through the locale.
 */
#include "report/rpt_html_int.h"

#include <inttypes.h>  /* PRIu64 */

#define RPT_SVG_ROW_H       16   /* coverage row pitch */
#define RPT_SVG_BAR_H       12   /* coverage bar height inside the pitch */
#define RPT_SVG_AXIS_H      22   /* month labels above the coverage rows */
#define RPT_SVG_LEGEND_H    26
#define RPT_SVG_MIN_GAP     3    /* narrowest gap mark */
#define RPT_SVG_PLOT_H      64   /* bar chart plot height */
#define RPT_SVG_MIN_BAR     2    /* lowest non-zero bar, and narrowest */
#define RPT_SVG_LABEL_CHARS 28   /* bytes of a row label before it is cut: fits 204 units at 11 */
#define RPT_HTML_GAPS_MAX   50   /* rows of the gap table */

/* x of the start of day d (0..n_days) in tenths of a unit. */
static int64_t day_x10(size_t d, size_t n_days)
{
    return (int64_t)RPT_SVG_LABEL_W * 10 + (int64_t)((uint64_t)d * RPT_SVG_PLOT_W * 10 / n_days);
}

/* Month ticks along the day axis at each first of a month: a tick from
 * tick_y down 4 units, a white line across the plot from y0 to y1 (none when
 * y1 <= y0), and a "YYYY-MM" label at label_y every step months, the step
 * chosen so labels never overlap. */
static void month_axis(rpt_hw *w, const rpt_report *r, int label_y, int tick_y, int y0, int y1)
{
    static const unsigned steps[] = { 1, 2, 3, 6, 12, 24, 60, 120 };
    /* units per month = PLOT_W * 30.44 / n_days; a label needs 44 units */
    unsigned step = steps[AS_ARRAY_LEN(steps) - 1];
    for (size_t i = 0; i < AS_ARRAY_LEN(steps); i++)
        if ((uint64_t)RPT_SVG_PLOT_W * 3044 * steps[i] >= (uint64_t)44 * 100 * r->n_days) {
            step = steps[i];
            break;
        }
    /* a tick every month when they are 4 units apart; a line across the plot
     * for every month only when 12 apart, else only at the labels */
    int all_ticks = (uint64_t)RPT_SVG_PLOT_W * 3044 >= (uint64_t)4 * 100 * r->n_days;
    int all_lines = (uint64_t)RPT_SVG_PLOT_W * 3044 >= (uint64_t)12 * 100 * r->n_days;
    rpt_hw_lit(w, "<g class=\"axis\" font-size=\"10\" text-anchor=\"start\">");
    for (size_t d = 0; d < r->n_days; d++) {
        int64_t y;
        unsigned m, dd;
        as_civil_from_days(r->first_day + (int64_t)d, &y, &m, &dd);
        if (dd != 1)
            continue;                            /* a partial first month gets no label */
        int64_t x = day_x10(d, r->n_days);
        int labelled = ((y * 12 + (int64_t)m - 1) % step) == 0;
        if (all_ticks || labelled) {
            /* a dark tick on the axis; across the plot a white line, which
             * never looks like a gap mark, even in greyscale */
            rpt_hw_lit(w, "<path d=\"M");
            rpt_hw_dec1(w, x);
            rpt_hw_fmt(w, " %dv%d\" stroke=\"#555\" stroke-width=\"0.8\"/>", tick_y, 4);
            if (y1 > y0 && (all_lines || labelled)) {
                rpt_hw_lit(w, "<path d=\"M");
                rpt_hw_dec1(w, x);
                rpt_hw_fmt(w, " %dV%d\" stroke=\"#fff\" stroke-width=\"%s\"/>", y0, y1,
                           labelled ? "1" : "0.6");
            }
        }
        if (labelled && day_x10(r->n_days, r->n_days) - x >= 300) {  /* room left for the text */
            rpt_hw_lit(w, "<text x=\"");
            rpt_hw_dec1(w, x + 15);
            rpt_hw_fmt(w, "\" y=\"%d\">%04" PRId64 "-%02u</text>", label_y, y, m);
        }
    }
    rpt_hw_lit(w, "</g>\n");
}

/* Days [d0, d1) as "2025-11-03" or "2025-11-03 to 2025-11-05". */
static void day_range(rpt_hw *w, const rpt_report *r, size_t d0, size_t d1)
{
    rpt_hw_day(w, r->first_day + (int64_t)d0);
    if (d1 > d0 + 1) {
        rpt_hw_lit(w, " to ");
        rpt_hw_day(w, r->first_day + (int64_t)d1 - 1);
    }
}

/* ---- the coverage chart ---- */

/* What one drawn row shows: a model row, or a merge of several. */
typedef struct cov_line {
    const rpt_covrow *row;    /* NULL for a merged row */
    size_t   n_merged;        /* rows merged into this one */
    const uint8_t *zero;      /* merged: 1 where any merged row has no record that day */
    uint64_t gap_days;
} cov_line;

static int day_is_zero(const cov_line *l, size_t d)
{
    if (l->row)
        return l->row->per_day == NULL || l->row->per_day[d] == 0;
    return l->zero != NULL && l->zero[d];
}

static uint64_t count_gap_days(const rpt_covrow *row, size_t n_days)
{
    if (row->per_day == NULL)
        return n_days;
    uint64_t n = 0;
    for (size_t d = 0; d < n_days; d++)
        n += row->per_day[d] == 0;
    return n;
}

/* A row's label, its background bar and its count of gap days at the right. */
static void cov_row_base(rpt_hw *w, const cov_line *l, int y)
{
    rpt_hw_fmt(w, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\"><title>",
               RPT_SVG_LABEL_W - 6, y + RPT_SVG_BAR_H - 2);
    if (l->row) {                               /* the label, cut; the whole name as its title */
        rpt_hw_esc_cut(w, l->row->name, 300);
        rpt_hw_lit(w, "</title>");
        rpt_hw_esc_cut(w, l->row->name, RPT_SVG_LABEL_CHARS);
    } else {
        rpt_hw_lit(w, "merged rows</title>");
        rpt_hw_u64(w, l->n_merged);
        rpt_hw_lit(w, l->gap_days ? " more, with gaps" : " more, no gap");
    }
    rpt_hw_lit(w, "</text>");
    rpt_hw_fmt(w, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#8fd19e\"/>",
               RPT_SVG_LABEL_W, y, RPT_SVG_PLOT_W, RPT_SVG_BAR_H);
    rpt_hw_fmt(w, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\"%s>",
               RPT_SVG_WIDTH - 4, y + RPT_SVG_BAR_H - 2,
               l->gap_days ? " font-weight=\"700\" style=\"fill:#b42318\"" : " style=\"fill:#5b6470\"");
    rpt_hw_u64(w, l->gap_days);
    rpt_hw_lit(w, "</text>\n");
}

/* A column of k days is a gap when any of its days has no record. */
static int col_is_gap(const cov_line *l, size_t c, size_t k, size_t n)
{
    for (size_t d = c * k; d < AS_MIN(c * k + k, n); d++)
        if (day_is_zero(l, d))
            return 1;
    return 0;
}

/* A row's gap marks: one rect per run of gap columns, drawn over the month
 * lines so that no line ever splits a mark. */
static void cov_row_gaps(rpt_hw *w, const rpt_report *r, const cov_line *l, int y, size_t k)
{
    size_t n = r->n_days, n_cols = (n + k - 1) / k, runs = 0;
    for (size_t c0 = 0; c0 < n_cols; c0++) {
        if (!col_is_gap(l, c0, k, n))
            continue;
        size_t c1 = c0 + 1;
        while (c1 < n_cols && col_is_gap(l, c1, k, n))
            c1++;
        size_t d0 = c0 * k, d1 = AS_MIN(c1 * k, n);
        int64_t x0 = day_x10(d0, n), x1 = day_x10(d1, n);
        if (x1 - x0 < (int64_t)RPT_SVG_MIN_GAP * 10) {   /* widened around its centre, kept inside the plot */
            x0 = AS_MAX(x0 - ((int64_t)RPT_SVG_MIN_GAP * 10 - (x1 - x0)) / 2, (int64_t)RPT_SVG_LABEL_W * 10);
            x0 = AS_MIN(x0, day_x10(n, n) - (int64_t)RPT_SVG_MIN_GAP * 10);
            x1 = x0 + (int64_t)RPT_SVG_MIN_GAP * 10;
        }
        rpt_hw_lit(w, "<rect class=\"gap\" x=\"");
        rpt_hw_dec1(w, x0);
        rpt_hw_fmt(w, "\" y=\"%d\" width=\"", y);
        rpt_hw_dec1(w, x1 - x0);
        rpt_hw_fmt(w, "\" height=\"%d\" fill=\"url(#rpt-gap)\"", RPT_SVG_BAR_H);
        if (runs++ < RPT_HTML_COV_MAX_TITLES) {
            uint64_t zeros = 0;
            for (size_t d = d0; d < d1; d++)
                zeros += day_is_zero(l, d);
            rpt_hw_lit(w, "><title>");
            if (l->row)
                rpt_hw_esc_cut(w, l->row->name, 300);
            else
                rpt_hw_lit(w, "merged rows");
            rpt_hw_lit(w, ": no records ");
            if (k > 1 || zeros != d1 - d0) {
                rpt_hw_lit(w, "on ");
                rpt_hw_u64(w, zeros);
                rpt_hw_lit(w, zeros == 1 ? " day in " : " days in ");
            }
            day_range(w, r, d0, d1);
            rpt_hw_lit(w, "</title></rect>");
        } else {
            rpt_hw_lit(w, "/>");
        }
        c0 = c1;
    }
    if (runs)
        rpt_hw_lit(w, "\n");
}

/* The rows to draw: every row when they fit; otherwise rows with gaps
 * first, then rows without, in model order, and the rest merged. */
typedef struct cov_plan {
    cov_line *lines;
    size_t    n_lines;
    uint8_t  *merged_zero;    /* n_days flags of the merged gap row */
    uint64_t *gaps;           /* per model row */
    size_t    n_gap_rows, merged_gap, merged_clean;
} cov_plan;

static int cov_plan_make(cov_plan *p, const rpt_report *r)
{
    *p = (cov_plan){ 0 };
    p->gaps = as_calloc(r->n_cov, sizeof *p->gaps);
    p->lines = as_calloc(AS_MIN(r->n_cov, (size_t)RPT_HTML_COV_MAX_ROWS), sizeof *p->lines);
    uint8_t *pick = as_calloc(r->n_cov, 1);
    if (!p->gaps || !p->lines || !pick) {
        as_free(pick);
        return -1;
    }
    for (size_t i = 0; i < r->n_cov; i++) {
        p->gaps[i] = count_gap_days(&r->cov[i], r->n_days);
        p->n_gap_rows += p->gaps[i] > 0;
    }
    /* one row is kept for the merged ones, two when both kinds overflow */
    size_t slots = r->n_cov;
    if (r->n_cov > RPT_HTML_COV_MAX_ROWS) {
        int both = p->n_gap_rows > RPT_HTML_COV_MAX_ROWS - 1 && p->n_gap_rows < r->n_cov;
        slots = RPT_HTML_COV_MAX_ROWS - (both ? 2 : 1);
    }
    size_t used = 0;
    for (int pass = 0; pass < 2; pass++)       /* first the rows with gaps, then the others */
        for (size_t i = 0; i < r->n_cov && used < slots; i++)
            if ((p->gaps[i] > 0) == (pass == 0)) {
                pick[i] = 1;
                used++;
            }
    for (size_t i = 0; i < r->n_cov; i++)
        if (pick[i])
            p->lines[p->n_lines++] = (cov_line){ &r->cov[i], 1, NULL, p->gaps[i] };
        else if (p->gaps[i])
            p->merged_gap++;
        else
            p->merged_clean++;
    if (p->merged_gap) {
        p->merged_zero = as_calloc(r->n_days, 1);
        if (!p->merged_zero) {
            as_free(pick);
            return -1;
        }
        uint64_t g = 0;
        for (size_t i = 0; i < r->n_cov; i++)
            if (!pick[i] && p->gaps[i])
                for (size_t d = 0; d < r->n_days; d++)
                    p->merged_zero[d] |= r->cov[i].per_day == NULL || r->cov[i].per_day[d] == 0;
        for (size_t d = 0; d < r->n_days; d++)
            g += p->merged_zero[d];
        p->lines[p->n_lines++] = (cov_line){ NULL, p->merged_gap, p->merged_zero, g };
    }
    if (p->merged_clean)
        p->lines[p->n_lines++] = (cov_line){ NULL, p->merged_clean, NULL, 0 };
    as_free(pick);
    return 0;
}

static void cov_plan_free(cov_plan *p)
{
    as_free(p->lines);
    as_free(p->merged_zero);
    as_free(p->gaps);
}

/* The gaps as a table: one row per run of days without records, for the
 * rows that have any, in model order. */
static void gap_table(rpt_hw *w, const rpt_report *r, const cov_plan *p)
{
    if (p->n_gap_rows == 0) {
        rpt_hw_lit(w, "<p><span class=\"badge ok\">\xE2\x9C\x93 no gap</span> Every source has records on "
                      "every day of the period.</p>\n");
        return;
    }
    rpt_hw_lit(w, "<p><span class=\"badge bad\">\xE2\x9C\x97 gaps</span> ");
    rpt_hw_u64(w, p->n_gap_rows);
    rpt_hw_lit(w, " of ");
    rpt_hw_u64(w, r->n_cov);
    rpt_hw_lit(w, " sources have days without any record:</p>\n<table class=\"gaps\">\n<thead><tr>"
                  "<th>Source</th><th>Days without records</th><th class=\"n\">Days</th></tr></thead>\n<tbody>\n");
    size_t shown = 0;
    uint64_t more = 0;
    for (size_t i = 0; i < r->n_cov; i++) {
        const rpt_covrow *row = &r->cov[i];
        if (p->gaps[i] == 0)
            continue;
        for (size_t d = 0; d < r->n_days;) {
            if (row->per_day && row->per_day[d] != 0) {
                d++;
                continue;
            }
            size_t e = d + 1;
            while (e < r->n_days && (row->per_day == NULL || row->per_day[e] == 0))
                e++;
            if (shown < RPT_HTML_GAPS_MAX) {
                rpt_hw_lit(w, "<tr><td class=\"mono\">");
                rpt_hw_esc_cut(w, row->name, 300);
                rpt_hw_lit(w, "</td><td>");
                day_range(w, r, d, e);
                rpt_hw_lit(w, "</td><td class=\"n\">");
                rpt_hw_u64(w, e - d);
                rpt_hw_lit(w, "</td></tr>\n");
                shown++;
            } else {
                more++;
            }
            d = e;
        }
    }
    if (more) {
        rpt_hw_lit(w, "<tr><td colspan=\"3\" class=\"muted\">and ");
        rpt_hw_u64(w, more);
        rpt_hw_lit(w, " more gaps (<code>results.json</code> has the coverage of every source)</td></tr>\n");
    }
    rpt_hw_lit(w, "</tbody>\n</table>\n");
}

void rpt_html_svg_coverage(rpt_hw *w, const rpt_report *r)
{
    if (r->n_days == 0 || r->n_cov == 0)
        return;                                 /* as the header says; k below would be 0 */
    cov_plan p;
    if (cov_plan_make(&p, r) != 0) {
        cov_plan_free(&p);
        w->failed = 1;
        return;
    }
    size_t k = (r->n_days + RPT_HTML_COV_MAX_COLS - 1) / RPT_HTML_COV_MAX_COLS;
    int rows_y = RPT_SVG_AXIS_H;
    int legend_y = rows_y + (int)p.n_lines * RPT_SVG_ROW_H + 8;
    int height = legend_y + RPT_SVG_LEGEND_H;
    rpt_hw_fmt(w, "<svg class=\"chart coverage\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                  "role=\"img\" aria-label=\"records per day and source; hatched red: a day without records\">\n",
               RPT_SVG_WIDTH, height);
    rpt_hw_lit(w, "<defs><pattern id=\"rpt-gap\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" "
                  "patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#e0312b\"/>"
                  "<rect width=\"1.6\" height=\"4\" fill=\"#4a0707\"/></pattern></defs>\n");
    rpt_hw_fmt(w, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">source</text>"
                  "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">gap days</text>\n",
               RPT_SVG_LABEL_W - 6, RPT_SVG_AXIS_H - 8, RPT_SVG_WIDTH - 4, RPT_SVG_AXIS_H - 8);
    for (size_t i = 0; i < p.n_lines; i++)
        cov_row_base(w, &p.lines[i], rows_y + (int)i * RPT_SVG_ROW_H);
    month_axis(w, r, RPT_SVG_AXIS_H - 8, RPT_SVG_AXIS_H - 5, RPT_SVG_AXIS_H, legend_y - 8);
    for (size_t i = 0; i < p.n_lines; i++)
        cov_row_gaps(w, r, &p.lines[i], rows_y + (int)i * RPT_SVG_ROW_H, k);
    /* the legend */
    int ly = legend_y + 4;
    rpt_hw_fmt(w, "<g font-size=\"11\"><rect x=\"%d\" y=\"%d\" width=\"18\" height=\"11\" fill=\"#8fd19e\"/>"
                  "<text x=\"%d\" y=\"%d\">records that day</text>"
                  "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"11\" fill=\"url(#rpt-gap)\"/>"
                  "<text x=\"%d\" y=\"%d\">no record that day (a gap)</text>",
               RPT_SVG_LABEL_W, ly, RPT_SVG_LABEL_W + 24, ly + 10,
               RPT_SVG_LABEL_W + 150, ly, RPT_SVG_LABEL_W + 174, ly + 10);
    rpt_hw_fmt(w, "<text x=\"%d\" y=\"%d\" style=\"fill:#5b6470\">", RPT_SVG_LABEL_W + 360, ly + 10);
    rpt_hw_day(w, r->first_day);
    rpt_hw_lit(w, " to ");
    rpt_hw_day(w, r->first_day + (int64_t)r->n_days - 1);
    rpt_hw_lit(w, ", ");
    rpt_hw_u64(w, r->n_days);
    rpt_hw_lit(w, r->n_days == 1 ? " day" : " days");
    if (k > 1)
        rpt_hw_fmt(w, ", %zu days a column", k);
    rpt_hw_lit(w, "</text></g>\n</svg>\n");
    if (k > 1 || p.merged_gap || p.merged_clean) {
        rpt_hw_lit(w, "<p class=\"small muted\">");
        if (k > 1)
            rpt_hw_fmt(w, "Each column is %zu days: it is marked when any of them has no record. ", k);
        if (p.merged_gap || p.merged_clean) {
            rpt_hw_lit(w, "Of ");
            rpt_hw_u64(w, r->n_cov);
            rpt_hw_lit(w, " sources, ");
            rpt_hw_u64(w, r->n_cov - p.merged_gap - p.merged_clean);
            rpt_hw_lit(w, " are drawn (those with gaps first); ");
            if (p.merged_gap) {
                rpt_hw_u64(w, p.merged_gap);
                rpt_hw_lit(w, " more with gaps are merged into one row, marked on a day when any of them "
                              "has no record; ");
            }
            if (p.merged_clean) {
                rpt_hw_u64(w, p.merged_clean);
                rpt_hw_lit(w, " more without a gap are merged into one row; ");
            }
            rpt_hw_lit(w, "the table below lists gaps by source.");
        }
        rpt_hw_lit(w, "</p>\n");
    }
    gap_table(w, r, &p);
    cov_plan_free(&p);
}

/* ---- exceptions per day ---- */

void rpt_html_svg_per_day(rpt_hw *w, const rpt_report *r, const uint64_t *per_day)
{
    size_t n = r->n_days;
    size_t k = (n + RPT_HTML_BARS_MAX - 1) / RPT_HTML_BARS_MAX;
    uint64_t max = 0;
    for (size_t b0 = 0; b0 < n; b0 += k) {
        uint64_t s = 0;
        for (size_t d = b0; d < AS_MIN(b0 + k, n); d++)
            s += per_day[d];
        max = AS_MAX(max, s);
    }
    const int top = 8, base = top + RPT_SVG_PLOT_H, height = base + 18;
    rpt_hw_fmt(w, "<svg class=\"chart perday\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                  "role=\"img\" aria-label=\"exceptions and untestable instances per day\">\n",
               RPT_SVG_WIDTH, height);
    rpt_hw_fmt(w, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f5f6f8\"/>",
               RPT_SVG_LABEL_W, top, RPT_SVG_PLOT_W, RPT_SVG_PLOT_H);
    rpt_hw_fmt(w, "<g font-size=\"10\" text-anchor=\"end\"><text x=\"%d\" y=\"%d\">", RPT_SVG_LABEL_W - 6, top + 8);
    rpt_hw_u64(w, max);
    if (k > 1)
        rpt_hw_fmt(w, " in %zu days", k);
    else
        rpt_hw_lit(w, " a day (max)");
    rpt_hw_fmt(w, "</text><text x=\"%d\" y=\"%d\">0</text></g>\n", RPT_SVG_LABEL_W - 6, base);
    month_axis(w, r, height - 3, base, top, base);
    rpt_hw_lit(w, "<g fill=\"#b42318\">");
    for (size_t b0 = 0; b0 < n; b0 += k) {
        size_t b1 = AS_MIN(b0 + k, n);
        uint64_t s = 0;
        for (size_t d = b0; d < b1; d++)
            s += per_day[d];
        if (s == 0)
            continue;
        int64_t x0 = day_x10(b0, n), x1 = day_x10(b1, n);
        if (x1 - x0 >= 30)
            x1 -= 5;                               /* a hairline between wide bars */
        if (x1 - x0 < (int64_t)RPT_SVG_MIN_BAR * 10)
            x1 = x0 + (int64_t)RPT_SVG_MIN_BAR * 10;
        int64_t h = (int64_t)(s * (uint64_t)RPT_SVG_PLOT_H * 10 / max);
        if (h < (int64_t)RPT_SVG_MIN_BAR * 10)
            h = (int64_t)RPT_SVG_MIN_BAR * 10;
        rpt_hw_lit(w, "<rect x=\"");
        rpt_hw_dec1(w, x0);
        rpt_hw_lit(w, "\" y=\"");
        rpt_hw_dec1(w, (int64_t)base * 10 - h);
        rpt_hw_lit(w, "\" width=\"");
        rpt_hw_dec1(w, x1 - x0);
        rpt_hw_lit(w, "\" height=\"");
        rpt_hw_dec1(w, h);
        rpt_hw_lit(w, "\"><title>");
        day_range(w, r, b0, b1);
        rpt_hw_lit(w, ": ");
        rpt_hw_u64(w, s);
        rpt_hw_lit(w, "</title></rect>");
    }
    rpt_hw_lit(w, "</g>\n");
    rpt_hw_fmt(w, "<path d=\"M%d %dH%d\" stroke=\"#222\" stroke-width=\"1\"/>\n", RPT_SVG_LABEL_W, base,
               RPT_SVG_LABEL_W + RPT_SVG_PLOT_W);
    rpt_hw_lit(w, "</svg>\n");
}
