/* rpt_html.c: the HTML report document (see rpt_html.h and
 * docs/report.md); the charts are in rpt_html_svg.c.
 *
 * The document is written top to bottom in the order an auditor reads it:
 * header, summary, completeness (inputs, coverage), one section per control,
 * methods. Only our own markup goes out unescaped: every model string passes
 * through rpt_html_escape, and nothing of the model ever lands in a tag name,
 * an attribute name, a URL or a style. Anchors are built from a control's id
 * only when it is plain ([A-Za-z0-9._-], not one of ours); otherwise from its
 * position. Nothing reads the clock or the locale, so the same model gives
 * the same bytes. The escaper and the writer helpers are in rpt_html_esc.c.
 */
#include "report/rpt_html_int.h"

#include <math.h>      /* isfinite, llround */

/* The longest shown text of one table cell; the CSVs carry the rest. */
#define RPT_HTML_CELL_MAX   300
/* Descriptions and rule text: long, but still bounded (bytes). */
#define RPT_HTML_TEXT_MAX   (64u << 10)
/* Rows of the inputs table; results.json lists every input. */
#define RPT_HTML_INPUTS_MAX 200
/* Reason codes listed per control. */
#define RPT_HTML_REASONS_MAX 50
/* Hex digits of a SHA-256 shown in tables; the full value is in the title. */
#define RPT_HTML_HASH_SHORT 12
/* Longest control id used as an anchor as it is. */
#define RPT_HTML_ANCHOR_MAX 64

/* ---- pieces ---- */

static int has_text(as_slice s) { return s.len > 0; }

/* A count (1,234) and the words after it. */
static void num_text(rpt_hw *w, uint64_t n, const char *text)
{
    rpt_hw_u64(w, n);
    rpt_hw_lit(w, text);
}

/* s escaped and cut to max, or, when s is empty, our fallback markup. */
static void esc_or(rpt_hw *w, as_slice s, size_t max, const char *fallback)
{
    if (has_text(s))
        rpt_hw_esc_cut(w, s, max);
    else
        rpt_hw_lit(w, fallback);
}

/* open, s escaped and cut to max, close; nothing at all when s is empty. */
static void esc_wrapped(rpt_hw *w, const char *open, as_slice s, size_t max, const char *close)
{
    if (!has_text(s))
        return;
    rpt_hw_lit(w, open);
    rpt_hw_esc_cut(w, s, max);
    rpt_hw_lit(w, close);
}

/* What a control is called: its title, or its id when it has none. */
static as_slice control_name(const rpt_control *c)
{
    return has_text(c->title) ? c->title : c->id;
}

/* The anchor of control i: its id when that is plain and unique, else
 * "control:N" (a colon never appears in a plain id, so the two kinds cannot
 * collide). */
static int id_is_plain(as_slice s)
{
    static const char *const reserved[] = { "top", "summary", "completeness", "inputs",
                                            "coverage", "controls", "methods" };
    if (s.len == 0 || s.len > RPT_HTML_ANCHOR_MAX)
        return 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 (i > 0 && (c == '.' || c == '_' || c == '-'));
        if (!ok)
            return 0;
    }
    for (size_t i = 0; i < AS_ARRAY_LEN(reserved); i++)
        if (as_slice_eq_cstr(s, reserved[i]))
            return 0;
    return 1;
}

static void put_anchor(rpt_hw *w, const rpt_report *r, size_t i)
{
    as_slice id = r->controls[i].id;
    int plain = id_is_plain(id);
    for (size_t k = 0; plain && k < i; k++)
        if (as_slice_eq(r->controls[k].id, id))
            plain = 0;                          /* a second control with the same id */
    if (plain)
        rpt_hw_esc(w, id);
    else
        rpt_hw_fmt(w, "control:%zu", i + 1);
}

typedef enum verdict_kind { V_OK, V_BAD, V_WARN, V_OTHER } verdict_kind;

static verdict_kind verdict_of(as_slice v)
{
    if (as_slice_eq_cstr(v, "effective"))
        return V_OK;
    if (as_slice_eq_cstr(v, "exceptions"))
        return V_BAD;
    if (as_slice_eq_cstr(v, "no_population"))
        return V_WARN;
    return V_OTHER;
}

/* A verdict as a badge: a symbol, a word and a colour, so it reads the same
 * in greyscale. */
static void put_verdict(rpt_hw *w, as_slice v)
{
    switch (verdict_of(v)) {
    case V_OK:   rpt_hw_lit(w, "<span class=\"badge ok\">\xE2\x9C\x93 Effective</span>"); return;
    case V_BAD:  rpt_hw_lit(w, "<span class=\"badge bad\">\xE2\x9C\x97 Exceptions</span>"); return;
    case V_WARN: rpt_hw_lit(w, "<span class=\"badge warn\">\xE2\x88\x85 No population</span>"); return;
    case V_OTHER: break;
    }
    rpt_hw_lit(w, "<span class=\"badge other\">? ");
    rpt_hw_esc_cut(w, v, 40);
    rpt_hw_lit(w, "</span>");
}

/* A table cell with model text, cut to RPT_HTML_CELL_MAX. */
static void td_text(rpt_hw *w, const char *cls, as_slice s)
{
    if (cls)
        rpt_hw_fmt(w, "<td class=\"%s\">", cls);
    else
        rpt_hw_lit(w, "<td>");
    rpt_hw_esc_cut(w, s, RPT_HTML_CELL_MAX);
    rpt_hw_lit(w, "</td>");
}

static void td_u64(rpt_hw *w, const char *key, uint64_t v, int flag)
{
    rpt_hw_fmt(w, "<td class=\"n%s\" data-k=\"%s\">", flag && v ? " flag" : "", key);
    num_text(w, v, "</td>");
}

/* A SHA-256: the first digits, the whole value in the title (and printed). */
static void put_hash(rpt_hw *w, as_slice hex)
{
    if (hex.len == 0) {
        rpt_hw_lit(w, "<span class=\"muted\">not hashed</span>");
        return;
    }
    rpt_hw_lit(w, "<code class=\"hash\" title=\"");
    rpt_hw_esc_cut(w, hex, 128);
    rpt_hw_lit(w, "\"><span class=\"short\">");
    rpt_hw_esc_cut(w, hex, RPT_HTML_HASH_SHORT);
    rpt_hw_lit(w, "</span></code>");
}

static void put_pct(rpt_hw *w, double v)
{
    if (!isfinite(v) || v < 0 || v > 1e6) {
        rpt_hw_lit(w, "n/a");
        return;
    }
    long long h = llround(v * 100.0);           /* hundredths of a percent */
    if (h % 100 == 0)
        rpt_hw_fmt(w, "%lld%%", h / 100);
    else
        rpt_hw_fmt(w, "%lld.%02lld%%", h / 100, h % 100);
}

/* The period as dates when it is whole days (end exclusive: the last day
 * shown is the day before it), always with the exact instants. */
static void put_period(rpt_hw *w, const rpt_report *r)
{
    as_time a, b;
    size_t na = as_time_parse_iso(r->period_start, 0, &a);
    size_t nb = as_time_parse_iso(r->period_end, 0, &b);
    int whole = na == r->period_start.len && nb == r->period_end.len && na && nb &&
                a.sec % 86400 == 0 && b.sec % 86400 == 0 && a.nsec == 0 && b.nsec == 0 && b.sec > a.sec;
    if (whole) {
        int64_t d0 = a.sec / 86400, d1 = b.sec / 86400;
        rpt_hw_lit(w, "<strong>");
        rpt_hw_day(w, d0);
        rpt_hw_lit(w, " to ");
        rpt_hw_day(w, d1 - 1);
        rpt_hw_lit(w, "</strong> (");
        num_text(w, (uint64_t)(d1 - d0), d1 - d0 == 1 ? " day, " : " days, ");
        rpt_hw_lit(w, "both dates included)");
    } else if (has_text(r->period_start) || has_text(r->period_end)) {
        rpt_hw_lit(w, "<strong>");
        rpt_hw_esc_cut(w, r->period_start, 64);
        rpt_hw_lit(w, " to ");
        rpt_hw_esc_cut(w, r->period_end, 64);
        rpt_hw_lit(w, "</strong> (end excluded)");
    } else {
        rpt_hw_lit(w, "<strong>none</strong>");
    }
    if (whole) {
        rpt_hw_lit(w, " <span class=\"muted\">[");
        rpt_hw_esc(w, r->period_start);
        rpt_hw_lit(w, ", ");
        rpt_hw_esc(w, r->period_end);
        rpt_hw_lit(w, ")</span>");
    }
    if (r->period_given)
        rpt_hw_lit(w, " <span class=\"badge ok\">given with --period</span>");
    else
        rpt_hw_lit(w, " <span class=\"badge warn\">! derived from the data, not given</span>");
}

/* ---- the head: one stylesheet, no script, nothing fetched ---- */

static const char css[] =
    ":root{--ok:#1a7f37;--okbg:#dcf5e3;--bad:#b42318;--badbg:#fde4e1;--warn:#7a5300;--warnbg:#fff1c2;"
    "--line:#c9ced6;--muted:#5b6470;--head:#eef1f5}\n"
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif;"
    "color:#111;background:#fff;margin:0 auto;max-width:1240px;padding:16px 24px 48px}\n"
    "h1{font-size:24px;margin:8px 0 4px}h2{font-size:20px;margin:32px 0 8px;padding-bottom:4px;"
    "border-bottom:2px solid #222}h3{font-size:17px;margin:0 0 6px}h4{font-size:14px;margin:18px 0 6px}\n"
    "p{margin:6px 0}a{color:#0b4f9c}code,pre,.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;"
    "font-size:12.5px}\n"
    "pre{background:#f5f6f8;border:1px solid var(--line);padding:8px 10px;white-space:pre-wrap;"
    "overflow-wrap:anywhere;margin:6px 0}\n"
    "table{border-collapse:collapse;margin:6px 0 10px;width:100%}\n"
    "th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}\n"
    "th{background:var(--head);font-weight:600;white-space:nowrap;overflow-wrap:normal}\n"
    "td.nw{white-space:nowrap;overflow-wrap:normal}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}\n"
    "td.flag{color:var(--bad);font-weight:700}\n"
    "tr.total td{font-weight:700;border-top:2px solid #222}\n"
    "table.kv{width:auto}table.kv th{width:14em}\n"
    "table.exc{font-size:12.5px}table.exc td.id{font-family:ui-monospace,monospace;font-size:11.5px}\n"
    "td.time,td.code{white-space:nowrap;overflow-wrap:normal}\n"
    "table.counts{width:auto}table.counts th,table.counts td{min-width:8em}\n"
    ".badge{display:inline-block;padding:1px 7px;border-radius:9px;border:1px solid;font-weight:600;"
    "font-size:12.5px;white-space:nowrap}\n"
    ".ok{color:var(--ok);background:var(--okbg);border-color:var(--ok)}\n"
    ".bad{color:var(--bad);background:var(--badbg);border-color:var(--bad)}\n"
    ".warn{color:var(--warn);background:var(--warnbg);border-color:var(--warn)}\n"
    ".other{color:#333;background:#eee;border-color:#777}\n"
    ".muted{color:var(--muted)}.small{font-size:12px}\n"
    ".note{border-left:4px solid var(--line);padding:4px 10px;color:#333;background:#fafbfc}\n"
    ".note.bad{border-left-color:var(--bad)}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}\n"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
    "dl.methods dt{font-weight:600;margin-top:10px}dl.methods dd{margin:2px 0 0 0;white-space:pre-wrap}\n"
    "nav ul{margin:4px 0;padding-left:20px;columns:2}\n"
    "section.control{border-top:3px solid #222;margin-top:36px;padding-top:10px}\n"
    ".cid{color:var(--muted);margin:0 0 8px}p.desc{white-space:pre-line}\n"
    "svg.chart{width:100%;height:auto;display:block;margin:4px 0}\n"
    "svg text{font-family:system-ui,\"DejaVu Sans\",sans-serif;fill:#222}\n"
    ".hash{cursor:help}\n"
    "@media print{\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "body{max-width:none;padding:0;font-size:10pt;color:#000;background:#fff}\n"
    "nav{display:none}\n"
    "#controls,#methods{break-before:page}h2{margin-top:0}\n"
    "section.control{border-top:none;margin-top:0}section.control+section.control{break-before:page}\n"
    "h2,h3,h4{break-after:avoid}tr,svg,pre{break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "a{color:#000;text-decoration:none}\n"
    "pre,.note{background:#fff}th{background:#f0f0f0}\n"
    ".hash .short,.screen{display:none}.hash::after{content:attr(title);font-size:6.5pt;overflow-wrap:anywhere}\n"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "}\n";

static void put_head(rpt_hw *w, const rpt_report *r)
{
    rpt_hw_lit(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:\">\n"
                  "<meta name=\"referrer\" content=\"no-referrer\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta name=\"generator\" content=\"");
    rpt_hw_esc_cut(w, r->assay_version, 200);
    rpt_hw_lit(w, "\">\n<title>");
    esc_or(w, r->title, 300, "assay evidence report");
    rpt_hw_lit(w, "</title>\n<style>\n");
    rpt_hw_put(w, css, sizeof css - 1);
    rpt_hw_lit(w, "</style>\n</head>\n<body>\n");
}

/* ---- 1. header and summary ---- */

static void put_header(rpt_hw *w, const rpt_report *r)
{
    rpt_hw_lit(w, "<header id=\"top\">\n<h1>");
    esc_or(w, r->title, 300, "assay evidence report");
    rpt_hw_lit(w, "</h1>\n<dl class=\"meta\">\n<dt>Period</dt><dd>");
    put_period(w, r);
    rpt_hw_lit(w, "</dd>\n<dt>Evidence digest</dt><dd>");
    if (has_text(r->digest)) {
        rpt_hw_lit(w, "<code class=\"digest\">");
        rpt_hw_esc_cut(w, r->digest, 200);
        rpt_hw_lit(w, "</code> <span class=\"muted small\">(cite this; <code>assay verify</code> checks it)</span>");
    } else {
        rpt_hw_lit(w, "<span class=\"muted\">none</span>");
    }
    rpt_hw_lit(w, "</dd>\n<dt>Produced by</dt><dd>");
    esc_or(w, r->assay_version, 200, "assay");
    rpt_hw_lit(w, "</dd>\n</dl>\n<p class=\"note small\">A reading aid for the evidence folder. The "
                  "evidence itself is the folder's CSV and JSON files, sealed by the digest above; "
                  "lists here are cut to their first rows and always say how many more the files hold. "
                  "This file runs no script and loads nothing.</p>\n");
    rpt_hw_lit(w, "<nav><strong>Contents</strong><ul>\n<li><a href=\"#summary\">1. Summary</a></li>\n"
                  "<li><a href=\"#completeness\">2. Completeness: inputs and coverage</a></li>\n"
                  "<li><a href=\"#controls\">3. Controls</a></li>\n"
                  "<li><a href=\"#methods\">4. Methods</a></li>\n</ul></nav>\n</header>\n");
}

static void put_summary(rpt_hw *w, const rpt_report *r)
{
    uint64_t n_ok = 0, n_bad = 0, n_warn = 0, n_other = 0, pop = 0, exc = 0, unt = 0;
    for (size_t i = 0; i < r->n_controls; i++) {
        const rpt_control *c = &r->controls[i];
        switch (verdict_of(c->verdict)) {
        case V_OK: n_ok++; break;
        case V_BAD: n_bad++; break;
        case V_WARN: n_warn++; break;
        case V_OTHER: n_other++; break;
        }
        pop += c->population;
        exc += c->exceptions;
        unt += c->untestable;
    }
    rpt_hw_lit(w, "<section id=\"summary\">\n<h2>1. Summary</h2>\n<p>");
    num_text(w, r->n_controls, r->n_controls == 1 ? " control tested: " : " controls tested: ");
    num_text(w, n_ok, " effective, ");
    num_text(w, n_bad, " with exceptions, ");
    num_text(w, n_warn, " without a population");
    if (n_other) {
        rpt_hw_lit(w, ", ");
        num_text(w, n_other, " other");
    }
    rpt_hw_lit(w, ". Untestable instances count as exceptions.</p>\n");
    rpt_hw_lit(w, "<table class=\"summary\">\n<thead><tr><th>Control</th><th>Criteria</th>"
                  "<th class=\"n\">Population</th><th class=\"n\">Exceptions</th>"
                  "<th class=\"n\">Untestable</th><th>Verdict</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n_controls; i++) {
        const rpt_control *c = &r->controls[i];
        rpt_hw_lit(w, "<tr data-control=\"");
        rpt_hw_esc_cut(w, c->id, RPT_HTML_CELL_MAX);
        rpt_hw_lit(w, "\"><td><a href=\"#");
        put_anchor(w, r, i);
        rpt_hw_lit(w, "\">");
        rpt_hw_esc_cut(w, control_name(c), RPT_HTML_CELL_MAX);
        rpt_hw_lit(w, "</a><br><code class=\"small muted\">");
        rpt_hw_esc_cut(w, c->id, RPT_HTML_CELL_MAX);
        rpt_hw_lit(w, "</code></td>");
        td_text(w, NULL, c->criteria);
        td_u64(w, "population", c->population, 0);
        td_u64(w, "exceptions", c->exceptions, 1);
        td_u64(w, "untestable", c->untestable, 1);
        rpt_hw_lit(w, "<td>");
        put_verdict(w, c->verdict);
        rpt_hw_lit(w, "</td></tr>\n");
    }
    rpt_hw_lit(w, "</tbody>\n");
    if (r->n_controls > 1) {
        rpt_hw_lit(w, "<tfoot><tr class=\"total\"><td colspan=\"2\">All controls</td>");
        td_u64(w, "population", pop, 0);
        td_u64(w, "exceptions", exc, 1);
        td_u64(w, "untestable", unt, 1);
        rpt_hw_lit(w, "<td></td></tr></tfoot>\n");
    }
    rpt_hw_lit(w, "</table>\n</section>\n");
}

/* ---- 2. completeness ---- */

/* Worth an auditor's look: not read whole, records rejected, or claimed by
 * no source. */
static int input_has_problem(const rpt_input *in)
{
    return !in->read || !in->complete || in->rejected > 0 || !has_text(in->sources);
}

static void put_inputs(rpt_hw *w, const rpt_report *r)
{
    uint64_t bytes = 0, recs = 0, rej = 0, incomplete = 0, unread = 0, unclaimed = 0;
    for (size_t i = 0; i < r->n_inputs; i++) {
        const rpt_input *in = &r->inputs[i];
        bytes += in->bytes;
        recs += in->records;
        rej += in->rejected;
        if (!in->read)
            unread++;
        else if (!in->complete)
            incomplete++;
        if (!has_text(in->sources))
            unclaimed++;
    }
    rpt_hw_lit(w, "<section id=\"completeness\">\n<h2>2. Completeness</h2>\n<h3 id=\"inputs\">Inputs</h3>\n<p>");
    num_text(w, r->n_inputs, r->n_inputs == 1 ? " input, " : " inputs, ");
    num_text(w, bytes, " bytes stored, ");
    num_text(w, recs, " records, ");
    num_text(w, rej, " rejected.");
    if (incomplete || unread) {
        rpt_hw_lit(w, " <span class=\"badge bad\">\xE2\x9C\x97 ");
        num_text(w, incomplete + unread, " not read whole</span>");
    } else if (r->n_inputs) {
        rpt_hw_lit(w, " <span class=\"badge ok\">\xE2\x9C\x93 every input read whole</span>");
    }
    if (unclaimed) {
        rpt_hw_lit(w, " <span class=\"badge warn\">! ");
        num_text(w, unclaimed, " claimed by no source</span>");
    }
    rpt_hw_lit(w, "</p>\n");
    if (r->n_inputs == 0) {
        rpt_hw_lit(w, "<p class=\"muted\">No input.</p>\n");
        return;
    }
    rpt_hw_lit(w, "<table class=\"inputs\">\n<thead><tr><th>Path</th><th>Sources</th><th>Format</th>"
                  "<th class=\"n\">Bytes</th><th>SHA-256</th><th class=\"n\">Records</th>"
                  "<th class=\"n\">Rejected</th><th>Complete</th></tr></thead>\n<tbody>\n");
    /* past the cap, the inputs with a problem come first (in model order,
     * like all rows): a missing or partial input must not hide past row 200 */
    uint64_t problems = 0;
    for (size_t i = 0; i < r->n_inputs; i++)
        problems += input_has_problem(&r->inputs[i]);
    size_t cap = RPT_HTML_INPUTS_MAX;
    uint64_t quota_problem = AS_MIN(problems, (uint64_t)cap), quota_clean = cap - quota_problem;
    size_t shown = 0;
    for (size_t i = 0; i < r->n_inputs; i++) {
        const rpt_input *in = &r->inputs[i];
        if (r->n_inputs > cap) {
            uint64_t *quota = input_has_problem(in) ? &quota_problem : &quota_clean;
            if (*quota == 0)
                continue;
            (*quota)--;
        }
        shown++;
        rpt_hw_lit(w, "<tr>");
        td_text(w, "mono", in->path);
        if (has_text(in->sources))
            td_text(w, "nw", in->sources);
        else
            rpt_hw_lit(w, "<td class=\"muted\">(none)</td>");
        if (!in->read) {
            rpt_hw_lit(w, "<td colspan=\"5\" class=\"muted\">not read</td>"
                          "<td><span class=\"badge bad\">\xE2\x9C\x97 no</span></td></tr>\n");
            continue;
        }
        td_text(w, "nw", in->format);
        td_u64(w, "bytes", in->bytes, 0);
        rpt_hw_lit(w, "<td>");
        put_hash(w, in->sha256);
        rpt_hw_lit(w, "</td>");
        td_u64(w, "records", in->records, 0);
        td_u64(w, "rejected", in->rejected, 1);
        rpt_hw_lit(w, in->complete ? "<td><span class=\"badge ok\">\xE2\x9C\x93 yes</span></td></tr>\n"
                                   : "<td><span class=\"badge bad\">\xE2\x9C\x97 no</span></td></tr>\n");
    }
    rpt_hw_lit(w, "</tbody>\n</table>\n");
    if (shown < r->n_inputs) {
        rpt_hw_lit(w, "<p class=\"note\">and ");
        num_text(w, r->n_inputs - shown, " more inputs");
        if (problems > cap) {
            rpt_hw_lit(w, ", ");
            num_text(w, problems - cap, " of them with a problem");
        } else {
            rpt_hw_lit(w, ", each read whole, nothing rejected, claimed by a source");
        }
        rpt_hw_lit(w, " (<code>results.json</code> and <code>manifest.json</code> list all; the totals above "
                      "count all). Inputs not read whole, with rejected records or claimed by no source are "
                      "listed first.</p>\n");
    }
}

static void put_completeness(rpt_hw *w, const rpt_report *r)
{
    put_inputs(w, r);
    rpt_hw_lit(w, "<h3 id=\"coverage\">Coverage: records per day and source</h3>\n");
    if (r->n_cov == 0 || r->n_days == 0)
        rpt_hw_lit(w, "<p class=\"muted\">No coverage data.</p>\n");
    else
        rpt_html_svg_coverage(w, r);
    rpt_hw_lit(w, "</section>\n");
}

/* ---- 3. controls ---- */

static void kv_row(rpt_hw *w, const char *k, as_slice v)
{
    rpt_hw_fmt(w, "<tr><th>%s</th><td>", k);
    esc_or(w, v, RPT_HTML_CELL_MAX, "<span class=\"muted\">not stated</span>");
    rpt_hw_lit(w, "</td></tr>\n");
}

static void kv_u64(rpt_hw *w, const char *k, uint64_t v)
{
    rpt_hw_fmt(w, "<tr><th>%s</th><td class=\"n\">", k);
    num_text(w, v, "</td></tr>\n");
}

static void kv_pct(rpt_hw *w, const char *k, double v)
{
    rpt_hw_fmt(w, "<tr><th>%s</th><td class=\"n\">", k);
    put_pct(w, v);
    rpt_hw_lit(w, "</td></tr>\n");
}

static void put_counts(rpt_hw *w, const rpt_control *c)
{
    rpt_hw_lit(w, "<table class=\"counts\">\n<thead><tr><th class=\"n\">Population</th>"
                  "<th class=\"n\">Pass</th><th class=\"n\">Exceptions</th><th class=\"n\">Untestable</th>"
                  "<th class=\"n\">Duplicates</th><th class=\"n\">Outside the period</th></tr></thead>\n<tbody><tr>");
    td_u64(w, "population", c->population, 0);
    td_u64(w, "pass", c->pass, 0);
    td_u64(w, "exceptions", c->exceptions, 1);
    td_u64(w, "untestable", c->untestable, 1);
    td_u64(w, "duplicates", c->duplicates, 0);
    td_u64(w, "outside_period", c->outside_period, 0);
    rpt_hw_lit(w, "</tr></tbody>\n</table>\n");
    if (c->duplicates)
        rpt_hw_lit(w, "<p class=\"small muted\">Duplicates were counted once; <code>results.json</code> "
                      "lists both locations of each.</p>\n");
    if (c->n_reasons == 0)
        return;
    rpt_hw_lit(w, "<table class=\"kv reasons\">\n<thead><tr><th>Reason</th><th class=\"n\">Instances</th>"
                  "</tr></thead>\n<tbody>\n");
    size_t shown = AS_MIN(c->n_reasons, (size_t)RPT_HTML_REASONS_MAX);
    for (size_t i = 0; i < shown; i++) {
        rpt_hw_lit(w, "<tr><td><code>");
        rpt_hw_esc_cut(w, c->reasons[i].k, RPT_HTML_CELL_MAX);
        rpt_hw_lit(w, "</code></td><td class=\"n\">");
        rpt_hw_esc_cut(w, c->reasons[i].v, 40);
        rpt_hw_lit(w, "</td></tr>\n");
    }
    if (shown < c->n_reasons) {
        rpt_hw_lit(w, "<tr><td colspan=\"2\" class=\"muted\">and ");
        num_text(w, c->n_reasons - shown, " more reasons (<code>results.json</code>)</td></tr>\n");
    }
    rpt_hw_lit(w, "</tbody>\n</table>\n");
}

/* Rows of exceptions or sample items: # id key time [result] reason measured detail where. */
typedef enum exc_cols { COLS_EXCEPTIONS, COLS_SAMPLE } exc_cols;

static void put_exc_table(rpt_hw *w, const rpt_exc *e, size_t n, exc_cols cols)
{
    rpt_hw_lit(w, "<table class=\"exc\">\n<thead><tr><th class=\"n\">#</th><th>Record</th><th>Key</th>"
                  "<th>Time (UTC)</th>");
    rpt_hw_lit(w, cols == COLS_SAMPLE ? "<th>Result</th><th>Where</th></tr></thead>\n<tbody>\n"
                                      : "<th>Reason</th><th>Measured</th><th>Detail</th><th>Where</th>"
                                        "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        rpt_hw_fmt(w, "<tr><td class=\"n\">%zu</td>", i + 1);
        td_text(w, "id", e[i].id);
        td_text(w, NULL, e[i].key);
        td_text(w, "mono time", e[i].time);
        if (cols == COLS_SAMPLE) {
            td_text(w, NULL, e[i].result);
        } else {
            rpt_hw_lit(w, "<td class=\"code\"><code>");
            rpt_hw_esc_cut(w, e[i].reason, RPT_HTML_CELL_MAX);
            rpt_hw_lit(w, "</code></td>");
            td_text(w, NULL, e[i].measured);
            td_text(w, NULL, e[i].detail);
        }
        td_text(w, "mono", e[i].where);
        rpt_hw_lit(w, "</tr>\n");
    }
    rpt_hw_lit(w, "</tbody>\n</table>\n");
}

static void put_exceptions(rpt_hw *w, const rpt_report *r, const rpt_control *c)
{
    uint64_t total = c->exceptions + c->untestable;
    rpt_hw_lit(w, "<h4>Exceptions over time</h4>\n");
    uint64_t charted = 0;
    if (c->exc_per_day)
        for (size_t d = 0; d < r->n_days; d++)
            charted += c->exc_per_day[d];
    if (charted == 0) {
        rpt_hw_lit(w, total ? "<p class=\"muted\">No exception has a day in the period to chart.</p>\n"
                            : "<p class=\"muted\">No exception on any day.</p>\n");
    } else {
        rpt_html_svg_per_day(w, r, c->exc_per_day);
        if (charted < total) {
            rpt_hw_lit(w, "<p class=\"small muted\">");
            rpt_hw_u64(w, total - charted);
            rpt_hw_lit(w, " of them have no day in the period (no time, or a time that does not parse) "
                          "and are not charted.</p>\n");
        }
    }
    rpt_hw_lit(w, "<h4>First exceptions</h4>\n");
    if (total == 0 && c->n_first == 0) {
        rpt_hw_lit(w, "<p>None.</p>\n");
        return;
    }
    if (c->n_first)
        put_exc_table(w, c->first, c->n_first, COLS_EXCEPTIONS);
    uint64_t more = total > c->n_first ? total - c->n_first : 0;
    rpt_hw_lit(w, "<p class=\"note\">");
    if (c->n_first == 0) {
        rpt_hw_lit(w, "All ");
        num_text(w, total, " are in ");
    } else if (more) {
        num_text(w, more, " more in ");
    } else {
        rpt_hw_lit(w, "All of them, with every column, are in ");
    }
    if (has_text(c->exceptions_csv))
        esc_wrapped(w, "<code>", c->exceptions_csv, RPT_HTML_CELL_MAX, "</code>");
    else
        rpt_hw_lit(w, "the control's <code>exceptions.csv</code>");
    rpt_hw_lit(w, more ? " (every exception and untestable instance, with source file, line and byte offset).</p>\n"
                       : ".</p>\n");
}

static void put_conclusion(rpt_hw *w, as_slice v)
{
    if (as_slice_eq_cstr(v, "supports"))
        rpt_hw_lit(w, "<span class=\"badge ok\">\xE2\x9C\x93 Supports reliance on the control</span>");
    else if (as_slice_eq_cstr(v, "does_not_support"))
        rpt_hw_lit(w, "<span class=\"badge bad\">\xE2\x9C\x97 Does not support reliance on the control</span>");
    else if (v.len == 0)
        rpt_hw_lit(w, "<span class=\"badge warn\">! Not evaluated yet</span>");
    else {
        rpt_hw_lit(w, "<span class=\"badge other\">? ");
        rpt_hw_esc_cut(w, v, 60);
        rpt_hw_lit(w, "</span>");
    }
}

static void put_sample(rpt_hw *w, const rpt_sample *s)
{
    rpt_hw_lit(w, "<h4>Sample</h4>\n<p>");
    put_conclusion(w, s->conclusion);
    rpt_hw_lit(w, " ");
    num_text(w, s->size, " of ");
    rpt_hw_u64(w, s->population);
    rpt_hw_lit(w, " items selected; ");
    num_text(w, s->deviations, s->deviations == 1 ? " deviation found, " : " deviations found, ");
    rpt_hw_u64(w, s->allowed);
    rpt_hw_lit(w, " allowed; upper deviation limit ");
    put_pct(w, s->upper_limit_pct);
    rpt_hw_lit(w, " at ");
    put_pct(w, s->confidence_pct);
    rpt_hw_lit(w, " confidence, against a tolerable rate of ");
    put_pct(w, s->tolerable_pct);
    rpt_hw_lit(w, ".</p>\n<table class=\"kv sample\">\n<tbody>\n");
    kv_u64(w, "Population (N)", s->population);
    kv_u64(w, "Sample size (n)", s->size);
    kv_row(w, "Method", s->method);
    kv_row(w, "Seed", s->seed);
    kv_row(w, "Selection algorithm", s->algorithm);
    kv_pct(w, "Confidence", s->confidence_pct);
    kv_pct(w, "Tolerable deviation rate", s->tolerable_pct);
    kv_pct(w, "Expected deviation rate", s->expected_pct);
    kv_u64(w, "Allowed deviations", s->allowed);
    rpt_hw_fmt(w, "<tr><th>Deviations found</th><td class=\"n%s\">", s->deviations > s->allowed ? " flag" : "");
    num_text(w, s->deviations, "</td></tr>\n");
    kv_pct(w, "Upper deviation limit", s->upper_limit_pct);
    rpt_hw_lit(w, "</tbody>\n</table>\n");
    esc_wrapped(w, "<p>To re-perform the selection:</p>\n<pre class=\"reperform\">", s->reperform,
                RPT_HTML_TEXT_MAX, "</pre>\n");
    if (s->n_items) {
        rpt_hw_lit(w, "<p>First selected items:</p>\n");
        put_exc_table(w, s->items, s->n_items, COLS_SAMPLE);
    }
    uint64_t total = AS_MAX(s->total_items, (uint64_t)s->n_items);
    if (total > s->n_items) {
        rpt_hw_lit(w, "<p class=\"note\">");
        num_text(w, total - s->n_items, " more selected items in the control's <code>sample.csv</code>.</p>\n");
    }
}

static void put_control(rpt_hw *w, const rpt_report *r, size_t i)
{
    const rpt_control *c = &r->controls[i];
    rpt_hw_lit(w, "<section class=\"control\" id=\"");
    put_anchor(w, r, i);
    rpt_hw_fmt(w, "\">\n<h3>3.%zu ", i + 1);
    rpt_hw_esc_cut(w, control_name(c), RPT_HTML_CELL_MAX);
    rpt_hw_lit(w, " ");
    put_verdict(w, c->verdict);
    rpt_hw_lit(w, "</h3>\n<p class=\"cid\"><code>");
    rpt_hw_esc_cut(w, c->id, RPT_HTML_CELL_MAX);
    rpt_hw_lit(w, "</code>");
    esc_wrapped(w, " \xC2\xB7 rule <code>", c->rule_where, RPT_HTML_CELL_MAX, "</code>");
    rpt_hw_lit(w, "<span class=\"screen\"> \xC2\xB7 <a href=\"#summary\">back to the summary</a></span></p>\n<table class=\"kv\">\n<tbody>\n");
    kv_row(w, "Criteria", c->criteria);
    kv_row(w, "Frequency", c->frequency);
    kv_row(w, "Severity", c->severity);
    kv_row(w, "Test type", c->test);
    rpt_hw_lit(w, "</tbody>\n</table>\n");
    esc_wrapped(w, "<p class=\"desc\">", c->description, RPT_HTML_TEXT_MAX, "</p>\n");
    esc_wrapped(w, "<h4>What was tested: the rule as written</h4>\n<pre class=\"rule\">", c->rule_text,
                RPT_HTML_TEXT_MAX, "</pre>\n");
    rpt_hw_lit(w, "<h4>Results</h4>\n");
    put_counts(w, c);
    put_exceptions(w, r, c);
    if (c->sample)
        put_sample(w, c->sample);
    rpt_hw_lit(w, "</section>\n");
}

/* ---- 4. methods ---- */

static void put_methods(rpt_hw *w, const rpt_report *r)
{
    rpt_hw_lit(w, "<section id=\"methods\">\n<h2>4. Methods</h2>\n");
    if (r->n_methods == 0) {
        rpt_hw_lit(w, "<p class=\"muted\">None recorded.</p>\n");
    } else {
        rpt_hw_lit(w, "<dl class=\"methods\">\n");
        for (size_t i = 0; i < r->n_methods; i++) {
            rpt_hw_lit(w, "<dt>");
            rpt_hw_esc_cut(w, r->methods[i].k, RPT_HTML_CELL_MAX);
            rpt_hw_lit(w, "</dt><dd>");
            rpt_hw_esc_cut(w, r->methods[i].v, RPT_HTML_TEXT_MAX);
            rpt_hw_lit(w, "</dd>\n");
        }
        rpt_hw_lit(w, "</dl>\n");
    }
    rpt_hw_lit(w, "</section>\n");
}

as_code rpt_html_report(as_buf *out, const rpt_report *r)
{
    rpt_hw w = { out, 0, 0 };
    put_head(&w, r);
    put_header(&w, r);
    put_summary(&w, r);
    put_completeness(&w, r);
    rpt_hw_lit(&w, "<section id=\"controls\">\n<h2>3. Controls</h2>\n");
    if (r->n_controls == 0)
        rpt_hw_lit(&w, "<p class=\"muted\">No control was run.</p>\n");
    for (size_t i = 0; i < r->n_controls; i++)
        put_control(&w, r, i);
    rpt_hw_lit(&w, "</section>\n");
    put_methods(&w, r);
    rpt_hw_lit(&w, "<footer class=\"small muted\"><p>End of the report.");
    if (w.replaced) {
        rpt_hw_lit(&w, " ");
        rpt_hw_u64(&w, w.replaced);
        rpt_hw_lit(&w, " invalid UTF-8 bytes in the data were shown as \xEF\xBF\xBD.");
    }
    rpt_hw_lit(&w, "</p></footer>\n</body>\n</html>\n");
    return w.failed ? AS_ERR_NOMEM : AS_OK;
}
