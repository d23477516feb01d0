/* psr_syslog.c: syslog line tokenizer and RFC 3164 year inference.
 *
 * The scan is one forward pass with a cursor pair (p, end) and no
 * backtracking except the search for the tag's `: `:
 *   1. optional `<PRI>`; `<PRI>` followed by `VERSION SP` selects RFC 5424;
 *   2. the stamp: a month abbreviation selects RFC 3164, a digit RFC 3339;
 *   3. traditional rest (BSD and ISO): host = the next space-delimited token;
 *      tag = from there to the first `: ` (or a `:` ending the line), as real
 *      tags hold spaces and parentheses (docs/domain.md 3.2); a trailing
 *      `[digits]` of the tag is the pid; the message is the rest, verbatim;
 *   4. RFC 5424: five space-delimited header fields of PRINTUSASCII with the
 *      RFC's length limits, STRUCTURED-DATA checked element by element, then
 *      an optional MSG whose UTF-8 BOM is skipped.
 * RFC 3339 values go through as_time_parse_iso (core), so the syslog module
 * holds no second timestamp parser; only the shape checks that give exact
 * error columns live here. The common path (BSD lines) touches each byte of
 * the header once and finds the host and the tag with memchr.
 *
 * Year inference is a pure transition on a small value (psr_syslog_year);
 * see psr_syslog.h for the rules and why they are what they are.
 */
#include "parsers/psr_syslog.h"

#include <string.h>  /* memchr, memrchr (_GNU_SOURCE), memcmp */

/* ---- byte classes (sqlite aiClass): RFC 5424 PRINTUSASCII and SD-NAME ---- */
#define CL_PRINT  0x01u  /* %d33-126 */
#define CL_SDNAME 0x02u  /* PRINTUSASCII except '=', SP, ']', '"' */

static const uint8_t k_class[256] = {
    ['!'] = CL_PRINT | CL_SDNAME,
    ['"'] = CL_PRINT,
    ['#' ... '<'] = CL_PRINT | CL_SDNAME,
    ['='] = CL_PRINT,
    ['>' ... '\\'] = CL_PRINT | CL_SDNAME,
    [']'] = CL_PRINT,
    ['^' ... '~'] = CL_PRINT | CL_SDNAME,
};

/* Days per month with February at its leap-year maximum: the scan does not
 * know the year of an RFC 3164 stamp; psr_syslog_year_resolve checks 29 Feb. */
static const uint8_t k_mdays_max[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static inline int is_digit(char c)
{
    return (unsigned)(c - '0') <= 9;
}

/* Records the 1-based column of `at` and returns code: the one exit of every
 * failure, kept out of line so the straight path stays short. */
static AS_NOINLINE as_code fail_at(uint64_t *err_col, const char *line, const char *at, as_code code)
{
    *err_col = (uint64_t)(at - line) + 1;
    return code;
}

/* Two digits at p (p + 2 <= end checked by the caller); -1 when not digits. */
static inline int two_digits(const char *p)
{
    if (!is_digit(p[0]) || !is_digit(p[1]))
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* `dddd-` : the start of an RFC 3339 date. */
static inline int looks_like_date(const char *p, const char *end)
{
    return end - p >= 5 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
           p[4] == '-';
}

/* Numeric pid of `digits` (1..18 of them, so it fits int64), else -1. */
static int64_t parse_pid(const char *p, const char *end)
{
    if (p == end || end - p > 18)
        return -1;
    int64_t v = 0;
    for (; p < end; p++) {
        if (!is_digit(*p))
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* ---- step 2a: `Mmm dd hh:mm:ss` ---- */

/* Parses an RFC 3164 stamp at *pp; on success advances *pp past it. */
static as_code scan_bsd_stamp(const char *line, const char **pp, const char *end, psr_syslog *out,
                              uint64_t *err_col)
{
    const char *p = *pp;
    if (end - p < 3)
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    unsigned mon = as_month_from_abbr(as_slice_make(p, 3));
    if (mon == 0)
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    p += 3;
    if (p == end || *p != ' ')
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    p++;
    const char *day_at;
    unsigned day;
    if (p < end && *p == ' ') {                 /* `Jun  1`: space-padded (the standard form) */
        p++;
        day_at = p;
        if (p == end || !is_digit(*p))
            return fail_at(err_col, line, p, AS_ERR_SYNTAX);
        day = (unsigned)(*p++ - '0');
    } else {
        day_at = p;
        if (p == end || !is_digit(*p))
            return fail_at(err_col, line, p, AS_ERR_SYNTAX);
        day = (unsigned)(*p++ - '0');
        if (p < end && is_digit(*p))            /* `Jun 14`, `Jun 01` */
            day = day * 10 + (unsigned)(*p++ - '0');
        else
            out->flags |= PSR_SYSLOG_F_DAY_UNPADDED;  /* `Apr 4` (darwin-syslog-sample.log:21) */
    }
    if (p == end || *p != ' ')
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    p++;
    /* hh:mm:ss, column by column so a syntax error points at its byte */
    int f[3];
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 2; k++)
            if (p + k == end || !is_digit(p[k]))
                return fail_at(err_col, line, p + k, AS_ERR_SYNTAX);
        f[i] = two_digits(p);
        p += 2;
        if (i < 2) {
            if (p == end || *p != ':')
                return fail_at(err_col, line, p, AS_ERR_SYNTAX);
            p++;
        }
    }
    if (day < 1 || day > k_mdays_max[mon])
        return fail_at(err_col, line, day_at, AS_ERR_BAD_TIME);
    const char *time_at = p - 8;
    if (f[0] > 23)
        return fail_at(err_col, line, time_at, AS_ERR_BAD_TIME);
    if (f[1] > 59)
        return fail_at(err_col, line, time_at + 3, AS_ERR_BAD_TIME);
    if (f[2] > 60)                              /* 60: a leap second, as some logs write it */
        return fail_at(err_col, line, time_at + 6, AS_ERR_BAD_TIME);
    out->variant = PSR_SYSLOG_BSD;
    out->flags |= PSR_SYSLOG_F_NO_YEAR;
    out->month = (uint8_t)mon;
    out->day = (uint8_t)day;
    out->sod = (uint32_t)(f[0] * 3600 + f[1] * 60 + f[2]);
    *pp = p;
    return AS_OK;
}

/* ---- step 2b and 4: RFC 3339 through the core parser ---- */

/* Parses an RFC 3339 stamp that must end at `stop` (5424: the field's end)
 * or, when stop is NULL, at a space or the end of the line. */
static as_code scan_iso_stamp(const char *line, const char **pp, const char *end, const char *stop,
                              int default_off, as_time *t, uint64_t *err_col)
{
    const char *p = *pp;
    const char *lim = stop ? stop : end;
    size_t n = as_time_parse_iso(as_slice_from(p, lim), default_off, t);
    if (n == 0)
        return fail_at(err_col, line, p, looks_like_date(p, lim) ? AS_ERR_BAD_TIME : AS_ERR_SYNTAX);
    if (t->flags & AS_TIME_DATE_ONLY)           /* `2018-08-14 host`: a date without a time */
        return fail_at(err_col, line, p + 10, AS_ERR_SYNTAX);
    const char *q = p + n;
    if (stop ? q != stop : (q < end && *q != ' '))
        return fail_at(err_col, line, q, AS_ERR_SYNTAX);
    *pp = q;
    return AS_OK;
}

/* ---- step 3: HOST TAG: MSG ---- */

/* Splits `tag[pid]` into app and pid. */
static void split_tag(psr_syslog *out, const char *t, const char *tend)
{
    out->tag = as_slice_from(t, tend);
    out->app = out->tag;
    if (tend - t >= 3 && tend[-1] == ']') {
        const char *lb = memrchr(t, '[', (size_t)(tend - t - 1));
        if (lb != NULL) {
            int64_t pid = parse_pid(lb + 1, tend - 1);
            if (pid >= 0) {
                out->pid = pid;
                out->procid = as_slice_from(lb + 1, tend - 1);
                out->app = as_slice_from(t, lb);
            }
        }
    }
    if (memchr(t, ' ', (size_t)(tend - t)) != NULL)
        out->flags |= PSR_SYSLOG_F_TAG_SPACE;
}

/* p is just past the stamp. */
static as_code scan_traditional_rest(const char *line, const char *p, const char *end, psr_syslog *out,
                                     uint64_t *err_col)
{
    if (p == end || *p != ' ')
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    p++;
    if (p < end && *p == ' ') {
        out->flags |= PSR_SYSLOG_F_EXTRA_SPACE;
        while (p < end && *p == ' ')
            p++;
    }
    if (p == end)                               /* a stamp and nothing else */
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);

    const char *h = p;
    const char *sp = memchr(h, ' ', (size_t)(end - h));
    const char *hend = sp ? sp : end;
    const char *t;                              /* where the tag starts */
    if (hend - h == 3 && h[0] == '-' && h[1] == '-' && h[2] == '-') {
        /* `--- last message repeated 1 time ---`: a daemon's own line, no host, no tag */
        out->flags |= PSR_SYSLOG_F_NO_HOST | PSR_SYSLOG_F_NO_TAG;
        out->msg = as_slice_from(h, end);
        return AS_OK;
    }
    if (hend[-1] == ':') {
        /* `Oct 11 22:14:15 sshd[42]: ...`: the first token is already the tag */
        out->flags |= PSR_SYSLOG_F_NO_HOST;
        t = h;
    } else {
        out->host = as_slice_from(h, hend);
        if (hend == end) {
            out->flags |= PSR_SYSLOG_F_NO_TAG;
            out->msg = as_slice_from(end, end);
            return AS_OK;
        }
        t = hend + 1;
        if (t < end && *t == ' ') {             /* `combo  -- root[2421]:` (Linux_2k.log:899) */
            out->flags |= PSR_SYSLOG_F_EXTRA_SPACE;
            while (t < end && *t == ' ')
                t++;
        }
    }
    /* the tag ends at the first ": " or at a ':' that ends the line */
    for (const char *s = t;;) {
        const char *c = memchr(s, ':', (size_t)(end - s));
        if (c == NULL) {
            out->flags |= PSR_SYSLOG_F_NO_TAG;
            out->msg = as_slice_from(t, end);
            return AS_OK;
        }
        if (c + 1 == end) {
            split_tag(out, t, c);
            out->msg = as_slice_from(end, end);
            return AS_OK;
        }
        if (c[1] == ' ') {
            split_tag(out, t, c);
            out->msg = as_slice_from(c + 2, end);
            return AS_OK;
        }
        s = c + 1;
    }
}

/* ---- step 4: RFC 5424 ---- */

/* One header field of PRINTUSASCII, at most max bytes, followed by a space.
 * Sets *f (empty for the nil value `-`) and advances *pp past the space. */
static as_code scan_5424_field(const char *line, const char **pp, const char *end, size_t max, as_slice *f,
                               uint64_t *err_col)
{
    const char *p = *pp, *q = p;
    while (q < end && (k_class[(unsigned char)*q] & CL_PRINT))
        q++;
    if ((size_t)(q - p) > max)
        return fail_at(err_col, line, p + max, AS_ERR_SYNTAX);
    if (q == p || q == end || *q != ' ')        /* empty field, a control byte, or the line ends */
        return fail_at(err_col, line, q, AS_ERR_SYNTAX);
    *f = (q - p == 1 && *p == '-') ? as_slice_make(p, 0) : as_slice_from(p, q);
    *pp = q + 1;
    return AS_OK;
}

/* An SD-NAME (SD-ID or PARAM-NAME) at p; returns its end, or NULL with *bad
 * set to the offending byte. */
static const char *scan_sd_name(const char *p, const char *end, const char **bad)
{
    const char *q = p;
    while (q < end && (k_class[(unsigned char)*q] & CL_SDNAME))
        q++;
    if (q == p) {
        *bad = q;
        return NULL;
    }
    if (q - p > PSR_SYSLOG_SDNAME_MAX) {
        *bad = p + PSR_SYSLOG_SDNAME_MAX;
        return NULL;
    }
    return q;
}

/* A PARAM-VALUE body after its opening quote: returns the closing quote, or
 * NULL with *bad at the end of the line. `\x` pairs are skipped whole, which
 * covers the three escapes and leaves any other backslash literal. An
 * unescaped ']' is accepted (RFC 5424 says MUST escape; senders forget). */
static const char *scan_sd_value(const char *p, const char *end, const char **bad)
{
    while (p < end) {
        if (*p == '"')
            return p;
        if (*p == '\\') {
            if (p + 1 == end)
                break;
            p += 2;
        } else {
            p++;
        }
    }
    *bad = end;
    return NULL;
}

/* STRUCTURED-DATA = 1*SD-ELEMENT at p (which is '['); returns its end, or
 * NULL with *bad set. */
static const char *scan_sd(const char *p, const char *end, const char **bad)
{
    while (p < end && *p == '[') {
        p = scan_sd_name(p + 1, end, bad);
        if (p == NULL)
            return NULL;
        while (p < end && *p == ' ') {
            p = scan_sd_name(p + 1, end, bad);
            if (p == NULL)
                return NULL;
            if (p == end || *p != '=') {
                *bad = p;
                return NULL;
            }
            p++;
            if (p == end || *p != '"') {
                *bad = p;
                return NULL;
            }
            p = scan_sd_value(p + 1, end, bad);
            if (p == NULL)
                return NULL;
            p++;
        }
        if (p == end || *p != ']') {
            *bad = p;
            return NULL;
        }
        p++;
    }
    return p;
}

/* p is at the first byte after `<PRI>VERSION `. */
static as_code scan_5424(const char *line, const char *p, const char *end, int default_off, psr_syslog *out,
                         uint64_t *err_col)
{
    out->variant = PSR_SYSLOG_5424;
    /* TIMESTAMP */
    const char *tq = p;
    while (tq < end && (k_class[(unsigned char)*tq] & CL_PRINT))
        tq++;
    if (tq == p || tq == end || *tq != ' ')
        return fail_at(err_col, line, tq, AS_ERR_SYNTAX);
    if (tq - p == 1 && *p == '-') {
        out->flags |= PSR_SYSLOG_F_NIL_TIME;
        p = tq;
    } else {
        AS_TRY(scan_iso_stamp(line, &p, end, tq, default_off, &out->time, err_col));
    }
    p++;
    AS_TRY(scan_5424_field(line, &p, end, PSR_SYSLOG_HOST_MAX, &out->host, err_col));
    if (out->host.len == 0)
        out->flags |= PSR_SYSLOG_F_NO_HOST;
    AS_TRY(scan_5424_field(line, &p, end, PSR_SYSLOG_APP_MAX, &out->app, err_col));
    AS_TRY(scan_5424_field(line, &p, end, PSR_SYSLOG_PROCID_MAX, &out->procid, err_col));
    out->pid = parse_pid(out->procid.ptr, out->procid.ptr + out->procid.len);
    /* MSGID is followed by SD, not by the end of the line */
    AS_TRY(scan_5424_field(line, &p, end, PSR_SYSLOG_MSGID_MAX, &out->msgid, err_col));
    if (p == end)
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    if (*p == '-') {
        p++;
    } else if (*p == '[') {
        const char *bad = NULL;
        const char *q = scan_sd(p, end, &bad);
        if (q == NULL)
            return fail_at(err_col, line, bad, AS_ERR_SYNTAX);
        out->sd = as_slice_from(p, q);
        out->flags |= PSR_SYSLOG_F_SD;
        p = q;
    } else {
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    }
    if (p == end) {
        out->msg = as_slice_make(end, 0);
        return AS_OK;
    }
    if (*p != ' ')
        return fail_at(err_col, line, p, AS_ERR_SYNTAX);
    p++;
    if (end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF) {
        out->flags |= PSR_SYSLOG_F_BOM;
        p += 3;
    }
    out->msg = as_slice_from(p, end);
    return AS_OK;
}

/* ---- the entry point ---- */

as_code psr_syslog_scan(as_slice line, const psr_syslog_opts *o, psr_syslog *out, uint64_t *err_col)
{
    *out = (psr_syslog){ .pri = -1, .facility = -1, .severity = -1, .pid = -1 };
    if (line.len == 0 || (line.len == 1 && line.ptr[0] == '\r')) {
        *err_col = 1;                           /* also keeps NULL + 0 out of the arithmetic */
        return AS_ERR_SYNTAX;
    }
    const char *const b = line.ptr;
    const char *end = b + line.len;
    const char *p = b;
    int default_off = o ? o->default_offset_min : 0;
    if (end[-1] == '\r')
        end--;

    if (*p == '<') {
        const char *q = p + 1;
        unsigned pri = 0;
        while (q < end && is_digit(*q) && q - p <= 3)
            pri = pri * 10 + (unsigned)(*q++ - '0');
        if (q == p + 1 || q == end || *q != '>')
            return fail_at(err_col, b, q, AS_ERR_SYNTAX);
        if (pri > PSR_SYSLOG_PRI_MAX)
            return fail_at(err_col, b, p + 1, AS_ERR_SYNTAX);
        out->pri = (int16_t)pri;
        out->facility = (int8_t)(pri >> 3);
        out->severity = (int8_t)(pri & 7);
        out->flags |= PSR_SYSLOG_F_PRI;
        p = q + 1;
        /* `<PRI>1 `: RFC 5424 (a year has four digits and a '-', not a space) */
        if (p < end && *p >= '1' && *p <= '9') {
            const char *v = p;
            unsigned ver = 0;
            while (v < end && is_digit(*v) && v - p < 3)
                ver = ver * 10 + (unsigned)(*v++ - '0');
            if (v < end && *v == ' ') {
                out->version = (uint16_t)ver;
                return scan_5424(b, v + 1, end, default_off, out, err_col);
            }
        }
    }
    if (p == end)
        return fail_at(err_col, b, p, AS_ERR_SYNTAX);
    if (is_digit(*p)) {
        out->variant = PSR_SYSLOG_ISO;
        AS_TRY(scan_iso_stamp(b, &p, end, NULL, default_off, &out->time, err_col));
    } else {
        AS_TRY(scan_bsd_stamp(b, &p, end, out, err_col));
    }
    return scan_traditional_rest(b, p, end, out, err_col);
}

int psr_syslog_starts_record(as_slice line)
{
    if (line.len == 0)
        return 0;
    const char *p = line.ptr, *end = p + line.len;
    if (end - p >= 2 && p[0] == '<' && is_digit(p[1]))
        return 1;
    if (end - p >= 4 && p[3] == ' ' && as_month_from_abbr(as_slice_make(p, 3)) != 0)
        return 1;
    return looks_like_date(p, end);
}

/* ---- STRUCTURED-DATA iteration ---- */

void psr_syslog_sd_iter_init(psr_syslog_sd_iter *it, as_slice sd)
{
    *it = (psr_syslog_sd_iter){ ._sd = sd, ._pos = 0, ._id = { NULL, 0 } };
}

int psr_syslog_sd_next(psr_syslog_sd_iter *it, psr_syslog_sd_param *prm)
{
    if (it->_sd.len == 0 || it->_pos >= it->_sd.len)
        return 0;
    const char *b = it->_sd.ptr, *end = b + it->_sd.len;
    const char *p = b + it->_pos, *bad = NULL;
    int fresh = 0;
    if (it->_id.len == 0) {                     /* at '[' of the next element */
        if (*p != '[')
            return 0;
        const char *q = scan_sd_name(p + 1, end, &bad);
        if (q == NULL)
            return 0;
        it->_id = as_slice_from(p + 1, q);
        p = q;
        fresh = 1;
    }
    if (p < end && *p == ' ') {
        const char *n = p + 1;
        const char *q = scan_sd_name(n, end, &bad);
        if (q == NULL || q + 1 >= end || q[0] != '=' || q[1] != '"')
            return 0;
        const char *v = q + 2;
        const char *vend = scan_sd_value(v, end, &bad);
        if (vend == NULL)
            return 0;
        *prm = (psr_syslog_sd_param){ it->_id, as_slice_from(n, q), as_slice_from(v, vend) };
        p = vend + 1;
        if (p < end && *p == ']') {             /* element done: next call starts the next one */
            it->_id = (as_slice){ NULL, 0 };
            p++;
        }
        it->_pos = (size_t)(p - b);
        return 1;
    }
    if (p < end && *p == ']' && fresh) {        /* `[id]`: an element without parameters */
        *prm = (psr_syslog_sd_param){ it->_id, { p, 0 }, { p, 0 } };
        it->_id = (as_slice){ NULL, 0 };
        it->_pos = (size_t)(p + 1 - b);
        return 1;
    }
    return 0;
}

size_t psr_syslog_sd_unescape(as_slice value, char *dst)
{
    size_t n = 0;
    for (size_t i = 0; i < value.len; i++) {
        char c = value.ptr[i];
        if (c == '\\' && i + 1 < value.len &&
            (value.ptr[i + 1] == '"' || value.ptr[i + 1] == '\\' || value.ptr[i + 1] == ']'))
            c = value.ptr[++i];
        dst[n++] = c;
    }
    return n;
}

/* ---- RFC 3164 year inference ---- */

void psr_syslog_year_init_fixed(psr_syslog_year *ys, int64_t year, int offset_min)
{
    /* an empty period (lo > hi): a year of 0 anchors nothing */
    *ys = (psr_syslog_year){ .anchor_year = year, .lo_sec = 1, .hi_sec = 0, .offset_min = offset_min };
}

void psr_syslog_year_init_period(psr_syslog_year *ys, as_time start, as_time end, int64_t slack_sec,
                                 int offset_min)
{
    if (slack_sec < 0)
        slack_sec = 0;
    if (slack_sec > PSR_SYSLOG_SLACK_MAX)
        slack_sec = PSR_SYSLOG_SLACK_MAX;
    *ys = (psr_syslog_year){ .lo_sec = start.sec - slack_sec, .hi_sec = end.sec + slack_sec,
                             .offset_min = offset_min };
}

/* UTC seconds of a civil stamp written in offset_min. */
static int64_t civil_sec(int64_t y, unsigned m, unsigned d, uint32_t sod, int offset_min)
{
    return as_days_from_civil(y, m, d) * 86400 + (int64_t)sod - (int64_t)offset_min * 60;
}

/* The year of the first record from the period: the first that puts it in
 * [lo, hi]; 0 when none does (or the period is empty). */
static int64_t year_from_period(const psr_syslog_year *ys, unsigned m, unsigned d, uint32_t sod)
{
    if (ys->hi_sec < ys->lo_sec)
        return 0;
    int64_t y0, y1;
    unsigned mm, dd;
    as_civil_from_days((ys->lo_sec + (int64_t)ys->offset_min * 60) / 86400 - 1, &y0, &mm, &dd);
    as_civil_from_days((ys->hi_sec + (int64_t)ys->offset_min * 60) / 86400 + 1, &y1, &mm, &dd);
    for (int64_t y = AS_MAX(y0, PSR_SYSLOG_YEAR_MIN); y <= AS_MIN(y1, PSR_SYSLOG_YEAR_MAX); y++) {
        if (d > as_days_in_month(y, m))
            continue;
        int64_t s = civil_sec(y, m, d, sod, ys->offset_min);
        if (s >= ys->lo_sec && s <= ys->hi_sec)
            return y;
    }
    return 0;
}

as_code psr_syslog_year_resolve(psr_syslog_year *ys, unsigned month, unsigned day, uint32_t sod,
                                int64_t *year, unsigned *yflags)
{
    unsigned fl = 0;
    int64_t y;
    if (month < 1 || month > 12 || day < 1 || day > k_mdays_max[month] || sod > 86400)
        return AS_ERR_BAD_TIME;
    if (ys->month == 0) {
        y = ys->anchor_year != 0 ? ys->anchor_year : year_from_period(ys, month, day, sod);
        if (y < PSR_SYSLOG_YEAR_MIN || y > PSR_SYSLOG_YEAR_MAX)
            return AS_ERR_BAD_TIME;
    } else {
        y = ys->year;
        int drop = (int)ys->month - (int)month;
        uint64_t key = ((uint64_t)month << 24) | ((uint64_t)day << 17) | sod;
        uint64_t prev = ((uint64_t)ys->month << 24) | ((uint64_t)ys->day << 17) | ys->sod;
        if (drop >= 6) {
            y++;
            fl |= PSR_SYSLOG_Y_ROLLOVER;
        } else if (drop <= -6) {
            /* a month rise of 6 or more: a long gap forward, or a late line
             * from the old year just after New Year (Jan 1 then Dec 31) */
            int64_t was = civil_sec(ys->year, ys->month, ys->day, ys->sod, 0);
            if (day <= as_days_in_month(y - 1, month)) {
                int64_t late = civil_sec(y - 1, month, day, sod, 0);
                if (was - late >= 0 && was - late <= PSR_SYSLOG_YEAR_LATE_MAX) {
                    y--;
                    fl |= PSR_SYSLOG_Y_BACKSTEP | PSR_SYSLOG_Y_LATE;
                }
            }
        } else if (key < prev) {
            fl |= PSR_SYSLOG_Y_BACKSTEP;
        }
    }
    if (y < PSR_SYSLOG_YEAR_MIN || y > PSR_SYSLOG_YEAR_MAX)   /* rolled past 9999, or late before 1 */
        return AS_ERR_BAD_TIME;
    if (day > as_days_in_month(y, month))      /* 29 Feb in a non-leap year */
        return AS_ERR_BAD_TIME;
    ys->year = y;
    ys->month = (uint8_t)month;
    ys->day = (uint8_t)day;
    ys->sod = sod;
    if (fl & PSR_SYSLOG_Y_ROLLOVER)
        ys->n_rollover++;
    if (fl & PSR_SYSLOG_Y_BACKSTEP)
        ys->n_backstep++;
    *year = y;
    *yflags = fl;
    return AS_OK;
}

as_code psr_syslog_time_from_year(unsigned month, unsigned day, uint32_t sod, int64_t year, int offset_min,
                                  as_time *out)
{
    if (sod > 86400)
        return AS_ERR_BAD_TIME;
    unsigned h = sod / 3600, mi = sod / 60 % 60, s = sod % 60;
    if (sod == 86400) {                         /* 23:59:60 */
        h = 23;
        mi = 59;
        s = 60;
    }
    if (as_time_from_civil(year, month, day, h, mi, s, 0, offset_min,
                           AS_TIME_NAIVE | AS_TIME_YEAR_INFERRED, out) != 0)
        return AS_ERR_BAD_TIME;
    return AS_OK;
}

as_code psr_syslog_year_apply(psr_syslog_year *ys, psr_syslog *r, unsigned *yflags)
{
    *yflags = 0;
    if (!(r->flags & PSR_SYSLOG_F_NO_YEAR)) {
        if (!as_time_is_valid(r->time))
            return AS_OK;
        /* a full stamp re-anchors: its date as written, in its own offset */
        int64_t days = as_time_day(r->time, r->time.offset_min);
        int64_t y;
        unsigned m, d;
        as_civil_from_days(days, &y, &m, &d);
        int64_t local = r->time.sec + (int64_t)r->time.offset_min * 60;
        ys->year = y;
        ys->month = (uint8_t)m;
        ys->day = (uint8_t)d;
        ys->sod = (uint32_t)(local - days * 86400);
        return AS_OK;
    }
    int64_t year;
    AS_TRY(psr_syslog_year_resolve(ys, r->month, r->day, r->sod, &year, yflags));
    return psr_syslog_time_from_year(r->month, r->day, r->sod, year, ys->offset_min, &r->time);
}
