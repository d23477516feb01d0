/* fuzz_clf.c: libFuzzer target for parsers/psr_clf (the access-log tokenizer).
 *
 * Scans the input as one record and checks what must hold for every input,
 * aborting on a violation so libFuzzer (or the replay runner of `make test`)
 * reports it:
 *   - an error carries a known code and a column in 1 .. len + 1;
 *   - an accepted record is covered exactly: walking the input from its first
 *     byte, every field starts where the previous separator ended and the
 *     separators are exactly the format's (single spaces, brackets, quotes),
 *     up to trailing blanks; no byte is skipped, no slice leaves the input;
 *   - the flags agree with the fields (COMBINED = referer + user agent, VHOST
 *     = a vhost, SPLIT = method SP path SP protocol = request, ...);
 *   - status and bytes are in range and are what the input says;
 *   - time_text parses alone (psr_clf_time) to the same instant;
 *   - unescaping request, referer and user agent never grows them, and the
 *     buffer, arena and in-place forms agree; client lists walk to the end
 *     with every address inside the client;
 *   - the same record with a trailing space and CR scans to the same fields;
 *   - psr_clf_scan_scalar (no SSE2) gives the same code, column and fields.
 * Seeds: tests/fuzz/corpus/fuzz_clf/; kept crashers: tests/fuzz/regress/fuzz_clf/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort, malloc, free */
#include <string.h>  /* memcmp, memcpy */

#include "core/as.h"
#include "parsers/psr_clf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

/* A cursor over the accepted record. */
typedef struct walk {
    const char *p, *end;
} walk;

static void expect_lit(walk *w, const char *lit)
{
    size_t n = strlen(lit);
    FUZZ_CHECK((size_t)(w->end - w->p) >= n && memcmp(w->p, lit, n) == 0);
    w->p += n;
}

/* The field starts at the cursor; the cursor moves past it. */
static void expect_field(walk *w, as_slice s)
{
    FUZZ_CHECK(s.len == 0 || s.ptr == w->p);
    FUZZ_CHECK((size_t)(w->end - w->p) >= s.len);
    w->p += s.len;
}

/* A quoted field: `"` field `"`, the closing quote unescaped. */
static void expect_quoted(walk *w, as_slice s)
{
    expect_lit(w, "\"");
    expect_field(w, s);
    size_t bs = 0;
    while (bs < s.len && s.ptr[s.len - 1 - bs] == '\\')
        bs++;
    FUZZ_CHECK(bs % 2 == 0);
    expect_lit(w, "\"");
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void check_numbers(walk *w, const psr_clf *c)
{
    if (!(c->variant & PSR_CLF_SSL_REQUEST)) {
        FUZZ_CHECK(c->status >= 100 && c->status <= 599);
        FUZZ_CHECK(w->end - w->p >= 3 && is_digit(w->p[0]) && is_digit(w->p[1]) && is_digit(w->p[2]));
        FUZZ_CHECK((unsigned)((w->p[0] - '0') * 100 + (w->p[1] - '0') * 10 + (w->p[2] - '0')) == c->status);
        w->p += 3;
        expect_lit(w, " ");
    } else {
        FUZZ_CHECK(c->status == 0);
    }
    if (c->bytes == -1) {
        expect_lit(w, "-");
    } else {
        FUZZ_CHECK(c->bytes >= 0);
        int64_t v = 0;
        const char *t = w->p;
        while (w->p < w->end && is_digit(*w->p))
            v = v * 10 + (*w->p++ - '0');   /* cannot overflow: the parser accepted it */
        FUZZ_CHECK(w->p > t && v == c->bytes);
    }
}

static void check_cover(as_slice in, const psr_clf *c)
{
    walk w = { in.ptr, in.ptr + in.len };
    while (w.end > w.p && (w.end[-1] == ' ' || w.end[-1] == '\r'))
        w.end--;
    if (c->variant & PSR_CLF_SSL_REQUEST) {
        expect_lit(&w, "[");
        expect_field(&w, c->time_text);
        expect_lit(&w, "] ");
        expect_field(&w, c->client);
        expect_lit(&w, " ");
        expect_field(&w, c->tls_protocol);
        expect_lit(&w, " ");
        expect_field(&w, c->tls_cipher);
        expect_lit(&w, " ");
        FUZZ_CHECK(c->client.len && c->tls_protocol.len && c->tls_cipher.len);
    } else {
        if (c->variant & PSR_CLF_VHOST) {
            expect_field(&w, c->vhost);
            expect_lit(&w, " ");
        }
        /* a wholly quoted client lost its quotes */
        int q = (c->variant & PSR_CLF_QUOTED_CLIENT) && c->client.ptr > in.ptr && c->client.ptr[-1] == '"' &&
                c->client.ptr - 1 == w.p;
        if (q)
            expect_lit(&w, "\"");
        FUZZ_CHECK(c->client.len > 0 || q);
        expect_field(&w, c->client);
        if (q)
            expect_lit(&w, "\"");
        expect_lit(&w, " ");
        if (c->variant & PSR_CLF_HAS_IDENT) {
            FUZZ_CHECK(c->ident.len > 0);
            expect_field(&w, c->ident);
            expect_lit(&w, " ");
        }
        if (c->variant & PSR_CLF_HAS_USER) {
            FUZZ_CHECK(c->user.len > 0);
            expect_field(&w, c->user);
            expect_lit(&w, " ");
        }
        expect_lit(&w, "[");
        expect_field(&w, c->time_text);
        expect_lit(&w, "] ");
    }
    expect_quoted(&w, c->request);
    expect_lit(&w, " ");
    check_numbers(&w, c);
    if (c->variant & PSR_CLF_HAS_REFERER) {
        expect_lit(&w, " ");
        expect_quoted(&w, c->referer);
        if (c->variant & PSR_CLF_HAS_USER_AGENT) {
            expect_lit(&w, " ");
            expect_quoted(&w, c->user_agent);
        }
    }
    if (c->variant & PSR_CLF_EXTRA) {
        expect_lit(&w, " ");
        FUZZ_CHECK(c->extra.len > 0 && c->extra.ptr + c->extra.len == w.end);
        expect_field(&w, c->extra);
    }
    FUZZ_CHECK(w.p == w.end);
}

static void check_flags(const psr_clf *c)
{
    unsigned v = c->variant;
    FUZZ_CHECK(!!(v & PSR_CLF_COMBINED) == ((v & PSR_CLF_HAS_REFERER) && (v & PSR_CLF_HAS_USER_AGENT)));
    FUZZ_CHECK(!(v & PSR_CLF_HAS_USER_AGENT) || (v & PSR_CLF_HAS_REFERER));
    FUZZ_CHECK(!!(v & PSR_CLF_VHOST) == (c->vhost.len > 0));
    FUZZ_CHECK(!!(v & PSR_CLF_EXTRA) == (c->extra.len > 0));
    FUZZ_CHECK(!(v & PSR_CLF_HAS_IDENT) || (v & PSR_CLF_HAS_USER));
    FUZZ_CHECK(!(v & PSR_CLF_SSL_REQUEST) || !(v & (PSR_CLF_HAS_IDENT | PSR_CLF_VHOST)));
    FUZZ_CHECK(!!(v & PSR_CLF_SSL_REQUEST) == (c->tls_protocol.len > 0));
    if (v & PSR_CLF_SPLIT) {
        as_slice r = c->request;
        FUZZ_CHECK(c->method.len && c->path.len && c->protocol.len >= 6);
        FUZZ_CHECK(c->method.ptr == r.ptr && c->path.ptr == r.ptr + c->method.len + 1 &&
                   c->protocol.ptr == c->path.ptr + c->path.len + 1 &&
                   c->method.len + c->path.len + c->protocol.len + 2 == r.len);
        FUZZ_CHECK(r.ptr[c->method.len] == ' ' && c->path.ptr[c->path.len] == ' ');
        FUZZ_CHECK(memcmp(c->protocol.ptr, "HTTP/", 5) == 0);
    } else {
        FUZZ_CHECK(c->method.len == 0 && c->path.len == 0 && c->protocol.len == 0);
    }
}

static void check_time(const psr_clf *c)
{
    FUZZ_CHECK(as_time_is_valid(c->time));
    FUZZ_CHECK(c->time.offset_min >= -1439 && c->time.offset_min <= 1439);
    FUZZ_CHECK(c->time.nsec >= 0 && c->time.nsec < AS_NSEC_PER_SEC);
    as_time t;
    FUZZ_CHECK(psr_clf_time(c->time_text, &t) == AS_OK);
    FUZZ_CHECK(t.sec == c->time.sec && t.nsec == c->time.nsec && t.offset_min == c->time.offset_min);
}

static void check_unescape(as_slice raw, as_arena *ar)
{
    as_buf b = AS_BUF_INIT;
    FUZZ_CHECK(psr_clf_unescape(raw, &b) == AS_OK);
    FUZZ_CHECK(b.len <= raw.len);
    as_slice v;
    FUZZ_CHECK(psr_clf_unescape_view(raw, ar, &v) == AS_OK);
    FUZZ_CHECK(v.len == b.len && (v.len == 0 || memcmp(v.ptr, b.data, v.len) == 0));
    if (raw.len) {
        char *tmp = malloc(raw.len);
        FUZZ_CHECK(tmp != NULL);
        memcpy(tmp, raw.ptr, raw.len);
        size_t n = psr_clf_unescape_to(as_slice_make(tmp, raw.len), tmp);
        FUZZ_CHECK(n == b.len && (n == 0 || memcmp(tmp, b.data, n) == 0));
        free(tmp);
    }
    as_buf_fini(&b);
}

static void check_client_list(as_slice client)
{
    as_slice rest = client, a;
    size_t n = 0;
    while (psr_clf_client_next(&rest, &a)) {
        FUZZ_CHECK(a.len > 0 && a.ptr >= client.ptr && a.ptr + a.len <= client.ptr + client.len);
        FUZZ_CHECK(++n <= client.len);
    }
    FUZZ_CHECK(rest.len == 0);
}

/* Offsets of every field, for comparing two scans of copies. */
static int same_fields(const psr_clf *a, const char *ba, const psr_clf *b, const char *bb)
{
#define SAME(f) (a->f.len == b->f.len && (a->f.len == 0 || a->f.ptr - ba == b->f.ptr - bb))
    return SAME(vhost) && SAME(client) && SAME(ident) && SAME(user) && SAME(time_text) && SAME(request) &&
           SAME(method) && SAME(path) && SAME(protocol) && SAME(referer) && SAME(user_agent) &&
           SAME(tls_protocol) && SAME(tls_cipher) && SAME(extra) && a->status == b->status &&
           a->bytes == b->bytes && a->variant == b->variant && a->time.sec == b->time.sec &&
           a->time.nsec == b->time.nsec && a->time.offset_min == b->time.offset_min;
#undef SAME
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_slice in = as_slice_make((const char *)data, size);
    psr_clf c;
    uint64_t col = 0;
    as_code rc = psr_clf_scan(in, &c, &col);

    /* the vector and the scalar split of the text before the time agree */
    psr_clf s;
    uint64_t scol = 0;
    FUZZ_CHECK(psr_clf_scan_scalar(in, &s, &scol) == rc);
    FUZZ_CHECK(rc == AS_OK ? same_fields(&c, in.ptr, &s, in.ptr) : col == scol);
    if (rc != AS_OK) {
        FUZZ_CHECK(rc == AS_ERR_SYNTAX || rc == AS_ERR_BAD_TIME || rc == AS_ERR_BAD_VALUE);
        FUZZ_CHECK(col >= 1 && col <= size + 1);
        return 0;
    }
    check_cover(in, &c);
    check_flags(&c);
    check_time(&c);
    as_arena ar;
    as_arena_init(&ar, 0);
    check_unescape(c.request, &ar);
    check_unescape(c.referer, &ar);
    check_unescape(c.user_agent, &ar);
    as_arena_fini(&ar);
    check_client_list(c.client);

    /* trailing blanks change nothing */
    char *copy = malloc(size + 2);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, data, size);
    copy[size] = ' ';
    copy[size + 1] = '\r';
    psr_clf d;
    FUZZ_CHECK(psr_clf_scan(as_slice_make(copy, size + 2), &d, &col) == AS_OK);
    FUZZ_CHECK(same_fields(&c, (const char *)data, &d, copy));
    free(copy);
    return 0;
}
