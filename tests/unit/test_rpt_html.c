/* test_rpt_html.c: unit tests for report/rpt_html (the escaper and the
 * report), and the helper that the browser test runs.
 *
 * The report tests build a model from a fixed recipe (demo_make) with
 * attacker-controlled strings in every field a log or a rule can reach, then
 * read the output back with a small tag scanner: since every model byte is
 * escaped, each '<' in the output must open one of our own tags, with our
 * own attributes; an on* attribute, a script element or a link that leaves
 * the page is a failure wherever it comes from.
 *
 * Run with arguments it writes instead of testing (tests/e2e/report_browser.sh):
 *   test_rpt_html --write OUT.html [--expect OUT.json] [--big | --huge]
 *   test_rpt_html --bench        bytes and milliseconds of a few model sizes
 */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>  /* PRIu64 */
#include <stdio.h>     /* fopen, snprintf */
#include <string.h>    /* memmem, strncmp */
#include <time.h>      /* clock_gettime: --bench only */

#include "core/as.h"
#include "report/rpt.h"
#include "report/rpt_html.h"

/* ---- hostile strings ---- */
#define H_SCRIPT "<script>alert(1)</script>"
#define H_IMG    "\"><img src=x onerror=alert(1)>"
#define H_JS     "javascript:alert(1)"
#define H_SQ     "' onmouseover='alert(1)' x='"
#define H_STYLE  "</style><style>body{display:none}</style>"
#define H_SVG    "</text><svg onload=alert(1)><title>"
#define H_BIDI   "admin\xE2\x80\xAEtxt.exe"
#define H_BAD    "bad\xFF\xFEutf8\xC3"
/* canaries: if either ever ran, the browser test would find the attribute */
#define H_PWN    "<script>document.documentElement.setAttribute('data-pwned','1')</script>"
#define H_PWN2   "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','2')\">"

/* ---- a model from a recipe ---- */
typedef struct demo_opts {
    size_t n_controls, n_first, n_days, n_cov, n_inputs;
    int    hostile;  /* put H_* strings in every field */
} demo_opts;

typedef struct demo {
    rpt_report  r;
    as_arena    ar;       /* every string and array of the model */
    rpt_sample  sample;
} demo;

static as_slice str(demo *d, const char *fmt, ...) AS_PRINTF(2, 3);
static as_slice str(demo *d, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    char *p = as_arena_strndup(&d->ar, tmp, (size_t)n);
    assert_non_null(p);
    return as_slice_make(p, (size_t)n);
}

static void *alloc(demo *d, size_t n, size_t size)
{
    void *p = as_arena_alloc(&d->ar, n * size + 1, 16);
    assert_non_null(p);
    memset(p, 0, n * size + 1);
    return p;
}

static const char *const ctl_ids[] = {
    "aws-console-mfa", "backup-daily", "leaver-deactivated-24h", "p1-ack-15min", "ssh-no-root",
    "okta-admin-mfa", "pr-reviewed-by-other", "no-direct-push", "sudo-admins-only", "aws-no-root",
};
static const char *const ctl_titles[] = {
    "Console sign-ins to AWS use MFA", "A successful nightly backup every day on every host",
    "Leavers are deactivated within 24 hours", "P1 incidents are acknowledged within 15 minutes",
    "No SSH sign-in as root", "Okta administrators sign in with MFA",
    "Every pull request is reviewed by someone other than its author", "No direct push to protected branches",
    "Only admins use sudo", "The AWS root account is not used",
};
static const char rule_text[] =
    "id: backup-daily\n"
    "title: A successful nightly backup every day on every host that requires one\n"
    "criteria: [A1.2]\n"
    "population:\n"
    "  source: backup\n"
    "  where: job == \"nightly\" && host != \"<none>\"\n"
    "  key: host\n"
    "test:\n"
    "  cadence: {every: day, min: 1, ok: status == \"success\"}\n";

static void demo_make(demo *d, const demo_opts *o)
{
    memset(d, 0, sizeof *d);
    as_arena_init(&d->ar, 1u << 20);
    rpt_report *r = &d->r;
    int h = o->hostile;
    int64_t first_day = as_days_from_civil(2025, 10, 1);
    int64_t y;
    unsigned m, dd;
    r->title = h ? as_slice_cstr("assay evidence " H_SCRIPT) : as_slice_cstr("assay evidence: FY2026 H1");
    r->assay_version = as_slice_cstr("assay 0.4.0 (abc1234, release)");
    r->period_start = as_slice_cstr("2025-10-01T00:00:00Z");
    as_civil_from_days(first_day + (int64_t)o->n_days, &y, &m, &dd);
    r->period_end = str(d, "%04" PRId64 "-%02u-%02uT00:00:00Z", y, m, dd);
    r->period_given = 1;
    r->digest = h ? as_slice_cstr("sha256:" H_IMG) :
                    as_slice_cstr("sha256:9f2c4e1ab0d35c7e66a1f0b8d2e94c3a7b15f6e08d4c2a9b3e7f1d05c6a8b2e4");
    r->first_day = first_day;
    r->n_days = o->n_days;

    rpt_input *in = alloc(d, o->n_inputs, sizeof *in);
    static const char *const srcs[] = { "web", "auth", "okta", "cloudtrail", "" };
    for (size_t i = 0; i < o->n_inputs; i++) {
        in[i].path = h && i == 0 ? as_slice_cstr("logs/" H_SCRIPT ".log") :
                     h && i == 1 ? as_slice_cstr("logs/" H_BAD H_BIDI) :
                     str(d, "logs/%s/part-%04zu.log.gz", srcs[i % 4], i);
        in[i].sources = as_slice_cstr(i == 4 ? srcs[4] : srcs[i % 4]);
        in[i].format = as_slice_cstr(i % 4 == 2 ? "jsonl" : i % 4 == 1 ? "syslog" : "clf");
        in[i].bytes = 1000000u + i * 7919u;
        in[i].sha256 = h && i == 2 ? as_slice_cstr(H_IMG) :
                       str(d, "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64, i * 0x9e3779b97f4a7c15u,
                           ~i * 0x2545f4914f6cdd1du, i + 0x1234567u, i ^ 0xfeedfacecafebeefu);
        in[i].records = 20000u + i * 13u;
        in[i].rejected = i == 2 ? 3 : 0;
        in[i].read = i != 5;
        in[i].complete = i != 3;
    }
    r->inputs = in;
    r->n_inputs = o->n_inputs;

    rpt_covrow *cov = alloc(d, o->n_cov, sizeof *cov);
    for (size_t i = 0; i < o->n_cov; i++) {
        uint64_t *pd = alloc(d, o->n_days, sizeof *pd);
        for (size_t k = 0; k < o->n_days; k++)
            pd[k] = 800 + (k * 37 + i * 11) % 500;
        if (i == 2)
            for (size_t k = 33; k < 36 && k < o->n_days; k++)
                pd[k] = 0;                           /* a three-day gap */
        if (i == 4 && o->n_days > 100)
            pd[100] = 0;                             /* one day */
        if (i == 0 && o->n_days)
            pd[o->n_days - 1] = 0;                   /* the last day */
        cov[i].name = h && i == 1 ? as_slice_cstr("auth/" H_SVG) :
                      h && i == 3 ? as_slice_cstr("okta/" H_PWN2) : str(d, "%s/host-%02zu", srcs[i % 4], i);
        cov[i].per_day = pd;
    }
    r->cov = cov;
    r->n_cov = o->n_cov;

    rpt_control *c = alloc(d, o->n_controls, sizeof *c);
    for (size_t i = 0; i < o->n_controls; i++) {
        size_t t = i % AS_ARRAY_LEN(ctl_ids);
        c[i].id = i < AS_ARRAY_LEN(ctl_ids) ? as_slice_cstr(ctl_ids[t]) : str(d, "%s-%zu", ctl_ids[t], i);
        if (h && i == 1)
            c[i].id = as_slice_cstr("x\"" H_SCRIPT);
        c[i].title = h && i == 0 ? str(d, "%s %s", ctl_titles[t], H_SCRIPT) : as_slice_cstr(ctl_titles[t]);
        c[i].criteria = as_slice_cstr(i % 2 ? "CC6.1, CC6.2" : "CC7.2");
        c[i].frequency = as_slice_cstr(i % 3 ? "continuous" : "daily");
        c[i].severity = as_slice_cstr(i % 2 ? "high" : "medium");
        c[i].test = as_slice_cstr(i % 2 ? "each" : "followed_by");
        c[i].description = h && i == 0 ? as_slice_cstr("Every sign-in " H_STYLE " uses MFA.\nSecond line.") :
                           as_slice_cstr("Every instance of the population is tested; an instance that "
                                         "cannot be decided is untestable and counts as an exception.");
        c[i].rule_text = h && i == 0 ? as_slice_cstr(H_SCRIPT "\n" H_IMG "\n" H_JS "\n" H_SQ) :
                         as_slice_make(rule_text, sizeof rule_text - 1);
        c[i].rule_where = str(d, "controls/%s.yaml:1", ctl_ids[t]);
        c[i].population = i == 5 ? 0 : 1000 + 37 * i;
        c[i].exceptions = i == 5 || i % 3 == 0 ? 0 : 5 + 11 * i;
        c[i].untestable = i != 5 && i % 4 == 1 ? 2 : 0;
        c[i].pass = c[i].population - c[i].exceptions - c[i].untestable;
        c[i].duplicates = i == 4 ? 2 : 0;
        c[i].outside_period = i % 5;
        c[i].verdict = as_slice_cstr(c[i].population == 0 ? "no_population" :
                                     c[i].exceptions + c[i].untestable ? "exceptions" : "effective");
        uint64_t total = c[i].exceptions + c[i].untestable;
        rpt_kv *rs = alloc(d, 2, sizeof *rs);
        size_t nr = 0;
        if (c[i].exceptions)
            rs[nr++] = (rpt_kv){ h && i == 2 ? as_slice_cstr("<b>" H_JS "</b>") : as_slice_cstr("assert_failed"),
                                 str(d, "%" PRIu64, c[i].exceptions) };
        if (c[i].untestable)
            rs[nr++] = (rpt_kv){ as_slice_cstr("untestable_missing"), str(d, "%" PRIu64, c[i].untestable) };
        c[i].reasons = rs;
        c[i].n_reasons = nr;
        if (total) {
            uint64_t *pd = alloc(d, o->n_days, sizeof *pd);
            for (uint64_t j = 0; j < total && o->n_days; j++)
                pd[(j * j * 7 + j * 13 + i * 5) % o->n_days]++;
            c[i].exc_per_day = pd;
        }
        size_t nf = (size_t)AS_MIN((uint64_t)o->n_first, total);
        rpt_exc *e = alloc(d, nf, sizeof *e);
        for (size_t j = 0; j < nf; j++) {
            e[j].id = str(d, "%016" PRIx64 ":%zu", (uint64_t)i * 0x9e3779b97f4a7c15u, 1000 + j * 173);
            e[j].key = str(d, "user%03zu@example.com", j);
            e[j].time = str(d, "2025-%02zu-%02zuT%02zu:%02zu:00Z", 10 + j % 3, 1 + j % 28, j % 24, j % 60);
            e[j].result = as_slice_cstr(j % 7 == 3 ? "untestable" : "exception");
            e[j].reason = as_slice_cstr(j % 7 == 3 ? "untestable_missing" : "assert_failed");
            e[j].measured = as_slice_cstr(j % 2 ? "6h0m0s" : "");
            e[j].detail = as_slice_cstr("additionalEventData.MFAUsed is \"No\"");
            e[j].where = str(d, "logs/cloudtrail/part-%04zu.log.gz:%zu", j % 7, 10 + j * 31);
        }
        if (h && nf > 2) {
            e[0].detail = as_slice_cstr("user agent " H_SCRIPT);
            e[0].key = as_slice_cstr(H_SCRIPT);
            e[1].key = as_slice_cstr(H_IMG);
            e[1].measured = as_slice_cstr(H_SQ);
            e[2].where = as_slice_cstr(H_JS);
            e[2].time = as_slice_cstr(H_BAD);
            e[2].detail = as_slice_cstr(H_PWN);
            e[2].key = as_slice_cstr(H_PWN2);
        }
        c[i].first = e;
        c[i].n_first = nf;
        c[i].exceptions_csv = str(d, "%s/exceptions.csv", ctl_ids[t]);
    }
    if (o->n_controls > 2) {
        rpt_sample *s = &d->sample;
        s->method = as_slice_cstr("attribute sampling, simple random selection");
        s->seed = h ? as_slice_cstr(H_IMG) : as_slice_cstr("0x5eed2026");
        s->algorithm = as_slice_cstr("SHA-256 counter mode, rank by hash (docs/sampling.md)");
        s->population = c[2].population;
        s->size = 45;                                /* 0 deviations: UDL 1 - 0.05^(1/45) */
        s->deviations = 0;
        s->allowed = 1;
        s->confidence_pct = 95;
        s->tolerable_pct = 10;
        s->expected_pct = 0;
        s->upper_limit_pct = 6.44;
        s->conclusion = as_slice_cstr("supports");
        s->reperform = h ? as_slice_cstr("assay sample --seed '" H_SCRIPT "'") :
                       as_slice_cstr("assay sample --control leaver-deactivated-24h --seed 0x5eed2026 \\\n"
                                     "    --size 25 evidence/leaver-deactivated-24h/population.csv\n"
                                     "# then compare sample.csv: the same 45 record ids, in the same order");
        size_t ni = 10;
        rpt_exc *it = alloc(d, ni, sizeof *it);
        for (size_t j = 0; j < ni; j++) {
            it[j].id = str(d, "00c0ffee00c0ffee:%zu", 4096 * j + 17);
            it[j].key = h && j == 0 ? as_slice_cstr(H_SCRIPT) : str(d, "user%03zu@example.com", j * 7);
            it[j].time = str(d, "2025-11-%02zuT09:00:00Z", j + 1);
            it[j].result = as_slice_cstr(j == 4 ? "exception" : "pass");
            it[j].where = str(d, "logs/okta/part-%04zu.log.gz:%zu", j, 100 + j);
        }
        s->items = it;
        s->n_items = ni;
        s->total_items = s->size;
        c[2].sample = s;
    }
    r->controls = c;
    r->n_controls = o->n_controls;

    rpt_kv *mk = alloc(d, 4, sizeof *mk);
    mk[0] = (rpt_kv){ as_slice_cstr("Sample size"),
                      as_slice_cstr("The smallest n for which the probability of at most the allowed deviations, "
                                    "at the tolerable rate, is below 1 - confidence (binomial; AICPA table).") };
    mk[1] = (rpt_kv){ as_slice_cstr("Period"), as_slice_cstr("[start, end): an end date includes its whole day.") };
    mk[2] = (rpt_kv){ as_slice_cstr("Record ids"),
                      as_slice_cstr("<16 hex of the input's SHA-256>:<decompressed byte offset>") };
    mk[3] = h ? (rpt_kv){ as_slice_cstr(H_IMG), as_slice_cstr(H_SCRIPT) } :
                (rpt_kv){ as_slice_cstr("Tool"), r->assay_version };
    r->methods = mk;
    r->n_methods = 4;
}

static void demo_free(demo *d)
{
    as_arena_fini(&d->ar);
}

static const demo_opts small_hostile = { .n_controls = 6, .n_first = 5, .n_days = 182, .n_cov = 6,
                                         .n_inputs = 7, .hostile = 1 };

/* ---- reading the output back ---- */

static int has(const as_buf *b, const char *s)
{
    return b->len && memmem(b->data, b->len, s, strlen(s)) != NULL;
}

static size_t count(const as_buf *b, const char *s)
{
    size_t n = 0, k = strlen(s);
    const char *p = b->data, *end = b->data + b->len;
    while (p < end && (p = memmem(p, (size_t)(end - p), s, k)) != NULL) {
        n++;
        p += k;
    }
    return n;
}

static int in_list(const char *s, size_t n, const char *const *list, size_t nl)
{
    for (size_t i = 0; i < nl; i++)
        if (strlen(list[i]) == n && strncmp(list[i], s, n) == 0)
            return 1;
    return 0;
}

/* Every '<' of the output opens one of our tags, with our attributes, every
 * value double-quoted, no event handler, no link off the page; and the text
 * of <style> holds no '<'. Fails the test at the first offence. */
static void check_markup(const as_buf *b)
{
    static const char *const tags[] = {
        "html", "head", "meta", "title", "style", "body", "header", "footer", "nav", "section", "h1", "h2",
        "h3", "h4", "p", "dl", "dt", "dd", "ul", "li", "a", "span", "code", "strong", "br", "pre", "table",
        "thead", "tbody", "tfoot", "tr", "th", "td", "svg", "defs", "pattern", "rect", "text", "g", "path",
    };
    static const char *const attrs[] = {
        "lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "title", "data-control",
        "data-k", "colspan", "xmlns", "viewBox", "role", "aria-label", "width", "height", "patternUnits",
        "patternTransform", "fill", "x", "y", "font-size", "text-anchor", "d", "stroke", "stroke-width",
        "font-weight", "style",
    };
    const char *p = b->data, *end = b->data + b->len;
    size_t n_tags = 0;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p++;
        if (end - p >= 8 && strncmp(p, "!DOCTYPE", 8) == 0) {
            p = memchr(p, '>', (size_t)(end - p));
            assert_non_null(p);
            continue;
        }
        if (*p == '/')
            p++;
        const char *name = p;
        while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            p++;
        if (!in_list(name, (size_t)(p - name), tags, AS_ARRAY_LEN(tags)))
            fail_msg("unknown tag <%.*s at byte %td", (int)AS_MIN(p - name + 20, end - name), name, name - b->data);
        int is_style = (size_t)(p - name) == 5 && strncmp(name, "style", 5) == 0 && name[-1] != '/';
        for (;;) {
            while (p < end && *p == ' ')
                p++;
            assert_true(p < end);
            if (*p == '>' || (*p == '/' && p[1] == '>'))
                break;
            const char *an = p;
            while (p < end && *p != '=' && *p != ' ' && *p != '>')
                p++;
            size_t alen = (size_t)(p - an);
            if (!in_list(an, alen, attrs, AS_ARRAY_LEN(attrs)) || (alen > 2 && an[0] == 'o' && an[1] == 'n'))
                fail_msg("attribute %.*s at byte %td", (int)alen, an, an - b->data);
            assert_true(p < end && *p == '=');
            p++;
            if (*p != '"')
                fail_msg("unquoted value at byte %td", p - b->data);
            const char *v = ++p;
            p = memchr(p, '"', (size_t)(end - p));
            assert_non_null(p);
            assert_null(memchr(v, '<', (size_t)(p - v)));
            assert_null(memchr(v, '>', (size_t)(p - v)));
            if (alen == 4 && strncmp(an, "href", 4) == 0 && *v != '#')
                fail_msg("link off the page at byte %td", v - b->data);
            p++;
        }
        n_tags++;
        if (is_style) {                               /* the stylesheet: ours, with no '<' before </style> */
            const char *close = memmem(p, (size_t)(end - p), "</style>", 8);
            assert_non_null(close);
            assert_null(memchr(p, '<', (size_t)(close - p)));
        }
    }
    assert_true(n_tags > 50);
}

static as_buf render(const rpt_report *r)
{
    as_buf b = AS_BUF_INIT;
    assert_int_equal(rpt_html_report(&b, r), AS_OK);
    return b;
}

/* ---- the escaper ---- */

static int64_t esc(as_buf *b, const char *s, size_t n)
{
    as_buf_clear(b);
    return rpt_html_escape(b, as_slice_make(s, n));
}

static void test_rpt_html_escape_special_chars(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    static const struct { const char *in, *out; } cases[] = {
        { "&", "&amp;" }, { "<", "&lt;" }, { ">", "&gt;" }, { "\"", "&quot;" }, { "'", "&#39;" },
        { "a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f" },
        { "&amp;", "&amp;amp;" },                     /* escaped twice is escaped twice */
        { "plain text 123 ~`!#$%^*()_+-=[]{}|\\;:,./?", "plain text 123 ~`!#$%^*()_+-=[]{}|\\;:,./?" },
        { "tab\there\nnew line", "tab\there\nnew line" },
        { H_SCRIPT, "&lt;script&gt;alert(1)&lt;/script&gt;" },
        { H_IMG, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" },
        { "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x94\x92", "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x94\x92" },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(cases); i++) {
        assert_int_equal(esc(&b, cases[i].in, strlen(cases[i].in)), 0);
        assert_string_equal(b.data, cases[i].out);
    }
    assert_int_equal(esc(&b, "", 0), 0);
    assert_int_equal(b.len, 0);
    as_buf_fini(&b);
}

static void test_rpt_html_escape_appends(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    assert_int_equal(as_buf_append_cstr(&b, "<p>"), 0);
    assert_int_equal(rpt_html_escape(&b, AS_SLICE_LIT("a<b")), 0);
    assert_string_equal(b.data, "<p>a&lt;b");
    as_buf_fini(&b);
}

static void test_rpt_html_escape_invalid_utf8_counted(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    static const struct { const char *in; size_t len; const char *out; int64_t n; } cases[] = {
        { "a\xFF" "b", 3, "a\xEF\xBF\xBD" "b", 1 },
        { "\xFE\xFF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2 },
        { "end\xC3", 4, "end\xEF\xBF\xBD", 1 },                     /* cut short */
        { "\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2 },           /* overlong '/' */
        { "\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3 }, /* a surrogate */
        { "\xF4\x90\x80\x80", 4, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 4 }, /* > U+10FFFF */
        { "\x80<", 2, "\xEF\xBF\xBD&lt;", 1 },                      /* a lone continuation byte */
        { "\xEF\xBF\xBD", 3, "\xEF\xBF\xBD", 0 },                   /* a real U+FFFD is no replacement */
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(cases); i++) {
        assert_int_equal(esc(&b, cases[i].in, cases[i].len), cases[i].n);
        assert_int_equal(b.len, strlen(cases[i].out));
        assert_memory_equal(b.data, cases[i].out, b.len);
    }
    as_buf_fini(&b);
}

static void test_rpt_html_escape_control_chars_visible(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    /* NUL, CR, ESC, BEL, DEL: their control pictures; TAB and LF kept */
    assert_int_equal(esc(&b, "a\0b\rc\x1b" "d\x07\x7F\t\n", 11), 0);
    assert_string_equal(b.data, "a\xE2\x90\x80" "b\xE2\x90\x8D" "c\xE2\x90\x9B" "d\xE2\x90\x87\xE2\x90\xA1\t\n");
    assert_null(memchr(b.data, '\0', b.len));
    for (unsigned c = 0; c < 0x20; c++) {
        char in = (char)c;
        assert_int_equal(esc(&b, &in, 1), 0);
        if (c == '\t' || c == '\n') {
            assert_int_equal(b.len, 1);
        } else {
            assert_int_equal(b.len, 3);
            assert_int_equal((unsigned char)b.data[2], 0x80 + c);
        }
    }
    /* C1 controls and bidi overrides become visible code points */
    assert_int_equal(esc(&b, "x\xC2\x85y", 4), 0);
    assert_string_equal(b.data, "x[U+0085]y");
    assert_int_equal(esc(&b, H_BIDI, strlen(H_BIDI)), 0);
    assert_string_equal(b.data, "admin[U+202E]txt.exe");
    assert_int_equal(esc(&b, "\xE2\x81\xA6\xE2\x81\xA9", 6), 0);
    assert_string_equal(b.data, "[U+2066][U+2069]");
    assert_int_equal(esc(&b, "\xC2\xA0\xE2\x80\xA9", 5), 0);   /* NBSP, U+2029: ordinary */
    assert_memory_equal(b.data, "\xC2\xA0\xE2\x80\xA9", 5);
    as_buf_fini(&b);
}

static void test_rpt_html_escape_every_byte(void **state)
{
    (void)state;
    /* every single byte gives output with no markup character in it */
    as_buf b = AS_BUF_INIT;
    for (unsigned c = 0; c < 256; c++) {
        char in = (char)c;
        int64_t n = esc(&b, &in, 1);
        assert_int_equal(n, c >= 0x80 ? 1 : 0);
        for (size_t i = 0; i < b.len; i++)
            assert_true(b.data[i] != '<' && b.data[i] != '>' && b.data[i] != '"' && b.data[i] != '\'' &&
                        b.data[i] != '\0');
        assert_int_equal(as_utf8_check(b.data, b.len), b.len);
    }
    as_buf_fini(&b);
}

static void test_rpt_html_escape_out_of_memory(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    as_alloc_fail_after(1);
    assert_int_equal(rpt_html_escape(&b, AS_SLICE_LIT("<x>")), -1);
    as_alloc_fail_after(0);
    as_buf_fini(&b);
}

/* ---- the report ---- */

static void test_rpt_html_report_hostile_strings_escaped(void **state)
{
    (void)state;
    demo d;
    demo_make(&d, &small_hostile);
    as_buf b = render(&d.r);
    check_markup(&b);
    assert_false(has(&b, "<script"));
    assert_false(has(&b, "<img"));
    assert_false(has(&b, "<svg onload"));
    assert_false(has(&b, "<b>"));
    assert_false(has(&b, "</style><style>"));
    assert_false(has(&b, "=\"javascript:"));
    assert_false(has(&b, " onerror=\""));
    assert_false(has(&b, "x='"));
    assert_true(has(&b, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_true(has(&b, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert_true(has(&b, "admin[U+202E]txt.exe"));
    assert_true(has(&b, "bad\xEF\xBF\xBD\xEF\xBF\xBDutf8\xEF\xBF\xBD"));
    /* every U+FFFD of the output is a replacement, counted in the footer (which has one more) */
    char note[64];
    snprintf(note, sizeof note, "%zu invalid UTF-8 bytes", count(&b, "\xEF\xBF\xBD") - 1);
    assert_true(has(&b, note));
    assert_int_equal(as_utf8_check(b.data, b.len), b.len);
    assert_null(memchr(b.data, '\0', b.len));
    /* the hostile control id gets a positional anchor, the link matches it */
    assert_true(has(&b, "id=\"control:2\""));
    assert_true(has(&b, "href=\"#control:2\""));
    assert_true(has(&b, "data-control=\"x&quot;&lt;script&gt;"));
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_csp_and_no_script(void **state)
{
    (void)state;
    demo d;
    demo_make(&d, &small_hostile);
    as_buf b = render(&d.r);
    static const char csp[] = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                              "style-src 'unsafe-inline'; img-src data:\">";
    const char *at = memmem(b.data, b.len, csp, sizeof csp - 1);
    assert_non_null(at);
    const char *title = memmem(b.data, b.len, "<title>", 7), *style = memmem(b.data, b.len, "<style>", 7);
    assert_true(at < title && at < style);                      /* before anything it governs */
    assert_int_equal(count(&b, "Content-Security-Policy"), 1);
    assert_false(has(&b, "<script"));
    assert_false(has(&b, "<SCRIPT"));
    assert_false(has(&b, "<iframe"));
    assert_false(has(&b, "<object"));
    assert_false(has(&b, "<link"));
    assert_int_equal(count(&b, "http://"), count(&b, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert_false(has(&b, "https://"));
    assert_false(has(&b, "url(http"));
    assert_true(b.len > 10 && strncmp(b.data, "<!DOCTYPE html>\n", 16) == 0);
    assert_true(has(&b, "</html>\n"));
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_deterministic(void **state)
{
    (void)state;
    demo d1, d2;
    demo_make(&d1, &small_hostile);
    demo_make(&d2, &small_hostile);
    as_buf a = render(&d1.r), b = render(&d2.r), c = render(&d1.r);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_int_equal(a.len, c.len);
    assert_memory_equal(a.data, c.data, a.len);
    as_buf_fini(&a);
    as_buf_fini(&b);
    as_buf_fini(&c);
    demo_free(&d1);
    demo_free(&d2);
}

static void test_rpt_html_report_sections_and_counts(void **state)
{
    (void)state;
    demo_opts o = small_hostile;
    o.hostile = 0;
    demo d;
    demo_make(&d, &o);
    as_buf b = render(&d.r);
    check_markup(&b);
    const char *order[] = { "id=\"summary\"", "id=\"completeness\"", "id=\"coverage\"", "id=\"controls\"",
                            "id=\"aws-console-mfa\"", "id=\"backup-daily\"", "id=\"methods\"", "</footer>" };
    const char *prev = b.data;
    for (size_t i = 0; i < AS_ARRAY_LEN(order); i++) {
        const char *at = memmem(b.data, b.len, order[i], strlen(order[i]));
        assert_non_null(at);
        assert_true(at > prev);
        prev = at;
    }
    for (size_t i = 0; i < o.n_controls; i++) {
        char t[128];
        snprintf(t, sizeof t, "<section class=\"control\" id=\"%s\">", ctl_ids[i]);
        assert_true(has(&b, t));
        snprintf(t, sizeof t, "<tr data-control=\"%s\"><td><a href=\"#%s\">", ctl_ids[i], ctl_ids[i]);
        assert_true(has(&b, t));
    }
    /* the verdicts in words, not only in colour */
    assert_true(has(&b, "\xE2\x9C\x93 Effective"));
    assert_true(has(&b, "\xE2\x9C\x97 Exceptions"));
    assert_true(has(&b, "No population"));
    /* control 1: population 1,037, 16 exceptions, 2 untestable */
    assert_true(has(&b, "<td class=\"n\" data-k=\"population\">1,037</td>"
                        "<td class=\"n flag\" data-k=\"exceptions\">16</td>"
                        "<td class=\"n flag\" data-k=\"untestable\">2</td>"));
    /* first exceptions: 5 shown, 13 more named with the CSV */
    assert_true(has(&b, "13 more in <code>backup-daily/exceptions.csv</code>"));
    /* the period, given, as dates */
    assert_true(has(&b, "<strong>2025-10-01 to 2026-03-31</strong> (182 days"));
    assert_true(has(&b, "given with --period"));
    /* the sample */
    assert_true(has(&b, "Supports reliance"));
    assert_true(has(&b, "<tr><th>Upper deviation limit</th><td class=\"n\">6.44%</td></tr>"));
    assert_true(has(&b, "35 more selected items"));
    assert_true(has(&b, "45 of 1,074 items selected; 0 deviations found, 1 allowed; upper deviation limit "
                        "6.44% at 95% confidence, against a tolerable rate of 10%."));
    /* coverage: three rows with gaps, listed in the table */
    assert_true(has(&b, "3 of 6 sources have days without any record"));
    assert_true(has(&b, "<td>2025-11-03 to 2025-11-05</td><td class=\"n\">3</td>"));
    assert_true(has(&b, "fill=\"url(#rpt-gap)\""));
    /* inputs: the unread one, the incomplete one, the unclaimed one */
    assert_true(has(&b, "not read"));
    assert_true(has(&b, "2 not read whole"));
    assert_true(has(&b, "1 claimed by no source"));
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_period_derived(void **state)
{
    (void)state;
    demo d;
    demo_opts o = small_hostile;
    demo_make(&d, &o);
    d.r.period_given = 0;
    d.r.period_start = AS_SLICE_LIT("2025-10-01T08:00:00Z");
    as_buf b = render(&d.r);
    assert_true(has(&b, "derived from the data, not given"));
    assert_true(has(&b, "<strong>2025-10-01T08:00:00Z to 2026-04-01T00:00:00Z</strong> (end excluded)"));
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_caps_honoured(void **state)
{
    (void)state;
    demo_opts o = { .n_controls = 3, .n_first = 7, .n_days = 3660, .n_cov = 500, .n_inputs = 250, .hostile = 0 };
    demo d;
    demo_make(&d, &o);
    as_buf b = render(&d.r);
    check_markup(&b);
    /* inputs: 200 rows and a count of the rest */
    const char *t0 = memmem(b.data, b.len, "<table class=\"inputs\">", 22);
    assert_non_null(t0);
    const char *t1 = memmem(t0, b.len - (size_t)(t0 - b.data), "</table>", 8);
    size_t rows = 0;
    for (const char *p = t0; (p = memmem(p, (size_t)(t1 - p), "<tr>", 4)) != NULL; p += 4)
        rows++;
    assert_int_equal(rows, 1 + 200);                           /* the header row + 200 */
    assert_true(has(&b, "and 50 more inputs, each read whole, nothing rejected, claimed by a source"));
    /* the inputs with a problem are among the rows shown, even past the cap */
    as_buf_fini(&b);
    rpt_input *in = (rpt_input *)d.r.inputs;
    in[240].complete = 0;
    in[241].rejected = 9;
    in[242].sources = AS_SLICE_LIT("");
    b = render(&d.r);
    assert_true(has(&b, "logs/okta/part-0242.log.gz"));
    assert_true(has(&b, "logs/web/part-0240.log.gz"));
    assert_true(has(&b, "logs/auth/part-0241.log.gz"));
    /* 7 with a problem (4 in the recipe, 3 here) leave 193 rows for the clean
     * ones: 0, 1 and 6..196 */
    assert_true(has(&b, "logs/web/part-0196.log.gz"));
    assert_false(has(&b, "logs/auth/part-0197.log.gz"));
    assert_true(has(&b, "and 50 more inputs"));
    /* coverage: 40 drawn rows at most, the rest merged and said so */
    assert_int_equal(count(&b, "fill=\"#8fd19e\"/>"), 40 + 1);  /* + the legend swatch */
    assert_true(has(&b, "Each column is 5 days"));
    assert_true(has(&b, "Of 500 sources, 39 are drawn"));
    assert_true(has(&b, "461 more without a gap are merged into one row"));
    /* first exceptions: n_first rows, no more */
    assert_int_equal(count(&b, "<td class=\"id\">"), 2 * 7 + 10);   /* two controls with exceptions + sample */
    assert_true(b.len < (1u << 20));
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_many_gaps_bounded(void **state)
{
    (void)state;
    /* the worst coverage: every other day missing in every row, ten years */
    demo_opts o = { .n_controls = 1, .n_first = 0, .n_days = 3660, .n_cov = 500, .n_inputs = 1, .hostile = 0 };
    demo d;
    demo_make(&d, &o);
    for (size_t i = 0; i < o.n_cov; i++)
        for (size_t k = 0; k < o.n_days; k += 2)
            ((uint64_t *)d.r.cov[i].per_day)[k] = 0;
    as_buf b = render(&d.r);
    check_markup(&b);
    assert_true(has(&b, "461 more with gaps are merged into one row"));
    assert_true(has(&b, "more gaps (<code>results.json</code>"));
    assert_true(b.len < (1u << 20));
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_one_missing_day_visible(void **state)
{
    (void)state;
    /* ten years, one row, one day missing: still a mark at least 3 units wide */
    demo_opts o = { .n_controls = 0, .n_first = 0, .n_days = 3660, .n_cov = 1, .n_inputs = 0, .hostile = 0 };
    demo d;
    demo_make(&d, &o);
    uint64_t *pd = (uint64_t *)d.r.cov[0].per_day;
    pd[o.n_days - 1] = 1;
    pd[1234] = 0;
    as_buf b = render(&d.r);
    check_markup(&b);
    assert_int_equal(count(&b, "<rect class=\"gap\""), 1);
    assert_true(has(&b, "width=\"3\" height=\"12\" fill=\"url(#rpt-gap)\""));
    assert_true(has(&b, "no records on 1 day in"));
    assert_true(has(&b, "No control was run."));
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_empty_model(void **state)
{
    (void)state;
    rpt_report r = { 0 };
    as_buf b = render(&r);
    check_markup(&b);
    assert_true(has(&b, "assay evidence report"));
    assert_true(has(&b, "No coverage data."));
    assert_true(has(&b, "<strong>none</strong>"));
    as_buf_fini(&b);
}

static void test_rpt_html_report_anchor_collisions(void **state)
{
    (void)state;
    demo_opts o = small_hostile;
    o.hostile = 0;
    demo d;
    demo_make(&d, &o);
    rpt_control *c = (rpt_control *)d.r.controls;
    c[1].id = c[0].id;                               /* a duplicate id */
    c[2].id = AS_SLICE_LIT("summary");               /* one of our section ids */
    c[3].id = AS_SLICE_LIT("has space");
    as_buf b = render(&d.r);
    check_markup(&b);
    assert_int_equal(count(&b, "id=\"aws-console-mfa\""), 1);
    assert_true(has(&b, "id=\"control:2\""));
    assert_true(has(&b, "id=\"control:3\""));
    assert_true(has(&b, "id=\"control:4\""));
    assert_int_equal(count(&b, "id=\"summary\""), 1);
    as_buf_fini(&b);
    demo_free(&d);
}

static void test_rpt_html_report_out_of_memory(void **state)
{
    (void)state;
    demo d;
    demo_make(&d, &small_hostile);
    /* fail the first, second, ... allocation: AS_ERR_NOMEM, never a crash,
     * until there are enough for the whole report */
    as_code rc = AS_ERR_NOMEM;
    uint64_t n = 1;
    for (; rc != AS_OK && n < 1000; n++) {
        as_buf b = AS_BUF_INIT;
        as_alloc_fail_after(n);
        rc = rpt_html_report(&b, &d.r);
        as_alloc_fail_after(0);
        assert_true(rc == AS_OK || rc == AS_ERR_NOMEM);
        as_buf_fini(&b);
    }
    assert_int_equal(rc, AS_OK);
    assert_true(n > 3);
    demo_free(&d);
}

/* ---- the helper modes ---- */

static int write_file(const char *path, const as_buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(b->data, 1, b->len, f);
    return fclose(f) == 0 && n == b->len ? 0 : -1;
}

/* What the browser test checks the DOM against: the model's controls, in
 * order, with their counts, and the hostile string it must find as text. */
static int write_expect(const char *path, const rpt_report *r)
{
    as_buf b = AS_BUF_INIT;
    rpt_json j;
    rpt_json_init(&j, &b, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "hostile");
    rpt_json_cstr(&j, H_SCRIPT);
    rpt_json_key(&j, "inputs");
    rpt_json_u64(&j, r->n_inputs);
    rpt_json_key(&j, "controls");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < r->n_controls; i++) {
        const rpt_control *c = &r->controls[i];
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "id");
        rpt_json_str(&j, c->id);
        rpt_json_key(&j, "title");
        rpt_json_str(&j, c->title);
        rpt_json_key(&j, "population");
        rpt_json_u64(&j, c->population);
        rpt_json_key(&j, "exceptions");
        rpt_json_u64(&j, c->exceptions);
        rpt_json_key(&j, "untestable");
        rpt_json_u64(&j, c->untestable);
        rpt_json_key(&j, "verdict");
        rpt_json_str(&j, c->verdict);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_obj_end(&j);
    int rc = rpt_json_finish(&j) == 0 ? write_file(path, &b) : -1;
    as_buf_fini(&b);
    return rc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int bench(void)
{
    static const demo_opts sizes[] = {
        { 20, 50, 182, 30, 60, 1 },
        { 100, 200, 366, 200, 1000, 1 },
        { 20, 50, 3660, 500, 250, 1 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(sizes); i++) {
        demo d;
        demo_make(&d, &sizes[i]);
        as_buf b = AS_BUF_INIT;
        double t0 = now_ms();
        int reps = 10;
        for (int k = 0; k < reps; k++) {
            as_buf_clear(&b);
            if (rpt_html_report(&b, &d.r) != AS_OK)
                return 1;
        }
        double ms = (now_ms() - t0) / reps;
        printf("%zu controls x %zu exceptions x %zu days x %zu coverage rows, %zu inputs: %zu bytes, %.2f ms\n",
               sizes[i].n_controls, sizes[i].n_first, sizes[i].n_days, sizes[i].n_cov, sizes[i].n_inputs,
               b.len, ms);
        as_buf_fini(&b);
        demo_free(&d);
    }
    return 0;
}

static int helper(int argc, char **argv)
{
    const char *out = NULL, *expect = NULL;
    demo_opts o = { .n_controls = 8, .n_first = 12, .n_days = 182, .n_cov = 12, .n_inputs = 14, .hostile = 1 };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--write") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = argv[++i];
        else if (strcmp(argv[i], "--big") == 0)
            o = (demo_opts){ 20, 50, 182, 30, 60, 1 };
        else if (strcmp(argv[i], "--huge") == 0)
            o = (demo_opts){ 20, 50, 3660, 500, 250, 1 };
        else if (strcmp(argv[i], "--bench") == 0)
            return bench();
        else {
            fprintf(stderr, "usage: %s [--write OUT.html [--expect OUT.json] [--big | --huge] | --bench]\n", argv[0]);
            return 2;
        }
    }
    if (!out)
        return 2;
    demo d;
    demo_make(&d, &o);
    as_buf b = AS_BUF_INIT;
    int rc = rpt_html_report(&b, &d.r) == AS_OK && write_file(out, &b) == 0 &&
             (!expect || write_expect(expect, &d.r) == 0) ? 0 : 1;
    as_buf_fini(&b);
    demo_free(&d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return helper(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpt_html_escape_special_chars),
        cmocka_unit_test(test_rpt_html_escape_appends),
        cmocka_unit_test(test_rpt_html_escape_invalid_utf8_counted),
        cmocka_unit_test(test_rpt_html_escape_control_chars_visible),
        cmocka_unit_test(test_rpt_html_escape_every_byte),
        cmocka_unit_test(test_rpt_html_escape_out_of_memory),
        cmocka_unit_test(test_rpt_html_report_hostile_strings_escaped),
        cmocka_unit_test(test_rpt_html_report_csp_and_no_script),
        cmocka_unit_test(test_rpt_html_report_deterministic),
        cmocka_unit_test(test_rpt_html_report_sections_and_counts),
        cmocka_unit_test(test_rpt_html_report_period_derived),
        cmocka_unit_test(test_rpt_html_report_caps_honoured),
        cmocka_unit_test(test_rpt_html_report_many_gaps_bounded),
        cmocka_unit_test(test_rpt_html_report_one_missing_day_visible),
        cmocka_unit_test(test_rpt_html_report_empty_model),
        cmocka_unit_test(test_rpt_html_report_anchor_collisions),
        cmocka_unit_test(test_rpt_html_report_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
