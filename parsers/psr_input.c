/* psr_input.c: the format registry, sniffing, and binding an input to its
 * format (see psr.h). Per-format record work is in psr_fmt_*.c.
 *
 * Sniffing scores every format on the input's head and takes the best:
 * JSON shapes by psr_json_sniff; line formats by the share of the first
 * PSR_SNIFF_LINES complete lines their scanner accepts; CSV by psr_csv_sniff
 * (consistent field counts). Ties go to the earlier format in the registry.
 */
#include "parsers/psr_int.h"

#include <string.h>  /* memcpy, strcmp, strlen */

#include "parsers/psr_csv.h"

/* ---- the registry ---- */

static const psr_field_def okta_fields[] = {
    { "published", AS_V_TIME, "Okta System Log event time (one of the time paths tried)" },
    { "eventType", AS_V_STR, "e.g. user.session.start" },
    { "actor.alternateId", AS_V_STR, "any dotted path with [N] indexes is a field" },
    { "target[0].type", AS_V_STR, "array elements by index" },
    { "outcome.result", AS_V_STR, "SUCCESS, FAILURE, ..." },
};

static const psr_field_def cloudtrail_fields[] = {
    { "eventTime", AS_V_TIME, "CloudTrail event time" },
    { "eventName", AS_V_STR, "e.g. ConsoleLogin" },
    { "eventSource", AS_V_STR, "e.g. signin.amazonaws.com" },
    { "userIdentity.type", AS_V_STR, "Root, IAMUser, AssumedRole, ..." },
    { "userIdentity.arn", AS_V_STR, "any dotted path is a field" },
    { "sourceIPAddress", AS_V_STR, "caller address" },
    { "additionalEventData.MFAUsed", AS_V_STR, "Yes / No on console logins" },
    { "responseElements.ConsoleLogin", AS_V_STR, "Success / Failure" },
};

static const psr_format formats[] = {
    { "combined", PSR_KIND_CLF, PSR_FRAME_LINES,
      "Apache/nginx access log: combined, common, vhost_combined, proxy lists, ssl_request_log",
      psr_clf_fields, PSR_CLF_N_FIELDS, "time", 0, 0 },
    { "syslog", PSR_KIND_SYSLOG, PSR_FRAME_LINES,
      "syslog: RFC 3164 (year inferred), RFC 5424, ISO-stamped; sshd/sudo/useradd/su events",
      psr_syslog_fields, PSR_SYSLOG_N_FIELDS, "time", 0, 0 },
    { "jsonl", PSR_KIND_JSONL, PSR_FRAME_LINES,
      "JSON Lines: one object per line (Okta System Log, GitHub audit log, app logs)",
      okta_fields, AS_ARRAY_LEN(okta_fields), "published", 1, 0 },
    { "cloudtrail", PSR_KIND_JSONDOC, PSR_FRAME_DOCUMENT,
      "one JSON document {\"Records\":[...]} (CloudTrail delivery file), pretty-printed or not",
      cloudtrail_fields, AS_ARRAY_LEN(cloudtrail_fields), "eventTime", 1, 0 },
    { "json", PSR_KIND_JSONDOC, PSR_FRAME_DOCUMENT,
      "one JSON document: a top-level array of objects (or one object)",
      okta_fields + 1, AS_ARRAY_LEN(okta_fields) - 1, "", 1, 0 },
    { "csv", PSR_KIND_CSV, PSR_FRAME_QUOTED,
      "RFC 4180 CSV with a header row (quoted fields with commas and newlines, BOM, ; or tab)",
      NULL, 0, "", 0, 1 },
    { "logfmt", PSR_KIND_LOGFMT, PSR_FRAME_LINES,
      "key=value lines, optionally after a leading timestamp (backup and deploy jobs, app logs)",
      NULL, 0, "", 0, 1 },
    { "regex", PSR_KIND_REGEX, PSR_FRAME_LINES,
      "custom lines described by --pattern, a PCRE2 pattern with named groups",
      NULL, 0, "time", 0, 1 },
};

size_t psr_format_count(void) { return AS_ARRAY_LEN(formats); }

const psr_format *psr_format_at(size_t i)
{
    return i < AS_ARRAY_LEN(formats) ? &formats[i] : NULL;
}

const psr_format *psr_format_find(const char *name)
{
    if (name == NULL)
        return NULL;
    if (strcmp(name, "common") == 0 || strcmp(name, "clf") == 0 || strcmp(name, "access") == 0)
        name = "combined";
    for (size_t i = 0; i < AS_ARRAY_LEN(formats); i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

static const psr_ops *ops_of(psr_kind k)
{
    switch (k) {
    case PSR_KIND_CLF:     return &psr_ops_clf;
    case PSR_KIND_SYSLOG:  return &psr_ops_syslog;
    case PSR_KIND_JSONL:
    case PSR_KIND_JSONDOC: return &psr_ops_json;
    case PSR_KIND_CSV:     return &psr_ops_csv;
    case PSR_KIND_LOGFMT:  return &psr_ops_logfmt;
    case PSR_KIND_REGEX:   return &psr_ops_regex;
    default:               return NULL;
    }
}

const as_rec_fmt psr_recfmt[PSR_KIND__COUNT] = {
    [PSR_KIND_CLF]     = { "combined", psr_clf_get, NULL },
    [PSR_KIND_SYSLOG]  = { "syslog", psr_syslog_get, NULL },
    [PSR_KIND_JSONL]   = { "jsonl", psr_jsonrec_get, NULL },
    [PSR_KIND_JSONDOC] = { "json", psr_jsonrec_get, NULL },
    [PSR_KIND_CSV]     = { "csv", psr_csvrec_get, NULL },
    [PSR_KIND_LOGFMT]  = { "logfmt", psr_logfmtrec_get, NULL },
    [PSR_KIND_REGEX]   = { "regex", psr_regexrec_get, NULL },
};

/* ---- the context ---- */

static char *dup_cstr(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s);
    char *d = as_malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

psr_ctx *psr_ctx_new(const psr_opts *opts, const char *forced, as_err *err)
{
    psr_ctx *c = as_calloc(1, sizeof *c);
    if (c == NULL) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
        return NULL;
    }
    if (opts)
        c->opts = *opts;
    c->pattern = dup_cstr(c->opts.pattern);
    c->time_field = dup_cstr(c->opts.time_field);
    if ((c->opts.pattern && c->pattern == NULL) || (c->opts.time_field && c->time_field == NULL)) {
        psr_ctx_free(c);
        as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
        return NULL;
    }
    c->opts.pattern = c->pattern;
    c->opts.time_field = c->time_field;
    if (forced && strcmp(forced, "auto") != 0) {
        c->forced = psr_format_find(forced);
        if (c->forced == NULL) {
            as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                       "unknown format '%s' (assay formats lists them)", forced);
            psr_ctx_free(c);
            return NULL;
        }
        if (c->forced->kind == PSR_KIND_REGEX && c->pattern == NULL) {
            as_err_set(err, AS_ERR_USAGE, (as_loc){0}, "--format regex needs --pattern");
            psr_ctx_free(c);
            return NULL;
        }
    }
    if (c->pattern) {
        c->re = psr_regex_new(as_slice_cstr(c->pattern), 0, err);
        if (c->re == NULL) {
            psr_ctx_free(c);
            return NULL;
        }
        if (c->forced == NULL)
            c->forced = psr_format_find("regex");  /* a pattern says what the format is */
    }
    return c;
}

void psr_ctx_free(psr_ctx *c)
{
    if (c == NULL)
        return;
    psr_regex_free(c->re);
    as_free(c->pattern);
    as_free(c->time_field);
    as_free(c);
}

psr_worker *psr_worker_new(const psr_ctx *c)
{
    psr_worker *w = as_calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->scratch = as_malloc(sizeof *w->scratch);
    if (w->scratch == NULL) {
        as_free(w);
        return NULL;
    }
    if (c->re) {
        w->md = psr_regex_md_new(c->re);
        if (w->md == NULL) {
            as_free(w);
            return NULL;
        }
    }
    return w;
}

void psr_worker_free(psr_worker *w)
{
    if (w == NULL)
        return;
    psr_regex_md_free(w->md);
    as_free(w->scratch);
    as_free(w);
}

/* ---- sniffing ---- */

/* Share (0..100) of the first complete non-empty lines of head that the
 * kind's scanner accepts; 0 when head holds no complete line. */
static int sniff_lines(as_slice head, psr_kind kind)
{
    const char *p = head.ptr, *end = head.ptr + head.len;
    if (head.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    unsigned n = 0, ok = 0;
    while (p < end && n < PSR_SNIFF_LINES) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;                                 /* a cut line says nothing */
        as_slice line = { p, (size_t)(nl - p) };
        p = nl + 1;
        if (line.len && line.ptr[line.len - 1] == '\r')
            line.len--;
        if (line.len == 0)
            continue;
        n++;
        uint64_t col;
        if (kind == PSR_KIND_CLF) {
            psr_clf c;
            ok += psr_clf_scan(line, &c, &col) == AS_OK;
        } else if (kind == PSR_KIND_LOGFMT) {
            psr_logfmt kv;
            ok += psr_logfmt_scan(line, &kv, &col) == AS_OK && kv.n >= 2;
        } else {
            /* a "host" with '=' is a key=value pair after a timestamp: logfmt, not syslog */
            psr_syslog s;
            ok += psr_syslog_scan(line, NULL, &s, &col) == AS_OK && !(s.host.len && memchr(s.host.ptr, '=', s.host.len));
        }
    }
    if (n == 0) {
        /* one line cut by the end of head (or a one-line input without newline) */
        as_slice line = { p, (size_t)(end - p) };
        if (line.len == 0)
            return 0;
        uint64_t col;
        if (kind == PSR_KIND_CLF) {
            psr_clf c;
            return psr_clf_scan(line, &c, &col) == AS_OK ? 60 : 0;
        }
        if (kind == PSR_KIND_LOGFMT) {
            psr_logfmt kv;
            return psr_logfmt_scan(line, &kv, &col) == AS_OK && kv.n >= 2 ? 55 : 0;
        }
        psr_syslog s;
        return psr_syslog_scan(line, NULL, &s, &col) == AS_OK && !(s.host.len && memchr(s.host.ptr, '=', s.host.len))
                   ? 60 : 0;
    }
    return (int)(100 * ok / n);
}

/* 1 when the JSON shape psr_json_sniff saw holds up. A CloudTrail wrapper
 * or an object is unmistakable (an invalid one is still that format and gets
 * its records rejected, never taken for text). An array must open with a
 * value: an Apache error log line "[Sun Dec 04 ...] [notice]" starts like an
 * array and is not one. JSON Lines: the first or the second complete line
 * must be valid JSON. */
static int json_holds(as_slice head, psr_json_kind k)
{
    const char *p = head.ptr, *end = head.ptr + head.len;
    if (head.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (k == PSR_JSON_KIND_ARRAY) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        p++;                                       /* the '[' */
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (p == end)
            return 1;
        if (strchr("{[\"-0123456789]", *p) != NULL)
            return 1;
        size_t left = (size_t)(end - p);
        return (left >= 4 && (memcmp(p, "true", 4) == 0 || memcmp(p, "null", 4) == 0)) ||
               (left >= 5 && memcmp(p, "false", 5) == 0);
    }
    if (k != PSR_JSON_KIND_JSONL)
        return 1;
    for (int i = 0; i < 2 && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return 1;                              /* cut by the end of head: say nothing */
        psr_json_err e;
        if (psr_json_validate((as_slice){ p, (size_t)(nl - p) }, &e) == PSR_JSON_OK)
            return 1;
        p = nl + 1;
    }
    return 0;
}

static const psr_format *sniff(as_slice head, int *conf, char *delim)
{
    const psr_format *best = NULL;
    int best_score = 0;
    psr_json_kind jk = psr_json_sniff(head);
    if (jk != PSR_JSON_KIND_NOT_JSON && !json_holds(head, jk))
        jk = PSR_JSON_KIND_NOT_JSON;
    switch (jk) {
    case PSR_JSON_KIND_JSONL:      best = psr_format_find("jsonl"); best_score = 90; break;
    case PSR_JSON_KIND_CLOUDTRAIL: best = psr_format_find("cloudtrail"); best_score = 95; break;
    case PSR_JSON_KIND_ARRAY:      best = psr_format_find("json"); best_score = 90; break;
    case PSR_JSON_KIND_DOCUMENT:   best = psr_format_find("json"); best_score = 80; break;
    default: break;
    }
    int s = sniff_lines(head, PSR_KIND_CLF);
    if (s > best_score) {
        best_score = s;
        best = psr_format_find("combined");
    }
    s = sniff_lines(head, PSR_KIND_SYSLOG);
    if (s > best_score) {
        best_score = s;
        best = psr_format_find("syslog");
    }
    s = sniff_lines(head, PSR_KIND_LOGFMT);
    if (s > best_score) {
        best_score = s;
        best = psr_format_find("logfmt");
    }
    char d = ',';
    s = psr_csv_sniff(head, &d);
    if (s > best_score) {
        best_score = s;
        best = psr_format_find("csv");
        *delim = d;
    }
    *conf = best_score;
    return best_score >= PSR_SNIFF_MIN ? best : NULL;
}

/* ---- inputs ---- */

psr_input *psr_input_new(const psr_ctx *c, as_slice head, int64_t ref_year)
{
    psr_input *in = as_calloc(1, sizeof *in);
    if (in == NULL)
        return NULL;
    in->ctx = c;
    in->ref_year = ref_year;
    in->time_index = -1;
    as_err_clear(&in->error);
    as_arena_init(&in->arena, 0);
    char delim = c->opts.csv_delim;
    if (c->forced) {
        in->fmt = c->forced;
        in->confidence = 100;
        if (in->fmt->kind == PSR_KIND_CSV && delim == 0) {
            char d = ',';
            (void)psr_csv_sniff(head, &d);
            delim = d;
        }
    } else {
        char d = ',';
        in->fmt = sniff(head, &in->confidence, &d);
        if (delim == 0)
            delim = d;
    }
    in->delim = ',';
    if (delim)
        in->delim = delim;
    if (in->fmt == NULL)
        return in;
    const char *tf = c->opts.time_field ? c->opts.time_field : in->fmt->time_field;
    size_t tl = strlen(tf);
    if (tl >= sizeof in->time_name)
        tl = sizeof in->time_name - 1;
    memcpy(in->time_name, tf, tl);
    in->time_name[tl] = '\0';
    switch (in->fmt->kind) {
    case PSR_KIND_CSV:     psr_csv_bind(in, head); break;
    case PSR_KIND_JSONL:
    case PSR_KIND_JSONDOC: psr_json_bind(in, head); break;
    case PSR_KIND_REGEX:   psr_regex_bind(in); break;
    case PSR_KIND_LOGFMT:  if (c->opts.time_field == NULL) in->time_name[0] = '\0'; break;
    default: break;
    }
    return in;
}

void psr_input_free(psr_input *in)
{
    if (in == NULL)
        return;
    as_arena_fini(&in->arena);
    as_free(in);
}

const psr_format *psr_input_format(const psr_input *in) { return in->fmt; }
const char *psr_input_format_name(const psr_input *in) { return in->fmt ? in->fmt->name : "unknown"; }
int psr_input_confidence(const psr_input *in) { return in->confidence; }
psr_framing psr_input_framing(const psr_input *in) { return in->fmt ? in->fmt->framing : PSR_FRAME_LINES; }
const char *psr_input_time_field(const psr_input *in) { return in->time_name; }
const as_err *psr_input_error(const psr_input *in) { return in->error.code == AS_OK ? NULL : &in->error; }

const char *psr_input_year_source(const psr_input *in)
{
    const psr_opts *o = &in->ctx->opts;
    if (o->year)
        return "year";
    if (as_time_is_valid(o->period_start) && as_time_is_valid(o->period_end))
        return "period";
    return in->ref_year ? "mtime" : "none";
}

void psr_input_year_init(const psr_input *in, psr_syslog_year *ys)
{
    const psr_opts *o = &in->ctx->opts;
    if (o->year) {
        psr_syslog_year_init_fixed(ys, o->year, o->tz_offset_min);
    } else if (as_time_is_valid(o->period_start) && as_time_is_valid(o->period_end)) {
        psr_syslog_year_init_period(ys, o->period_start, o->period_end, 86400LL * 31, o->tz_offset_min);
    } else if (in->ref_year) {
        /* the file was last written in ref_year: its first stamp is in the
         * twelve months before the end of that year */
        as_time end = { 0 }, start = { 0 };
        end.sec = as_days_from_civil(in->ref_year, 12, 31) * 86400 + 86399;
        end.flags = AS_TIME_VALID;
        start.sec = end.sec - 366LL * 86400;
        start.flags = AS_TIME_VALID;
        psr_syslog_year_init_period(ys, start, end, 0, o->tz_offset_min);
    } else {
        psr_syslog_year_init_fixed(ys, 0, o->tz_offset_min);
    }
}

/* ---- records ---- */

static as_code parse_with(const psr_input *in, psr_worker *w, as_rec *rec, as_arena *ar, psr_res *res,
                          int transient)
{
    memset(res, 0, sizeof *res);
    rec->fmt = NULL;
    rec->state = NULL;
    if (in->fmt == NULL)
        return AS_OK;                              /* unknown: kept raw */
    if (AS_UNLIKELY(in->error.code != AS_OK)) {
        res->why = in->error.msg;
        return in->error.code;
    }
    psr_state *st = transient ? w->scratch : as_arena_alloc(ar, sizeof *st, _Alignof(psr_state));
    if (st == NULL)
        return AS_ERR_NOMEM;
    st->in = in;
    as_code rc = ops_of(in->fmt->kind)->parse(in, w, rec, st, ar, res);
    if (rc == AS_OK) {
        rec->fmt = &psr_recfmt[in->fmt->kind];
        rec->state = st;
    }
    return rc;
}

as_code psr_parse(const psr_input *in, psr_worker *w, as_rec *rec, as_arena *ar, psr_res *res)
{
    return parse_with(in, w, rec, ar, res, 0);
}

as_code psr_parse_transient(const psr_input *in, psr_worker *w, as_rec *rec, as_arena *ar, psr_res *res)
{
    return parse_with(in, w, rec, ar, res, 1);
}

as_code psr_res_resolve_year(psr_syslog_year *ys, psr_res *res)
{
    if (!res->needs_year)
        return AS_OK;
    int64_t year;
    unsigned yflags;
    as_code rc = psr_syslog_year_resolve(ys, res->month, res->day, res->sod, &year, &yflags);
    if (rc != AS_OK)
        return rc;
    rc = psr_syslog_time_from_year(res->month, res->day, res->sod, year, ys->offset_min, &res->time);
    if (rc == AS_OK)
        res->needs_year = 0;
    return rc;
}

as_code psr_fields_each(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar)
{
    const psr_state *st = rec->state;
    if (st == NULL || st->in->fmt == NULL)
        return AS_OK;
    const psr_ops *ops = ops_of(st->in->fmt->kind);
    return ops->each ? ops->each(rec, fn, arg, ar) : AS_OK;
}

as_slice psr_rec_json(const as_rec *rec)
{
    const psr_state *st = rec->state;
    if (st == NULL || st->in->fmt == NULL)
        return (as_slice){ NULL, 0 };
    psr_kind k = st->in->fmt->kind;
    if (k != PSR_KIND_JSONL && k != PSR_KIND_JSONDOC)
        return (as_slice){ NULL, 0 };
    return rec->raw;
}

/* ---- times from text ---- */

as_code psr_time_from_text(as_slice text, int tz_offset_min, as_time *out)
{
    text = as_slice_trim(text);
    if (text.len == 0)
        return AS_ERR_BAD_TIME;
    if (as_time_parse_any(text, tz_offset_min, out, NULL) == text.len)
        return AS_OK;
    return AS_ERR_BAD_TIME;
}

as_code psr_time_from_val(const as_val *v, int tz_offset_min, as_time *out)
{
    switch (v->type) {
    case AS_V_TIME:
        *out = v->u.t;
        return AS_OK;
    case AS_V_STR:
        return psr_time_from_text(v->u.str, tz_offset_min, out);
    case AS_V_NUM: {
        /* 1621305118553.0 (epoch ms written as a float), 1621305118.553 (epoch s) */
        double d = v->u.num;
        if (!(d >= 0 && d < 1e19))
            return AS_ERR_BAD_TIME;
        if (d == (double)(int64_t)d) {
            as_val iv = { .type = AS_V_INT, .u.i = (int64_t)d };
            return psr_time_from_val(&iv, tz_offset_min, out);
        }
        if (d < (double)AS_EPOCH_MIN || d >= (double)AS_EPOCH_MAX)
            return AS_ERR_BAD_TIME;
        int64_t s = (int64_t)d;
        int32_t ns = (int32_t)((d - (double)s) * 1e9 + 0.5);
        if (ns >= 1000000000) {
            s++;
            ns -= 1000000000;
        }
        *out = (as_time){ .sec = s, .nsec = ns, .flags = AS_TIME_VALID };
        return AS_OK;
    }
    case AS_V_INT: {
        char buf[24];                                  /* the digits, written from the end */
        int64_t x = v->u.i;
        size_t k = sizeof buf;
        if (x < 0)
            return AS_ERR_BAD_TIME;
        do {
            buf[--k] = (char)('0' + x % 10);
            x /= 10;
        } while (x && k > 0);
        return psr_time_from_text((as_slice){ buf + k, sizeof buf - k }, tz_offset_min, out);
    }
    default:
        return AS_ERR_BAD_TIME;
    }
}
