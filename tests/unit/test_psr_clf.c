/* test_psr_clf.c: unit tests for parsers/psr_clf, the Apache/nginx access-log
 * tokenizer: a table of valid records (every variant of docs/domain.md 3.1
 * and 4.2) with every field checked, a table of malformed records with the
 * error code and the exact column, the time parser (all month names in every
 * case, every invalid three-letter name), escapes, client lists, and the real
 * samples in tests/data/real/ (Filebeat fixtures, the elastic apache_logs
 * excerpt with its 14 malformed lines), and the vector (SSE2) and scalar
 * splits of the text before the time agree. Every input is scanned at the end of a
 * page before a PROT_NONE page (guard.h), and every prefix of a few records as
 * well, so an over-read faults. Run from the repository root (make test does):
 * the real samples are read from tests/data/real/. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* fopen, getline */
#include <stdlib.h>  /* free */
#include <string.h>  /* strlen, memcmp */

#include "core/as.h"
#include "parsers/psr_clf.h"
#include "tests/unit/guard.h"

#define V_IU   (PSR_CLF_HAS_IDENT | PSR_CLF_HAS_USER)
#define V_COMB (PSR_CLF_COMBINED | PSR_CLF_HAS_REFERER | PSR_CLF_HAS_USER_AGENT)
#define V_STD  (V_IU | PSR_CLF_SPLIT)   /* client ident user, split request */

#define GUARD_MAX 8192  /* bytes: the longest test input (the real lines are < 1,400) */

static int setup_guard(void **state)
{
    static guard g;   /* one per test binary; cmocka runs tests one at a time */
    if (guard_init(&g, GUARD_MAX) != 0)
        return -1;
    *state = &g;
    return 0;
}

static int teardown_guard(void **state)
{
    guard_fini(*state);
    return 0;
}

static int hook_off(void **state)
{
    (void)state;
    as_alloc_fail_after(0);
    return 0;
}

/* ---- helpers ---- */

/* got equals want (NULL: must be empty). */
static void expect_slice(const char *ctx, const char *what, as_slice got, const char *want)
{
    if (want == NULL)
        want = "";
    if (!as_slice_eq_cstr(got, want))
        fail_msg("%s: %s is \"%.*s\", expected \"%s\"", ctx, what, AS_SLICE_ARG(got), want);
}

/* A non-empty slice lies inside [line, line + len). */
static void expect_inside(const char *ctx, const char *what, as_slice s, const char *line, size_t len)
{
    if (s.len == 0)
        return;
    if (s.ptr < line || s.ptr + s.len > line + len)
        fail_msg("%s: %s points outside the record", ctx, what);
}

static void expect_all_inside(const char *ctx, const psr_clf *c, const char *line, size_t len)
{
    expect_inside(ctx, "vhost", c->vhost, line, len);
    expect_inside(ctx, "client", c->client, line, len);
    expect_inside(ctx, "ident", c->ident, line, len);
    expect_inside(ctx, "user", c->user, line, len);
    expect_inside(ctx, "time_text", c->time_text, line, len);
    expect_inside(ctx, "request", c->request, line, len);
    expect_inside(ctx, "method", c->method, line, len);
    expect_inside(ctx, "path", c->path, line, len);
    expect_inside(ctx, "protocol", c->protocol, line, len);
    expect_inside(ctx, "referer", c->referer, line, len);
    expect_inside(ctx, "user_agent", c->user_agent, line, len);
    expect_inside(ctx, "tls_protocol", c->tls_protocol, line, len);
    expect_inside(ctx, "tls_cipher", c->tls_cipher, line, len);
    expect_inside(ctx, "extra", c->extra, line, len);
}

static const char *utc(as_time t, char buf[AS_TIME_RFC3339_MAX])
{
    as_time_format_utc(t, buf);
    return buf;
}

/* Scans s placed at the end of a guarded page. */
static as_code scan_guarded(guard *g, const char *s, size_t len, const char **placed, psr_clf *c, uint64_t *col)
{
    const char *p = guard_put(g, s, len);
    assert_non_null(p);
    *placed = p;
    return psr_clf_scan(as_slice_make(p, len), c, col);
}

/* ---- valid records ---- */

typedef struct clf_ok_case {
    const char *name;
    const char *line;
    const char *vhost, *client, *ident, *user; /* NULL: empty */
    const char *time;                          /* UTC, RFC 3339 */
    const char *request, *method, *path, *protocol;
    int64_t     bytes;
    int         offset;                        /* minutes east of UTC */
    unsigned    status;
    const char *referer, *user_agent, *extra, *tls_protocol, *tls_cipher;
    unsigned    variant;                       /* exact PSR_CLF_* flags */
} clf_ok_case;

#define GET_ROOT .request = "GET / HTTP/1.1", .method = "GET", .path = "/", .protocol = "HTTP/1.1"
#define T_APACHE .time = "2000-10-10T20:55:36Z", .offset = -420

static const clf_ok_case k_ok[] = {
    { .name = "Apache common (the httpd docs example)",
      .line = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
      .client = "127.0.0.1", .ident = "-", .user = "frank", T_APACHE,
      .request = "GET /apache_pb.gif HTTP/1.0", .method = "GET", .path = "/apache_pb.gif", .protocol = "HTTP/1.0",
      .status = 200, .bytes = 2326, .variant = V_STD },
    { .name = "Apache combined (the httpd docs example)",
      .line = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
              "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"",
      .client = "127.0.0.1", .ident = "-", .user = "frank", T_APACHE,
      .request = "GET /apache_pb.gif HTTP/1.0", .method = "GET", .path = "/apache_pb.gif", .protocol = "HTTP/1.0",
      .status = 200, .bytes = 2326, .referer = "http://www.example.com/start.html",
      .user_agent = "Mozilla/4.08 [en] (Win98; I ;Nav)", .variant = V_STD | V_COMB },
    { .name = "Debian vhost_combined",
      .line = "example.com:80 1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"",
      .vhost = "example.com:80", .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, GET_ROOT,
      .status = 200, .bytes = 512, .referer = "-", .user_agent = "curl/8.0",
      .variant = V_STD | V_COMB | PSR_CLF_VHOST },
    { .name = "vhost as an address with a port",
      .line = "1.128.3.4:80 127.0.0.1 - - [12/Apr/2018:09:48:40 +0200] \"\" 400 0 \"-\" \"-\"",
      .vhost = "1.128.3.4:80", .client = "127.0.0.1", .ident = "-", .user = "-",
      .time = "2018-04-12T07:48:40Z", .offset = 120, .request = "", .status = 400, .bytes = 0,
      .referer = "-", .user_agent = "-", .variant = V_IU | V_COMB | PSR_CLF_VHOST },
    { .name = "nginx combined with a user",
      .line = "10.1.2.3 - alice [10/Oct/2000:13:55:36 -0700] \"POST /login HTTP/2.0\" 302 0 \"https://example.com/\" \"okhttp/4.12.0\"",
      .client = "10.1.2.3", .ident = "-", .user = "alice", T_APACHE,
      .request = "POST /login HTTP/2.0", .method = "POST", .path = "/login", .protocol = "HTTP/2.0",
      .status = 302, .bytes = 0, .referer = "https://example.com/", .user_agent = "okhttp/4.12.0",
      .variant = V_STD | V_COMB },
    { .name = "nginx request time and upstream times after the user agent",
      .line = "10.1.2.3 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\" 0.123 0.002, 0.010",
      .client = "10.1.2.3", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 612,
      .referer = "-", .user_agent = "curl/8.0", .extra = "0.123 0.002, 0.010",
      .variant = V_STD | V_COMB | PSR_CLF_EXTRA },
    { .name = "nginx upstream time \"-\" and an extra quoted \"-\"",
      .line = "10.1.2.3 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\" \"-\" 0.000 -",
      .client = "10.1.2.3", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 612,
      .referer = "-", .user_agent = "curl/8.0", .extra = "\"-\" 0.000 -",
      .variant = V_STD | V_COMB | PSR_CLF_EXTRA },
    { .name = "Apache common with %D (microseconds) after the bytes",
      .line = "10.1.2.3 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 612 4521",
      .client = "10.1.2.3", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 612,
      .extra = "4521", .variant = V_STD | PSR_CLF_EXTRA },
    { .name = "a referer alone, then %T",
      .line = "10.1.2.3 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 612 \"-\" 3",
      .client = "10.1.2.3", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 612,
      .referer = "-", .extra = "3", .variant = V_STD | PSR_CLF_HAS_REFERER | PSR_CLF_EXTRA },
    { .name = "Apache 408: request \"-\", bytes \"-\"",
      .line = "::1 - - [26/Dec/2016:16:16:48 +0200] \"-\" 408 -",
      .client = "::1", .ident = "-", .user = "-", .time = "2016-12-26T14:16:48Z", .offset = 120,
      .request = "-", .status = 408, .bytes = -1, .variant = V_IU },
    { .name = "IPv6 client",
      .line = "2001:db8::8a2e:370:7334 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5",
      .client = "2001:db8::8a2e:370:7334", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 5,
      .variant = V_STD },
    { .name = "unix: client, request \"hello\" (nginx 400)",
      .line = "unix: - - [26/Feb/2019:15:39:42 +0100] \"hello\" 400 173 \"-\" \"-\"",
      .client = "unix:", .ident = "-", .user = "-", .time = "2019-02-26T14:39:42Z", .offset = 60,
      .request = "hello", .status = 400, .bytes = 173, .referer = "-", .user_agent = "-", .variant = V_IU | V_COMB },
    { .name = "host name client",
      .line = "monitoring-server - - [29/May/2017:19:02:48 +0000] \"GET /status HTTP/1.1\" 200 612",
      .client = "monitoring-server", .ident = "-", .user = "-", .time = "2017-05-29T19:02:48Z",
      .request = "GET /status HTTP/1.1", .method = "GET", .path = "/status", .protocol = "HTTP/1.1",
      .status = 200, .bytes = 612, .variant = V_STD },
    { .name = "X-Forwarded-For list, unquoted",
      .line = "10.0.0.2, 10.0.0.1, 127.0.0.1 - - [07/Dec/2016:11:05:07 +0100] \"GET / HTTP/1.1\" 200 571",
      .client = "10.0.0.2, 10.0.0.1, 127.0.0.1", .ident = "-", .user = "-", .time = "2016-12-07T10:05:07Z",
      .offset = 60, GET_ROOT, .status = 200, .bytes = 571, .variant = V_STD | PSR_CLF_CLIENT_LIST },
    { .name = "X-Forwarded-For list, quoted, then the remote address",
      .line = "\"10.5.102.222, 199.96.1.1, 204.246.1.1\" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] \"GET / HTTP/1.1\" 200 1",
      .client = "\"10.5.102.222, 199.96.1.1, 204.246.1.1\" 10.2.1.185", .ident = "-", .user = "-",
      .time = "2016-01-22T13:18:29Z", GET_ROOT, .status = 200, .bytes = 1,
      .variant = V_STD | PSR_CLF_CLIENT_LIST | PSR_CLF_QUOTED_CLIENT },
    { .name = "X-Forwarded-For list, wholly quoted: quotes removed",
      .line = "\"10.5.102.222, 199.96.1.1\" - - [22/Jan/2016:13:18:29 +0000] \"GET / HTTP/1.1\" 200 1",
      .client = "10.5.102.222, 199.96.1.1", .ident = "-", .user = "-",
      .time = "2016-01-22T13:18:29Z", GET_ROOT, .status = 200, .bytes = 1,
      .variant = V_STD | PSR_CLF_CLIENT_LIST | PSR_CLF_QUOTED_CLIENT },
    { .name = "one quoted address",
      .line = "\"10.5.102.222\" - - [22/Jan/2016:13:18:29 +0000] \"GET / HTTP/1.1\" 200 1",
      .client = "10.5.102.222", .ident = "-", .user = "-",
      .time = "2016-01-22T13:18:29Z", GET_ROOT, .status = 200, .bytes = 1,
      .variant = V_STD | PSR_CLF_QUOTED_CLIENT },
    { .name = "vhost, then an IPv6 list, then the remote address",
      .line = "1.128.3.4 2a02:cf40:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121 - - [30/Dec/2016:06:47:09 +0000] "
              "\"GET /test.html HTTP/1.1\" 404 8571 \"-\" \"Facebot\"",
      .vhost = "1.128.3.4", .client = "2a02:cf40:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121",
      .ident = "-", .user = "-", .time = "2016-12-30T06:47:09Z",
      .request = "GET /test.html HTTP/1.1", .method = "GET", .path = "/test.html", .protocol = "HTTP/1.1",
      .status = 404, .bytes = 8571, .referer = "-", .user_agent = "Facebot",
      .variant = V_STD | V_COMB | PSR_CLF_VHOST | PSR_CLF_CLIENT_LIST },
    { .name = "vhost, then a quoted list and the remote address",
      .line = "example.com:80 \"10.5.102.222, 175.16.199.1\" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] \"GET / HTTP/1.1\" 200 1",
      .vhost = "example.com:80", .client = "\"10.5.102.222, 175.16.199.1\" 10.2.1.185", .ident = "-", .user = "-",
      .time = "2016-01-22T13:18:29Z", GET_ROOT, .status = 200, .bytes = 1,
      .variant = V_STD | PSR_CLF_VHOST | PSR_CLF_CLIENT_LIST | PSR_CLF_QUOTED_CLIENT },
    { .name = "escaped quotes and backslashes in the request and the user agent (Apache)",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /a\\\"b\\\\ HTTP/1.1\" 200 5 \"-\" \"say \\\"hi\\\" \\\\\"",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE,
      .request = "GET /a\\\"b\\\\ HTTP/1.1", .method = "GET", .path = "/a\\\"b\\\\", .protocol = "HTTP/1.1",
      .status = 200, .bytes = 5, .referer = "-", .user_agent = "say \\\"hi\\\" \\\\", .variant = V_STD | V_COMB },
    { .name = "a request ending in an escaped backslash",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"x\\\\\" 400 5",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, .request = "x\\\\", .status = 400, .bytes = 5,
      .variant = V_IU },
    { .name = "\\xNN in the referer (apache_logs:5851) and nginx \\x22 for a quote",
      .line = "201.242.142.135 - - [19/May/2015:11:05:10 +0000] \"GET /files/logstash/ HTTP/1.0\" 200 13316 "
              "\"http://\\xe4\\xe5\\xe3\\xf2\\xff\\xf0\\xed\\xee\\xe5-\\xec\\xfb\\xeb\\xee.\\xf0\\xf4/\" \"a \\x22b\\x22\"",
      .client = "201.242.142.135", .ident = "-", .user = "-", .time = "2015-05-19T11:05:10Z",
      .request = "GET /files/logstash/ HTTP/1.0", .method = "GET", .path = "/files/logstash/", .protocol = "HTTP/1.0",
      .status = 200, .bytes = 13316,
      .referer = "http://\\xe4\\xe5\\xe3\\xf2\\xff\\xf0\\xed\\xee\\xe5-\\xec\\xfb\\xeb\\xee.\\xf0\\xf4/",
      .user_agent = "a \\x22b\\x22", .variant = V_STD | V_COMB },
    { .name = "TLS handshake bytes as the request (escaped by nginx)",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"\\x16\\x03\\x01\\x00\\xa5\\x01\\x00\\x00\\xa1\\x03\\x03\" 400 166 \"-\" \"-\"",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE,
      .request = "\\x16\\x03\\x01\\x00\\xa5\\x01\\x00\\x00\\xa1\\x03\\x03", .status = 400, .bytes = 166,
      .referer = "-", .user_agent = "-", .variant = V_IU | V_COMB },
    { .name = "HTTP/0.9 request (no protocol): not split",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /\" 200 5",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, .request = "GET /", .status = 200, .bytes = 5,
      .variant = V_IU },
    { .name = "HTTP/2 preface and HTTP/2 without a minor version",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"PRI * HTTP/2\" 400 5",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE,
      .request = "PRI * HTTP/2", .method = "PRI", .path = "*", .protocol = "HTTP/2", .status = 400, .bytes = 5,
      .variant = V_STD },
    { .name = "a target with a raw space is split between the first and the last space",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /a b HTTP/1.1\" 404 5",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE,
      .request = "GET /a b HTTP/1.1", .method = "GET", .path = "/a b", .protocol = "HTTP/1.1", .status = 404,
      .bytes = 5, .variant = V_STD },
    { .name = "not split: two spaces, lower-case protocol, method with a slash",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET  / HTTP/1.1\" 400 5 \"GET / http/1.1\" \"G/T / HTTP/1.1\"",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, .request = "GET  / HTTP/1.1", .status = 400,
      .bytes = 5, .referer = "GET / http/1.1", .user_agent = "G/T / HTTP/1.1", .variant = V_IU | V_COMB },
    { .name = "nginx 444 and 499",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 499 0 \"-\" \"-\" 444",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 499, .bytes = 0,
      .referer = "-", .user_agent = "-", .extra = "444", .variant = V_STD | V_COMB | PSR_CLF_EXTRA },
    { .name = "status 100 and 599, the limits",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 599 9223372036854775807 \"-\" \"100\"",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 599,
      .bytes = INT64_MAX, .referer = "-", .user_agent = "100", .variant = V_STD | V_COMB },
    { .name = "client only (no ident, no user)",
      .line = "1.2.3.4 [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 100 0",
      .client = "1.2.3.4", T_APACHE, GET_ROOT, .status = 100, .bytes = 0, .variant = PSR_CLF_SPLIT },
    { .name = "client and user (no ident)",
      .line = "1.2.3.4 bob [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 0",
      .client = "1.2.3.4", .user = "bob", T_APACHE, GET_ROOT, .status = 200, .bytes = 0,
      .variant = PSR_CLF_HAS_USER | PSR_CLF_SPLIT },
    { .name = "user with @ and a backslash escape",
      .line = "1.2.3.4 - CORP\\\\bob@example.com [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 0",
      .client = "1.2.3.4", .ident = "-", .user = "CORP\\\\bob@example.com", T_APACHE, GET_ROOT, .status = 200,
      .bytes = 0, .variant = V_STD },
    { .name = "a '[' in a token before the time is not the time",
      .line = "[::1]:80 1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 0",
      .vhost = "[::1]:80", .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200,
      .bytes = 0, .variant = V_STD | PSR_CLF_VHOST },
    { .name = "time with microseconds",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36.123456 -0700] \"GET / HTTP/1.1\" 200 0",
      .client = "1.2.3.4", .ident = "-", .user = "-", .time = "2000-10-10T20:55:36.123456Z", .offset = -420,
      GET_ROOT, .status = 200, .bytes = 0, .variant = V_STD | PSR_CLF_TIME_FRACTION },
    { .name = "leap second (folded into the next second), lower-case month",
      .line = "1.2.3.4 - - [31/dec/2016:23:59:60 +0000] \"GET / HTTP/1.1\" 200 0",
      .client = "1.2.3.4", .ident = "-", .user = "-", .time = "2017-01-01T00:00:00Z", GET_ROOT, .status = 200,
      .bytes = 0, .variant = V_STD },
    { .name = "Feb 29 of a leap year, upper-case month, offset +1400",
      .line = "1.2.3.4 - - [29/FEB/2016:00:30:00 +1400] \"GET / HTTP/1.1\" 200 0",
      .client = "1.2.3.4", .ident = "-", .user = "-", .time = "2016-02-28T10:30:00Z", .offset = 840, GET_ROOT,
      .status = 200, .bytes = 0, .variant = V_STD },
    { .name = "trailing spaces and a CR are ignored",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 0 \"-\" \"ua\"  \r",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 0,
      .referer = "-", .user_agent = "ua", .variant = V_STD | V_COMB },
    { .name = "an unescaped quote not followed by a space is content",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 0 \"-\" \"a\"b\"",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 0,
      .referer = "-", .user_agent = "a\"b", .variant = V_STD | V_COMB | PSR_CLF_BARE_QUOTE },
    { .name = "empty referer and user agent",
      .line = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 0 \"\" \"\"",
      .client = "1.2.3.4", .ident = "-", .user = "-", T_APACHE, GET_ROOT, .status = 200, .bytes = 0,
      .variant = V_STD | V_COMB },
    { .name = "mod_ssl ssl_request_log",
      .line = "[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 \"GET /x?a=1&amp;b=2 HTTP/1.1\" 1375",
      .client = "172.30.0.119", .time = "2018-08-10T07:45:56Z", .offset = 120,
      .request = "GET /x?a=1&amp;b=2 HTTP/1.1", .method = "GET", .path = "/x?a=1&amp;b=2", .protocol = "HTTP/1.1",
      .bytes = 1375, .tls_protocol = "TLSv1.2", .tls_cipher = "ECDHE-RSA-AES128-GCM-SHA256",
      .variant = PSR_CLF_SSL_REQUEST | PSR_CLF_SPLIT },
    { .name = "mod_ssl ssl_request_log, bytes \"-\"",
      .line = "[16/Oct/2019:11:53:47 +0200] 81.2.69.143 TLSv1.3 TLS_AES_256_GCM_SHA384 \"-\" -",
      .client = "81.2.69.143", .time = "2019-10-16T09:53:47Z", .offset = 120, .request = "-", .bytes = -1,
      .tls_protocol = "TLSv1.3", .tls_cipher = "TLS_AES_256_GCM_SHA384", .variant = PSR_CLF_SSL_REQUEST },
};

static void check_ok_case(const clf_ok_case *k, const char *line, size_t len, const psr_clf *c)
{
    char tb[AS_TIME_RFC3339_MAX];
    expect_all_inside(k->name, c, line, len);
    expect_slice(k->name, "vhost", c->vhost, k->vhost);
    expect_slice(k->name, "client", c->client, k->client);
    expect_slice(k->name, "ident", c->ident, k->ident);
    expect_slice(k->name, "user", c->user, k->user);
    if (strcmp(utc(c->time, tb), k->time) != 0)
        fail_msg("%s: time %s, expected %s", k->name, tb, k->time);
    if (c->time.offset_min != k->offset)
        fail_msg("%s: offset %d, expected %d", k->name, c->time.offset_min, k->offset);
    expect_slice(k->name, "request", c->request, k->request);
    expect_slice(k->name, "method", c->method, k->method);
    expect_slice(k->name, "path", c->path, k->path);
    expect_slice(k->name, "protocol", c->protocol, k->protocol);
    if (c->status != k->status)
        fail_msg("%s: status %u, expected %u", k->name, (unsigned)c->status, k->status);
    if (c->bytes != k->bytes)
        fail_msg("%s: bytes %lld, expected %lld", k->name, (long long)c->bytes, (long long)k->bytes);
    expect_slice(k->name, "referer", c->referer, k->referer);
    expect_slice(k->name, "user_agent", c->user_agent, k->user_agent);
    expect_slice(k->name, "extra", c->extra, k->extra);
    expect_slice(k->name, "tls_protocol", c->tls_protocol, k->tls_protocol);
    expect_slice(k->name, "tls_cipher", c->tls_cipher, k->tls_cipher);
    if (c->variant != k->variant)
        fail_msg("%s: variant %#x, expected %#x", k->name, c->variant, k->variant);
}

static void test_psr_clf_scan_valid_records(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_ok); i++) {
        const clf_ok_case *k = &k_ok[i];
        size_t len = strlen(k->line);
        const char *p;
        psr_clf c;
        uint64_t col = 0;
        as_code rc = scan_guarded(g, k->line, len, &p, &c, &col);
        if (rc != AS_OK)
            fail_msg("%s: %s at column %llu, expected ok", k->name, as_err_name(rc), (unsigned long long)col);
        check_ok_case(k, p, len, &c);
        rc = psr_clf_scan_scalar(as_slice_make(p, len), &c, &col);
        if (rc != AS_OK)
            fail_msg("%s (scalar): %s at column %llu", k->name, as_err_name(rc), (unsigned long long)col);
        check_ok_case(k, p, len, &c);
        /* time_text parses alone to the same instant */
        as_time t;
        assert_int_equal(psr_clf_time(c.time_text, &t), AS_OK);
        assert_true(t.sec == c.time.sec && t.nsec == c.time.nsec && t.offset_min == c.time.offset_min);
    }
}

/* ---- malformed records: code and exact column ---- */

typedef struct clf_err_case {
    const char *name;
    const char *line;
    as_code     code;
    uint64_t    col;   /* 1-based byte column */
} clf_err_case;

static const clf_err_case k_err[] = {
    { "apache_logs:4031 ends after the time",
      "46.161.41.24 - - [18/May/2015:19:05:46 +0000]\"",
      AS_ERR_SYNTAX, 46 },
    { "apache_logs:8897 UA fragment only",
      "46.118.127.106 - - [20/May/2015:12:05:26 +0000] (X11; U; ) - BrowseX (2.0.0 Windows)\"",
      AS_ERR_SYNTAX, 49 },
    { "apache_logs:9952 ends ])\"",
      "63.140.98.80 - - [20/May/2015:21:05:03 +0000])\"",
      AS_ERR_SYNTAX, 46 },
    { "record ends at the time",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700]",
      AS_ERR_SYNTAX, 41 },
    { "record ends after the time and a space",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] ",
      AS_ERR_SYNTAX, 41 },
    { "bad month",
      "1.2.3.4 - - [10/Foo/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 17 },
    { "month not letters",
      "1.2.3.4 - - [10/1ct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 17 },
    { "bad offset hours",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 +2500] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 35 },
    { "bad offset minutes",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0760] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 35 },
    { "offset with a colon",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 +07:00] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 38 },
    { "offset without sign",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 35 },
    { "no offset",
      "1.2.3.4 - - [10/Oct/2000:13:55:36] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 34 },
    { "offset too long",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 +07000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 40 },
    { "Feb 30",
      "1.2.3.4 - - [30/Feb/2016:13:55:36 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 14 },
    { "Feb 29 in a common year",
      "1.2.3.4 - - [29/Feb/2015:13:55:36 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 14 },
    { "day 00",
      "1.2.3.4 - - [00/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 14 },
    { "day 32",
      "1.2.3.4 - - [32/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 14 },
    { "one-digit day",
      "1.2.3.4 - - [1/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 15 },
    { "hour 24",
      "1.2.3.4 - - [10/Oct/2000:24:00:00 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 26 },
    { "minute 60",
      "1.2.3.4 - - [10/Oct/2000:13:60:00 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 29 },
    { "second 61",
      "1.2.3.4 - - [10/Oct/2000:13:55:61 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 32 },
    { "two-digit year",
      "1.2.3.4 - - [10/Oct/00:13:55:36 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 23 },
    { "empty fraction",
      "1.2.3.4 - - [10/Oct/2000:13:55:36. +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 35 },
    { "ten fraction digits",
      "1.2.3.4 - - [10/Oct/2000:13:55:36.1234567890 +0000] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 44 },
    { "time cut short",
      "1.2.3.4 - - [10/Oct/2000:13:5",
      AS_ERR_BAD_TIME, 30 },
    { "no time",
      "1.2.3.4 - - \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 1 },
    { "time bracket without digits",
      "1.2.3.4 - - [x] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_TIME, 13 },
    { "empty line",
      "",
      AS_ERR_BAD_TIME, 1 },
    { "status 1000",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 1000 512",
      AS_ERR_BAD_VALUE, 59 },
    { "status 099",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 099 512",
      AS_ERR_BAD_VALUE, 59 },
    { "status 600",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 600 512",
      AS_ERR_BAD_VALUE, 59 },
    { "status 20x",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 20x 512",
      AS_ERR_BAD_VALUE, 59 },
    { "status 2-digit",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 20 512",
      AS_ERR_BAD_VALUE, 59 },
    { "status missing (two spaces)",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\"  512",
      AS_ERR_SYNTAX, 59 },
    { "bytes missing",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200",
      AS_ERR_SYNTAX, 62 },
    { "status missing",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\"",
      AS_ERR_SYNTAX, 58 },
    { "bytes not digits",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 12a",
      AS_ERR_BAD_VALUE, 63 },
    { "bytes negative",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 -5",
      AS_ERR_BAD_VALUE, 63 },
    { "bytes overflow int64",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 9223372036854775808",
      AS_ERR_BAD_VALUE, 63 },
    { "request quote not closed",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1 200 512",
      AS_ERR_SYNTAX, 42 },
    { "request opening quote missing",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] GET / HTTP/1.1\" 200 512",
      AS_ERR_SYNTAX, 42 },
    { "junk after the request quote",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\"x 200 512",
      AS_ERR_SYNTAX, 58 },
    { "escaped closing quote",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\\\" 200 512",
      AS_ERR_SYNTAX, 42 },
    { "user agent quote not closed",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11",
      AS_ERR_SYNTAX, 71 },
    { "referer quote not closed",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512 \"http://x/",
      AS_ERR_SYNTAX, 67 },
    { "extra quote not closed",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.0\" \"-",
      AS_ERR_SYNTAX, 82 },
    { "two spaces in extra",
      "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.0\" 0.1  0.2",
      AS_ERR_SYNTAX, 86 },
    { "no client",
      "[10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_SYNTAX, 1 },
    { "line starts with a space before the time",
      " [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_SYNTAX, 1 },
    { "two spaces before the time",
      "1.2.3.4 - -  [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_SYNTAX, 13 },
    { "two spaces between client and ident",
      "1.2.3.4  - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_SYNTAX, 9 },
    { "bad byte in client",
      "1.2.3.4;rm - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_VALUE, 8 },
    { "bad byte in vhost",
      "exa(mple).com 1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_VALUE, 4 },
    { "bad byte in quoted client",
      "\"1.2.3.4; 5.6.7.8\" - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_VALUE, 9 },
    { "control byte in user",
      "1.2.3.4 - a\tb [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_VALUE, 12 },
    { "quote inside a left token",
      "1.2.3.4 - a\"b [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_SYNTAX, 12 },
    { "quoted user",
      "1.2.3.4 - \"bob\" [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_VALUE, 11 },
    { "empty quoted client",
      "\"\" - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_VALUE, 1 },
    { "client quote not closed",
      "\"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_SYNTAX, 1 },
    { "too many groups before the time",
      "a a a a a a a a a a a a a a a a a [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 512",
      AS_ERR_BAD_VALUE, 33 },
    { "ssl_request_log cut after the cipher",
      "[10/Oct/2000:13:55:36 -0700] 1.2.3.4 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256",
      AS_ERR_SYNTAX, 73 },
    { "ssl_request_log bad client",
      "[10/Oct/2000:13:55:36 -0700] 1.2.3.4;x TLSv1.2 AES \"GET / HTTP/1.1\" 5",
      AS_ERR_BAD_VALUE, 37 },
    { "ssl_request_log no request",
      "[10/Oct/2000:13:55:36 -0700] 1.2.3.4 TLSv1.2 AES GET",
      AS_ERR_SYNTAX, 50 },
};

static void test_psr_clf_scan_malformed_records(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_err); i++) {
        const clf_err_case *k = &k_err[i];
        size_t len = strlen(k->line);
        const char *p;
        psr_clf c;
        uint64_t col = 0;
        as_code rc = scan_guarded(g, k->line, len, &p, &c, &col);
        if (rc != k->code || col != k->col)
            fail_msg("%s: %s at column %llu, expected %s at column %llu", k->name, as_err_name(rc),
                     (unsigned long long)col, as_err_name(k->code), (unsigned long long)k->col);
        rc = psr_clf_scan_scalar(as_slice_make(p, len), &c, &col);
        if (rc != k->code || col != k->col)
            fail_msg("%s (scalar): %s at column %llu", k->name, as_err_name(rc), (unsigned long long)col);
    }
}

/* Same code, column and fields (as offsets) from both entry points. */
static void expect_same_scan(const char *ctx, const char *line, size_t len)
{
    psr_clf a, b;
    uint64_t ca = 0, cb = 0;
    as_code ra = psr_clf_scan(as_slice_make(line, len), &a, &ca);
    as_code rb = psr_clf_scan_scalar(as_slice_make(line, len), &b, &cb);
    if (ra != rb || (ra != AS_OK && ca != cb))
        fail_msg("%s: %s at %llu (vector) but %s at %llu (scalar)", ctx, as_err_name(ra), (unsigned long long)ca,
                 as_err_name(rb), (unsigned long long)cb);
    if (ra != AS_OK)
        return;
#define SAME_SLICE(f)                                                                   \
    if (a.f.len != b.f.len || (a.f.len && a.f.ptr != b.f.ptr))                          \
        fail_msg("%s: " #f " differs", ctx);
    SAME_SLICE(vhost) SAME_SLICE(client) SAME_SLICE(ident) SAME_SLICE(user) SAME_SLICE(time_text)
    SAME_SLICE(request) SAME_SLICE(referer) SAME_SLICE(user_agent) SAME_SLICE(extra)
#undef SAME_SLICE
    if (a.variant != b.variant || a.status != b.status || a.bytes != b.bytes || a.time.sec != b.time.sec)
        fail_msg("%s: variant, status, bytes or time differ", ctx);
}

/* The text before the time is split 16 bytes at a time (SSE2) when it can
 * be, byte by byte otherwise: both agree on every length around the 16-byte
 * chunks and the 64-byte limit, with lists, vhosts, and a stray byte (space,
 * quote, comma, control, non-host, high) at every position. */
static void test_psr_clf_scan_vector_and_scalar_agree(void **state)
{
    guard *g = *state;
    static const char *const fills[] = { "1.2.3.4", "10.0.0.2, 10.0.0.1", "example.com:80 2001:db8::1",
                                         "\"a, b\" c", "h" };
    static const char strays[] = { ' ', '"', ',', '\t', ';', (char)0xc3, '[', '-' };
    const char *tail = " - bob [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5";
    char left[128], line[256];
    size_t n_cases = 0;
    for (size_t f = 0; f < AS_ARRAY_LEN(fills); f++)
        for (size_t len = 0; len <= 80; len++) {
            /* a left side of exactly len bytes: the fill, then "x" padding inside the last token */
            size_t fl = strlen(fills[f]);
            if (fl > len && len > 0)
                continue;
            if (len == 0)
                fl = 0;       /* nothing before " - bob [": a line starting with a space */
            memcpy(left, fills[f], fl);
            memset(left + fl, 'x', len - fl);
            for (size_t at = 0; at <= len; at++)
                for (size_t k = 0; k <= AS_ARRAY_LEN(strays); k++) {
                    char save = 0;
                    if (k < AS_ARRAY_LEN(strays)) {
                        if (at == len)
                            continue;
                        save = left[at];
                        left[at] = strays[k];
                    } else if (at > 0) {
                        continue;     /* the unchanged left side once */
                    }
                    int n = snprintf(line, sizeof line, "%.*s%s", (int)len, left, tail);
                    const char *p = guard_put(g, line, (size_t)n);
                    assert_non_null(p);
                    expect_same_scan(line, p, (size_t)n);
                    /* and with the line cut right after the time's first digit (short loads) */
                    size_t cut = len + strlen(" - bob [1");
                    p = guard_put(g, line, cut);
                    expect_same_scan(line, p, cut);
                    n_cases += 2;
                    if (k < AS_ARRAY_LEN(strays))
                        left[at] = save;
                }
        }
    assert_true(n_cases > 10000);
}

static void test_psr_clf_scan_err_col_may_be_null(void **state)
{
    (void)state;
    psr_clf c;
    assert_int_equal(psr_clf_scan(AS_SLICE_LIT("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700]"), &c, NULL), AS_ERR_SYNTAX);
    assert_int_equal(psr_clf_scan(as_slice_make(NULL, 0), &c, NULL), AS_ERR_BAD_TIME);
}

/* Every prefix of a few records, each at the end of a guarded page: no
 * over-read, and a prefix that is accepted has its slices inside it. */
static void test_psr_clf_scan_prefixes_never_overread(void **state)
{
    guard *g = *state;
    static const char *const lines[] = {
        "example.com:80 \"10.5.102.222, 175.16.199.1\" 10.2.1.185 - bob [10/Oct/2000:13:55:36.25 -0700] "
        "\"GET /a\\\"b HTTP/1.1\" 200 5 \"http://x/\\xe4\" \"say \\\"hi\\\"\" 0.1 \"-\" 0.002, 0.010",
        "[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 \"GET / HTTP/1.1\" 1375",
        "::1 - - [26/Dec/2016:16:16:48 +0200] \"-\" 408 -",
        "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"a\"b\" 200 0 \"\\\\\" \"x\\\\\\\"\"",
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(lines); i++) {
        size_t full = strlen(lines[i]);
        size_t n_ok = 0;
        for (size_t len = 0; len <= full; len++) {
            const char *p;
            psr_clf c;
            uint64_t col = 0;
            as_code rc = scan_guarded(g, lines[i], len, &p, &c, &col);
            if (rc == AS_OK) {
                n_ok++;
                expect_all_inside(lines[i], &c, p, len);
            } else if (col < 1 || col > len + 1) {
                fail_msg("line %zu cut to %zu bytes: column %llu out of range", i, len, (unsigned long long)col);
            }
        }
        assert_true(n_ok >= 1);  /* at least the whole line */
    }
}

/* ---- the time ---- */

static void test_psr_clf_time_every_month_in_every_case(void **state)
{
    (void)state;
    static const char *const names[12][3] = {
        { "Jan", "jan", "JAN" }, { "Feb", "feb", "FEB" }, { "Mar", "mar", "MAR" }, { "Apr", "apr", "APR" },
        { "May", "may", "MAY" }, { "Jun", "jun", "JUN" }, { "Jul", "jul", "JUL" }, { "Aug", "aug", "AUG" },
        { "Sep", "sep", "SEP" }, { "Oct", "oct", "OCT" }, { "Nov", "nov", "NOV" }, { "Dec", "dec", "DEC" },
    };
    for (unsigned m = 0; m < 12; m++)
        for (unsigned k = 0; k < 3; k++) {
            char text[32];
            snprintf(text, sizeof text, "15/%s/2024:06:07:08 +0000", names[m][k]);
            as_time t;
            assert_int_equal(psr_clf_time(as_slice_cstr(text), &t), AS_OK);
            int64_t y;
            unsigned mo, d;
            as_civil_from_days(as_time_day(t, 0), &y, &mo, &d);
            assert_true(y == 2024 && mo == m + 1 && d == 15);
        }
}

/* Every three-letter word of letters (in two cases) and a few other bytes:
 * exactly the 12 month names are accepted (checks the perfect hash). */
static void test_psr_clf_time_rejects_every_other_name(void **state)
{
    (void)state;
    unsigned accepted = 0;
    for (int a = 0; a < 26; a++)
        for (int b = 0; b < 26; b++)
            for (int c = 0; c < 26; c++)
                for (int upper = 0; upper < 2; upper++) {
                    char text[32];
                    char base = upper ? 'A' : 'a';
                    snprintf(text, sizeof text, "15/%c%c%c/2024:06:07:08 +0000", base + a, base + b, base + c);
                    as_time t;
                    if (psr_clf_time(as_slice_cstr(text), &t) == AS_OK) {
                        accepted++;
                        assert_int_equal(as_month_from_abbr(as_slice_make(text + 3, 3)) != 0, 1);
                    }
                }
    assert_int_equal(accepted, 24);
    static const char *const odd[] = { "J@N", "jaN\x80", "\x01\x02\x03", "Ja", "JAN2" };
    for (size_t i = 0; i < AS_ARRAY_LEN(odd); i++) {
        char text[40];
        snprintf(text, sizeof text, "15/%s/2024:06:07:08 +0000", odd[i]);
        as_time t;
        assert_int_equal(psr_clf_time(as_slice_cstr(text), &t), AS_ERR_BAD_TIME);
    }
}

static void test_psr_clf_time_values(void **state)
{
    guard *g = *state;
    static const struct {
        const char *text;
        const char *utc;  /* NULL: rejected */
        int offset;
    } k[] = {
        { "10/Oct/2000:13:55:36 -0700", "2000-10-10T20:55:36Z", -420 },
        { "01/Jan/1970:00:00:00 +0000", "1970-01-01T00:00:00Z", 0 },
        { "31/Dec/9999:23:59:59 +0000", "9999-12-31T23:59:59Z", 0 },
        { "01/Jan/0000:00:00:00 +0000", "0000-01-01T00:00:00Z", 0 },
        { "01/Jan/2020:00:00:00 +2359", "2019-12-31T00:01:00Z", 1439 },
        { "31/Dec/2019:23:59:59 -2359", "2020-01-01T23:58:59Z", -1439 },
        { "10/Oct/2000:13:55:36.5 +0000", "2000-10-10T13:55:36.500Z", 0 },
        { "10/Oct/2000:13:55:36.123456789 +0000", "2000-10-10T13:55:36.123456789Z", 0 },
        { "29/Feb/2000:12:00:00 +0000", "2000-02-29T12:00:00Z", 0 },
        { "29/Feb/1900:12:00:00 +0000", NULL, 0 },
        { "31/Apr/2020:12:00:00 +0000", NULL, 0 },
        { "10/Oct/2000:13:55:36 +2400", NULL, 0 },
        { "10/Oct/2000:13:55:36 -0700 ", NULL, 0 },  /* nothing after the offset */
        { "10/Oct/2000:13:55:36 -070", NULL, 0 },
        { "10/Oct/2000 13:55:36 -0700", NULL, 0 },
        { "10-Oct-2000:13:55:36 -0700", NULL, 0 },
        { "", NULL, 0 },
        { "10/Oct/2000:13:55:36.1234567890 -0700", NULL, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        size_t len = strlen(k[i].text);
        const char *p = guard_put(g, k[i].text, len);
        assert_non_null(p);
        as_time t;
        as_code rc = psr_clf_time(as_slice_make(p, len), &t);
        if (k[i].utc == NULL) {
            if (rc != AS_ERR_BAD_TIME)
                fail_msg("\"%s\" accepted", k[i].text);
            continue;
        }
        if (rc != AS_OK)
            fail_msg("\"%s\" rejected", k[i].text);
        char tb[AS_TIME_RFC3339_MAX];
        if (strcmp(utc(t, tb), k[i].utc) != 0 || t.offset_min != k[i].offset)
            fail_msg("\"%s\": %s %d, expected %s %d", k[i].text, tb, t.offset_min, k[i].utc, k[i].offset);
    }
}

/* ---- escapes ---- */

static void test_psr_clf_unescape_table(void **state)
{
    guard *g = *state;
    static const struct {
        const char *raw;
        size_t      raw_len;  /* 0: strlen */
        const char *want;
        size_t      want_len;
    } k[] = {
        { "plain", 0, "plain", 5 },
        { "", 0, "", 0 },
        { "a\\\"b", 0, "a\"b", 3 },
        { "a\\\\b", 0, "a\\b", 3 },
        { "\\n\\t\\r\\b\\v\\f", 0, "\n\t\r\b\v\f", 6 },
        { "\\x16\\x03\\x01", 0, "\x16\x03\x01", 3 },
        { "\\xe4\\xE5\\xFf", 0, "\xe4\xe5\xff", 3 },
        { "\\x00", 0, "\0", 1 },
        { "\\x4", 0, "\\x4", 3 },           /* too short: kept */
        { "\\xg0", 0, "\\xg0", 4 },         /* not hex: kept */
        { "\\q", 0, "\\q", 2 },             /* unknown: kept */
        { "end\\", 0, "end\\", 4 },         /* lone trailing backslash: kept */
        { "\\\\\\\"", 0, "\\\"", 2 },       /* \\ then \" */
        { "\\\\x41", 0, "\\x41", 4 },       /* an escaped backslash, then plain text */
        { "say \\x22hi\\x22", 0, "say \"hi\"", 8 },
    };
    as_buf b = AS_BUF_INIT;
    as_arena ar;
    as_arena_init(&ar, 0);
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        size_t rl = k[i].raw_len ? k[i].raw_len : strlen(k[i].raw);
        const char *p = guard_put(g, k[i].raw, rl);
        assert_non_null(p);
        as_slice raw = as_slice_make(p, rl);
        /* into a buffer (appending) */
        as_buf_clear(&b);
        assert_int_equal(as_buf_append_cstr(&b, ">"), 0);
        assert_int_equal(psr_clf_unescape(raw, &b), AS_OK);
        if (b.len != k[i].want_len + 1 || memcmp(b.data + 1, k[i].want, k[i].want_len) != 0)
            fail_msg("unescape \"%s\": got %zu bytes", k[i].raw, b.len - 1);
        assert_int_equal(b.data[b.len], '\0');
        /* into an arena view */
        as_slice v;
        assert_int_equal(psr_clf_unescape_view(raw, &ar, &v), AS_OK);
        assert_int_equal(v.len, k[i].want_len);
        assert_true(v.len == 0 || memcmp(v.ptr, k[i].want, v.len) == 0);
        /* in place */
        char tmp[64];
        memcpy(tmp, k[i].raw, rl);
        size_t n = psr_clf_unescape_to(as_slice_make(tmp, rl), tmp);
        assert_int_equal(n, k[i].want_len);
        assert_true(n == 0 || memcmp(tmp, k[i].want, n) == 0);
    }
    as_arena_fini(&ar);
    as_buf_fini(&b);
}

static void test_psr_clf_unescape_view_borrows_when_nothing_to_decode(void **state)
{
    (void)state;
    as_arena ar;
    as_arena_init(&ar, 0);
    as_slice raw = AS_SLICE_LIT("Mozilla/5.0 (X11; Linux x86_64)"), v;
    assert_int_equal(psr_clf_unescape_view(raw, &ar, &v), AS_OK);
    assert_ptr_equal(v.ptr, raw.ptr);
    assert_int_equal(v.len, raw.len);
    assert_int_equal(ar.used, 0);
    as_arena_fini(&ar);
}

static void test_psr_clf_unescape_oom(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    as_alloc_fail_after(1);
    assert_int_equal(psr_clf_unescape(AS_SLICE_LIT("a\\x41"), &b), AS_ERR_NOMEM);
    assert_int_equal(b.len, 0);
    as_alloc_fail_after(0);
    as_arena ar;
    as_arena_init(&ar, 0);
    as_slice v;
    as_alloc_fail_after(1);
    assert_int_equal(psr_clf_unescape_view(AS_SLICE_LIT("a\\x41"), &ar, &v), AS_ERR_NOMEM);
    as_alloc_fail_after(0);
    assert_int_equal(psr_clf_unescape_view(AS_SLICE_LIT("a\\x41"), &ar, &v), AS_OK);
    assert_true(as_slice_eq_cstr(v, "aA"));
    as_arena_fini(&ar);
    as_buf_fini(&b);
}

/* ---- client lists ---- */

static void test_psr_clf_client_next_walks_lists(void **state)
{
    (void)state;
    static const struct {
        const char *client;
        const char *addrs[5];
    } k[] = {
        { "1.2.3.4", { "1.2.3.4" } },
        { "::1", { "::1" } },
        { "unix:", { "unix:" } },
        { "10.0.0.2, 10.0.0.1, 127.0.0.1", { "10.0.0.2", "10.0.0.1", "127.0.0.1" } },
        { "\"10.5.102.222, 199.96.1.1, 204.246.1.1\" 10.2.1.185",
          { "10.5.102.222", "199.96.1.1", "204.246.1.1", "10.2.1.185" } },
        { "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121",
          { "2a03:0000:10ff:f00f:0000:0000:0:8000", "10.225.192.17", "10.2.2.121" } },
        { "localhost,localhost", { "localhost", "localhost" } },
        { "", { NULL } },
        { " , \"\" ", { NULL } },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        as_slice rest = as_slice_cstr(k[i].client), a;
        size_t n = 0;
        while (psr_clf_client_next(&rest, &a)) {
            if (n >= 5 || k[i].addrs[n] == NULL)
                fail_msg("\"%s\": too many addresses", k[i].client);
            expect_slice(k[i].client, "address", a, k[i].addrs[n]);
            n++;
        }
        if (n < 5 && k[i].addrs[n] != NULL)
            fail_msg("\"%s\": %zu addresses, expected more", k[i].client, n);
        assert_int_equal(rest.len, 0);
    }
}

/* ---- real samples (tests/data/real/, attributed in each folder's README.md) ---- */

/* Reads a whole file into b; fails the test when it cannot. */
static void read_file(const char *path, as_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (run the tests from the repository root)", path);
    char chunk[4096];
    size_t n;
    as_buf_clear(b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(as_buf_append(b, chunk, n), 0);
    fclose(f);
}

/* The line-th line (1-based) of b, without its LF; ptr NULL when none. */
static as_slice nth_line(const as_buf *b, size_t line)
{
    const char *p = b->data, *end = b->data + b->len;
    for (size_t i = 1; p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (i == line)
            return as_slice_from(p, e);
        p = nl ? nl + 1 : end;
    }
    return (as_slice){ NULL, 0 };
}

typedef struct clf_real_case {
    const char *file;       /* under tests/data/real/elastic-beats/ */
    unsigned    line;
    const char *vhost, *client, *ident, *user, *time;
    int         offset;
    const char *request;
    unsigned    status;
    int64_t     bytes;
    const char *referer;
    const char *user_agent, *extra;
    unsigned    variant;
} clf_real_case;

/* Every access line of the Filebeat fixtures, field by field, checked by hand
 * against the files (client lists also against Filebeat's own
 * nginx/access/test/test.log-expected.json: same addresses, same order). */
static const clf_real_case k_beats[] = {
    { "apache_access/darwin-2.4.23.log", 1,
      "", "::1", "-", "-", "2016-12-26T14:16:28Z", 120,
      "GET / HTTP/1.1", 200, 45,
      "",
      "", "",
      V_IU | PSR_CLF_SPLIT },
    { "apache_access/darwin-2.4.23.log", 2,
      "", "::1", "-", "-", "2016-12-26T14:16:29Z", 120,
      "GET /favicon.ico HTTP/1.1", 404, 209,
      "",
      "", "",
      V_IU | PSR_CLF_SPLIT },
    { "apache_access/darwin-2.4.23.log", 3,
      "", "::1", "-", "-", "2016-12-26T14:16:48Z", 120,
      "-", 408, -1,
      "",
      "", "",
      V_IU },
    { "apache_access/darwin-2.4.23.log", 4,
      "", "77.179.66.156", "-", "-", "2016-12-26T16:23:35Z", 120,
      "GET / HTTP/1.1", 200, 45,
      "",
      "", "",
      V_IU | PSR_CLF_SPLIT },
    { "apache_access/darwin-2.4.23.log", 5,
      "", "77.179.66.156", "-", "-", "2016-12-26T16:23:41Z", 120,
      "GET /notfound HTTP/1.1", 404, 206,
      "",
      "", "",
      V_IU | PSR_CLF_SPLIT },
    { "apache_access/darwin-2.4.23.log", 6,
      "", "77.179.66.156", "-", "-", "2016-12-26T16:23:45Z", 120,
      "GET /hmm HTTP/1.1", 404, 201,
      "",
      "", "",
      V_IU | PSR_CLF_SPLIT },
    { "apache_access/ssl-request.log", 1,
      "", "172.30.0.119", "", "", "2018-08-10T07:45:56Z", 120,
      "GET /nagiosxi/ajaxhelper.php?cmd=getxicoreajax&amp;opts=%7B%22func%22%3A%22get_admin_tasks_html%22%2C%22args%22%3A%22%22%7D&amp;nsp=b5c7d5d4b6f7d0cf0c92f9cbdf737f6a5c838218425e6ae21 HTTP/1.1", 0, 1375,
      "",
      "", "",
      PSR_CLF_SSL_REQUEST | PSR_CLF_SPLIT },
    { "apache_access/ssl-request.log", 2,
      "", "81.2.69.143", "", "", "2019-10-16T09:53:47Z", 120,
      "GET /appl/ajaxhelper.php?cmd=getxicoreajax&opts=%7B%22func%22%3A%22get_pagetop_alert_content_html%22%2C%22args%22%3A%22%22%7D&nsp=c2700eab9797eda8a9f65a3ab17a6adbceccd60a6cca7708650a5923950d HTTP/1.1", 0, -1,
      "",
      "", "",
      PSR_CLF_SSL_REQUEST | PSR_CLF_SPLIT },
    { "apache_access/test-vhost.log", 1,
      "vhost1.domaine.fr", "123.123.123.123", "-", "-", "2019-07-04T07:20:46Z", 120,
      "GET / HTTP/1.1", 200, 32953,
      "-",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.  3770.100 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_SPLIT },
    { "apache_access/test.log", 1,
      "", "::1", "-", "-", "2016-12-26T14:16:29Z", 120,
      "GET /favicon.ico HTTP/1.1", 404, 209,
      "",
      "", "",
      V_IU | PSR_CLF_SPLIT },
    { "apache_access/test.log", 2,
      "", "192.168.33.1", "-", "-", "2016-12-26T16:22:13Z", 0,
      "GET /hello HTTP/1.1", 404, 499,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:50.0) Gecko/20100101 Firefox/50.0", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "apache_access/test.log", 3,
      "", "::1", "-", "-", "2016-12-26T14:16:48Z", 120,
      "-", 408, -1,
      "",
      "", "",
      V_IU },
    { "apache_access/test.log", 4,
      "", "172.17.0.1", "-", "-", "2017-05-29T19:02:48Z", 0,
      "GET /stringpatch HTTP/1.1", 404, 612,
      "-",
      "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2", "\"-\"",
      V_IU | V_COMB | PSR_CLF_EXTRA | PSR_CLF_SPLIT },
    { "apache_access/test.log", 5,
      "", "monitoring-server", "-", "-", "2017-05-29T19:02:48Z", 0,
      "GET /status HTTP/1.1", 200, 612,
      "-",
      "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2", "\"-\"",
      V_IU | V_COMB | PSR_CLF_EXTRA | PSR_CLF_SPLIT },
    { "apache_access/test.log", 6,
      "", "127.0.0.1", "-", "-", "2019-02-02T04:38:45Z", 60,
      "-", 408, 152,
      "-",
      "-", "",
      V_IU | V_COMB },
    { "apache_access/test.log", 7,
      "vhost1.domaine.fr", "123.123.123.123", "-", "-", "2019-07-04T07:20:46Z", 120,
      "GET / HTTP/1.1", 200, 32953,
      "-",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.100 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 1,
      "", "77.179.66.156", "-", "-", "2016-10-25T12:49:33Z", 120,
      "GET / HTTP/1.1", 200, 612,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.59 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 2,
      "", "77.179.66.156", "-", "-", "2016-10-25T12:49:34Z", 120,
      "GET /favicon.ico HTTP/1.1", 404, 571,
      "http://localhost:8080/",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.59 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 3,
      "", "77.179.66.156", "-", "-", "2016-10-25T12:50:44Z", 120,
      "GET /adsasd HTTP/1.1", 404, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.59 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 4,
      "", "77.179.66.156", "-", "-", "2016-12-07T09:34:43Z", 60,
      "GET / HTTP/1.1", 200, 612,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.98 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 5,
      "", "77.179.66.156", "-", "-", "2016-12-07T09:34:43Z", 60,
      "GET /favicon.ico HTTP/1.1", 404, 571,
      "http://localhost:8080/",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.98 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 6,
      "", "77.179.66.156", "-", "-", "2016-12-07T09:43:18Z", 60,
      "GET /test HTTP/1.1", 404, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.98 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 7,
      "", "77.179.66.156", "-", "-", "2016-12-07T09:43:21Z", 60,
      "GET /test HTTP/1.1", 404, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.98 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 8,
      "", "77.179.66.156", "-", "-", "2016-12-07T09:43:23Z", 60,
      "GET /test1 HTTP/1.1", 404, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.98 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 9,
      "", "127.0.0.1", "-", "-", "2016-12-07T10:04:37Z", 60,
      "GET /test1 HTTP/1.1", 404, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.98 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 10,
      "", "127.0.0.1", "-", "-", "2016-12-07T10:04:58Z", 60,
      "GET / HTTP/1.1", 304, 0,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 11,
      "", "127.0.0.1", "-", "-", "2016-12-07T10:04:59Z", 60,
      "GET / HTTP/1.1", 304, 0,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 12,
      "", "127.0.0.1", "-", "-", "2016-12-07T10:05:07Z", 60,
      "GET /taga HTTP/1.1", 404, 169,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/access.log", 13,
      "lessons.example.com", "192.168.0.1", "-", "-", "2020-06-09T19:10:39Z", -420,
      "GET /A%20Beka%20G1%20Howe/029_AND_30/15%20reading%20elephants.mp4 HTTP/1.1", 206, 7648063,
      "http://lessons.example.com/A%20Beka%20G1%20Howe/029_AND_30/15%20reading%20elephants.mp4",
      "Mozilla/5.0 (Linux; Android 5.1.1; KFFOWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/81.2.16 like Chrome/81.0.4044.138 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 1,
      "example.com", "10.0.0.2, 10.0.0.1, 127.0.0.1", "-", "-", "2016-12-07T10:05:07Z", 60,
      "GET /ocelot HTTP/1.1", 200, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 2,
      "example.com", "172.17.0.1", "-", "-", "2017-05-29T19:02:48Z", 0,
      "GET /stringpatch HTTP/1.1", 404, 612,
      "-",
      "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2", "\"-\"",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_EXTRA | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 3,
      "example.com", "10.0.0.2, 10.0.0.1, 81.2.69.143", "-", "-", "2016-12-07T10:05:07Z", 60,
      "GET /ocelot HTTP/1.1", 200, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 4,
      "example.com:80", "81.2.69.143", "-", "-", "2016-12-07T10:05:07Z", 60,
      "GET /ocelot HTTP/1.1", 200, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 5,
      "example.com:80", "\"10.5.102.222, 175.16.199.1, 204.246.1.1\" 10.2.1.185", "-", "-", "2016-01-22T13:18:29Z", 0,
      "GET /assets/xxxx?q=100 HTTP/1.1", 200, 25507,
      "-",
      "Amazon CloudFront", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_QUOTED_CLIENT | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 6,
      "1.128.3.4", "2a02:cf40:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121", "-", "-", "2016-12-30T06:47:09Z", 0,
      "GET /test.html HTTP/1.1", 404, 8571,
      "-",
      "Mozilla/5.0 (compatible; Facebot 1.0; https://developers.facebook.com/docs/sharing/webmasters/crawler)", "",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 7,
      "1.128.3.4:80", "127.0.0.1", "-", "-", "2018-04-12T07:48:40Z", 120,
      "", 400, 0,
      "-",
      "-", "",
      V_IU | V_COMB | PSR_CLF_VHOST },
    { "nginx_access/test-with-host.log", 8,
      "example.com:80", "unix:", "-", "-", "2019-02-26T14:39:42Z", 60,
      "hello", 400, 173,
      "-",
      "-", "",
      V_IU | V_COMB | PSR_CLF_VHOST },
    { "nginx_access/test-with-host.log", 9,
      "1.128.3.4", "localhost", "-", "-", "2017-05-29T19:02:48Z", 0,
      "GET /test2 HTTP/1.1", 200, 612,
      "-",
      "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2", "\"-\"",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_EXTRA | PSR_CLF_SPLIT },
    { "nginx_access/test-with-host.log", 10,
      "example.com", "localhost, localhost", "-", "-", "2017-05-29T19:02:48Z", 0,
      "GET /test2 HTTP/1.1", 200, 612,
      "-",
      "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2", "\"-\"",
      V_IU | V_COMB | PSR_CLF_VHOST | PSR_CLF_EXTRA | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test.log", 1,
      "", "10.0.0.2, 10.0.0.1, 127.0.0.1", "-", "-", "2016-12-07T10:05:07Z", 60,
      "GET /ocelot HTTP/1.1", 200, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0", "",
      V_IU | V_COMB | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test.log", 2,
      "", "172.17.0.1", "-", "-", "2017-05-29T19:02:48Z", 0,
      "GET /stringpatch HTTP/1.1", 404, 612,
      "-",
      "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2", "\"-\"",
      V_IU | V_COMB | PSR_CLF_EXTRA | PSR_CLF_SPLIT },
    { "nginx_access/test.log", 3,
      "", "10.0.0.2, 10.0.0.1, 85.181.35.98", "-", "-", "2016-12-07T10:05:07Z", 60,
      "GET /ocelot HTTP/1.1", 200, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0", "",
      V_IU | V_COMB | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test.log", 4,
      "", "85.181.35.98", "-", "-", "2016-12-07T10:05:07Z", 60,
      "GET /ocelot HTTP/1.1", 200, 571,
      "-",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36", "",
      V_IU | V_COMB | PSR_CLF_SPLIT },
    { "nginx_access/test.log", 5,
      "", "\"10.5.102.222, 199.96.1.1, 204.246.1.1\" 10.2.1.185", "-", "-", "2016-01-22T13:18:29Z", 0,
      "GET /assets/xxxx?q=100 HTTP/1.1", 200, 25507,
      "-",
      "Amazon CloudFront", "",
      V_IU | V_COMB | PSR_CLF_QUOTED_CLIENT | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test.log", 6,
      "", "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121", "-", "-", "2016-12-30T06:47:09Z", 0,
      "GET /test.html HTTP/1.1", 404, 8571,
      "-",
      "Mozilla/5.0 (compatible; Facebot 1.0; https://developers.facebook.com/docs/sharing/webmasters/crawler)", "",
      V_IU | V_COMB | PSR_CLF_CLIENT_LIST | PSR_CLF_SPLIT },
    { "nginx_access/test.log", 7,
      "", "127.0.0.1", "-", "-", "2018-04-12T07:48:40Z", 120,
      "", 400, 0,
      "-",
      "-", "",
      V_IU | V_COMB },
};

static void test_psr_clf_real_filebeat_fixtures(void **state)
{
    guard *g = *state;
    as_buf b = AS_BUF_INIT;
    const char *loaded = NULL;
    size_t per_file[8] = { 0 }, n_files = 0;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_beats); i++) {
        const clf_real_case *k = &k_beats[i];
        char path[256];
        snprintf(path, sizeof path, "tests/data/real/elastic-beats/%s", k->file);
        if (loaded == NULL || strcmp(loaded, k->file) != 0) {
            read_file(path, &b);
            loaded = k->file;
            n_files++;
        }
        per_file[n_files - 1]++;
        as_slice l = nth_line(&b, k->line);
        assert_non_null(l.ptr);
        char ctx[300];
        snprintf(ctx, sizeof ctx, "%s:%u", path, k->line);
        const char *p;
        psr_clf c;
        uint64_t col = 0;
        as_code rc = scan_guarded(g, l.ptr, l.len, &p, &c, &col);
        if (rc != AS_OK)
            fail_msg("%s: %s at column %llu", ctx, as_err_name(rc), (unsigned long long)col);
        expect_all_inside(ctx, &c, p, l.len);
        expect_same_scan(ctx, p, l.len);
        char tb[AS_TIME_RFC3339_MAX];
        expect_slice(ctx, "vhost", c.vhost, k->vhost);
        expect_slice(ctx, "client", c.client, k->client);
        expect_slice(ctx, "ident", c.ident, k->ident);
        expect_slice(ctx, "user", c.user, k->user);
        if (strcmp(utc(c.time, tb), k->time) != 0 || c.time.offset_min != k->offset)
            fail_msg("%s: time %s %d, expected %s %d", ctx, tb, c.time.offset_min, k->time, k->offset);
        expect_slice(ctx, "request", c.request, k->request);
        if (c.status != k->status || c.bytes != k->bytes)
            fail_msg("%s: status %u bytes %lld", ctx, (unsigned)c.status, (long long)c.bytes);
        expect_slice(ctx, "referer", c.referer, k->referer);
        expect_slice(ctx, "user_agent", c.user_agent, k->user_agent);
        expect_slice(ctx, "extra", c.extra, k->extra);
        if (c.variant != k->variant)
            fail_msg("%s: variant %#x, expected %#x", ctx, c.variant, k->variant);
    }
    /* the table covers every line of every file */
    assert_int_equal(n_files, 7);
    static const size_t lines_per_file[7] = { 6, 2, 1, 7, 13, 10, 7 };
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(per_file[i], lines_per_file[i]);
    as_buf_fini(&b);
}

static void test_psr_clf_real_ssl_request_log(void **state)
{
    (void)state;
    as_buf b = AS_BUF_INIT;
    read_file("tests/data/real/elastic-beats/apache_access/ssl-request.log", &b);
    psr_clf c;
    uint64_t col;
    assert_int_equal(psr_clf_scan(nth_line(&b, 1), &c, &col), AS_OK);
    expect_slice("ssl-request.log:1", "tls_protocol", c.tls_protocol, "TLSv1.2");
    expect_slice("ssl-request.log:1", "tls_cipher", c.tls_cipher, "ECDHE-RSA-AES128-GCM-SHA256");
    expect_slice("ssl-request.log:1", "method", c.method, "GET");
    expect_slice("ssl-request.log:1", "protocol", c.protocol, "HTTP/1.1");
    assert_int_equal(psr_clf_scan(nth_line(&b, 2), &c, &col), AS_OK);
    expect_slice("ssl-request.log:2", "client", c.client, "81.2.69.143");
    assert_int_equal(c.bytes, -1);
    as_buf_fini(&b);
}

/* The excerpt's lines, as ranges of the original file (README.md beside it). */
static const struct { unsigned first, last; } k_excerpt_ranges[] = {
    { 1, 50 }, { 3027, 3031 }, { 4026, 4036 }, { 4188, 4196 }, { 5846, 5862 },
    { 6000, 6019 }, { 7200, 7210 }, { 8893, 8903 }, { 9060, 9068 }, { 9946, 10000 },
};

/* The 14 malformed lines of apache_logs (docs/domain.md 4.3), where and why. */
static const struct { unsigned line; uint64_t col; } k_excerpt_bad[] = {
    { 4031, 46 }, { 4192, 46 },                 /* `+0000]"`: no space after the time */
    { 8897, 49 }, { 8898, 49 }, { 8899, 49 },   /* `] (X11; U; ) ...`: no quoted request */
    { 9064, 46 },
    { 9952, 46 }, { 9953, 46 }, { 9954, 46 }, { 9955, 46 }, { 9956, 46 }, { 9957, 46 }, /* `+0000])"` */
    { 9996, 46 }, { 9997, 46 },
};

static void test_psr_clf_real_apache_logs_excerpt(void **state)
{
    guard *g = *state;
    as_buf b = AS_BUF_INIT;
    read_file("tests/data/real/elastic-apache/apache_logs.excerpt", &b);
    const int64_t first = 1431857100, last = 1432155959; /* 2015-05-17T10:05:00Z .. 2015-05-20T21:05:59Z */
    size_t n = 0, n_ok = 0, n_bad = 0, r = 0;
    unsigned orig = k_excerpt_ranges[0].first;
    const char *p = b.data, *end = b.data + b.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);                        /* every line ends in LF */
        as_slice l = as_slice_from(p, nl);
        p = nl + 1;
        n++;
        char ctx[64];
        snprintf(ctx, sizeof ctx, "apache_logs:%u", orig);
        const char *q;
        psr_clf c;
        uint64_t col = 0;
        as_code rc = scan_guarded(g, l.ptr, l.len, &q, &c, &col);
        int want_bad = 0;
        uint64_t want_col = 0;
        for (size_t i = 0; i < AS_ARRAY_LEN(k_excerpt_bad); i++)
            if (k_excerpt_bad[i].line == orig) {
                want_bad = 1;
                want_col = k_excerpt_bad[i].col;
            }
        expect_same_scan(ctx, q, l.len);
        if (want_bad) {
            n_bad++;
            if (rc != AS_ERR_SYNTAX || col != want_col)
                fail_msg("%s: %s at column %llu, expected syntax at %llu", ctx, as_err_name(rc),
                         (unsigned long long)col, (unsigned long long)want_col);
        } else {
            n_ok++;
            if (rc != AS_OK)
                fail_msg("%s: %s at column %llu", ctx, as_err_name(rc), (unsigned long long)col);
            expect_all_inside(ctx, &c, q, l.len);
            /* what holds for every good line of this file (docs/domain.md 4.3) */
            if (c.variant != (V_STD | V_COMB))
                fail_msg("%s: variant %#x", ctx, c.variant);
            if (c.time.sec < first || c.time.sec > last || c.time.offset_min != 0 || (c.time.sec / 60) % 60 != 5)
                fail_msg("%s: time %lld outside the file's span or not at minute 05", ctx, (long long)c.time.sec);
            if (c.status < 200 || c.status > 500 || c.client.len < 7 || !as_slice_eq_cstr(c.ident, "-") ||
                !as_slice_eq_cstr(c.user, "-") || c.user_agent.len == 0 || c.bytes < -1)
                fail_msg("%s: implausible fields", ctx);
            /* the split request is the raw request */
            if (c.method.len + 1 + c.path.len + 1 + c.protocol.len != c.request.len ||
                c.method.ptr != c.request.ptr)
                fail_msg("%s: split does not cover the request", ctx);
        }
        if (orig == 1) {    /* the first line, field by field */
            expect_slice(ctx, "client", c.client, "83.149.9.216");
            expect_slice(ctx, "path", c.path, "/presentations/logstash-monitorama-2013/images/kibana-search.png");
            assert_int_equal(c.status, 200);
            assert_int_equal(c.bytes, 203023);
            assert_int_equal(c.time.sec, 1431857103);     /* 2015-05-17T10:05:03Z */
        }
        if (orig == 5851) { /* \xNN in the referer decodes to the bytes the client sent */
            as_buf u = AS_BUF_INIT;
            assert_int_equal(psr_clf_unescape(c.referer, &u), AS_OK);
            assert_string_equal(u.data, "http://\xe4\xe5\xe3\xf2\xff\xf0\xed\xee\xe5-\xec\xfb\xeb\xee.\xf0\xf4/");
            as_buf_fini(&u);
        }
        if (orig == 3029)   /* the longest line, 1,363 bytes */
            assert_int_equal(l.len, 1363);
        if (orig == k_excerpt_ranges[r].last && r + 1 < AS_ARRAY_LEN(k_excerpt_ranges))
            orig = k_excerpt_ranges[++r].first;
        else
            orig++;
    }
    assert_int_equal(n, 198);
    assert_int_equal(n_bad, 14);
    assert_int_equal(n_ok, 184);
    assert_int_equal(orig, 10001);
    as_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_clf_scan_valid_records),
        cmocka_unit_test(test_psr_clf_scan_malformed_records),
        cmocka_unit_test(test_psr_clf_scan_err_col_may_be_null),
        cmocka_unit_test(test_psr_clf_scan_vector_and_scalar_agree),
        cmocka_unit_test(test_psr_clf_scan_prefixes_never_overread),
        cmocka_unit_test(test_psr_clf_time_every_month_in_every_case),
        cmocka_unit_test(test_psr_clf_time_rejects_every_other_name),
        cmocka_unit_test(test_psr_clf_time_values),
        cmocka_unit_test(test_psr_clf_unescape_table),
        cmocka_unit_test(test_psr_clf_unescape_view_borrows_when_nothing_to_decode),
        cmocka_unit_test_teardown(test_psr_clf_unescape_oom, hook_off),
        cmocka_unit_test(test_psr_clf_client_next_walks_lists),
        cmocka_unit_test(test_psr_clf_real_filebeat_fixtures),
        cmocka_unit_test(test_psr_clf_real_ssl_request_log),
        cmocka_unit_test(test_psr_clf_real_apache_logs_excerpt),
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
