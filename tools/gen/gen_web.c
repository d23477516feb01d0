/* gen_web.c: the web access-log generator (see gen_web.h).
 *
 * Planning (gen_web_add_jobs, one thread): builds the shared context: a
 * client pool (IPv4 and some IPv6) with Zipf popularity, per-vhost path
 * tables with Zipf popularity, the diurnal curves, and the number of lines
 * of every (vhost, day) file. The line count comes from the byte budget and
 * the vhost's mean line length, measured by generating a calibration sample
 * with the same code. Then one job per file writes its lines:
 *
 *   time    line i of n sits at position (i*W + u)/n of the day's cumulative
 *           minute weights W (u uniform in [0, W)), so times never decrease
 *           and the day's shape follows the vhost's curve;
 *   fields  client, path, status, bytes, referer, agent drawn per line and
 *           copied into the buffer with memcpy; the timestamp text is redone
 *           only when the second changes.
 *
 * Special files and lines are fixed by the period length (fractions of
 * `days`), so they exist for any period of at least GEN_MIN_DAYS days. */
#include "tools/gen/gen_web.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_fmt.h"

#define WEB_N_CLIENTS     30000  /* distinct clients in the pool */
#define WEB_IPV6_PERMILLE 60     /* share of IPv6 clients */
#define WEB_MIN_LINES     40     /* every file has at least this many lines */
#define WEB_CALIB_LINES   4000   /* lines generated to measure the mean length */
#define WEB_LINE_ROOM     4096   /* buffer room reserved per ordinary line */
#define WEB_LONG_PATH     (2u << 20) /* 2 MiB path of the too_long record */
#define WEB_MINUTES       1440

enum { V_WWW, V_API, V_ADMIN, V_N };
enum { K_PAGE, K_ASSET, K_BOT, K_LOGIN, K_API, K_HEALTH, K_ADMIN };
enum { M_GET, M_POST, M_PUT, M_DELETE, M_HEAD };

/* what a (vhost, day) file is */
enum {
    SP_NONE = 0,
    SP_MULTI_MEMBER,  /* gzip written as two members */
    SP_ZSTD_FRAMES,   /* zstd: skippable frame + two frames */
    SP_TRUNCATED,     /* gzip: one member + the first 4 bytes of another */
    SP_PLAIN,         /* forced plain (malformed or hostile lines inside) */
    SP_GAP,           /* no file at all this day */
};

/* planted lines */
enum { L_SYNTAX = 1, L_NUL, L_UTF8, L_TOO_LONG, L_HOSTILE_UA, L_HOSTILE_REF };

static const char *const k_method[] = { "GET", "POST", "PUT", "DELETE", "HEAD" };
static const char *const k_vhost[V_N] = { "www", "api", "admin" };
static const unsigned k_share[V_N] = { 550, 330, 120 }; /* per mille of the web budget */

static const char *const k_ua[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.100 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "okhttp/4.12.0",
    "Go-http-client/1.1",
    "axios/1.7.7",
    "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
    "ELB-HealthChecker/2.0",
};
#define UA_HEALTH 16
static const uint8_t k_ua_mix_www[] = { 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 6, 7, 8, 9, 15, 10 };
static const uint8_t k_ua_mix_api[] = { 11, 11, 12, 12, 13, 13, 14, 14, 10, 0, 1, 2, 3 };

static const char *const k_words[] = {
    "analytics", "dashboards", "soc2", "pipelines", "data", "warehouse", "realtime", "metrics",
    "retention", "cohort", "funnel", "sql", "python", "kafka", "scaling", "observability",
    "security", "compliance", "churn", "forecasting", "latency", "billing", "alerts", "export",
};
static const char *const k_www_pages[] = {
    "/", "/pricing", "/features", "/product/analytics", "/product/dashboards", "/product/integrations",
    "/customers", "/about", "/careers", "/contact", "/security", "/trust", "/legal/privacy", "/legal/terms",
    "/docs", "/blog", "/signup", "/demo", "/changelog", "/status", "/partners", "/webinars", "/press",
};
static const char *const k_doc_sections[] = {
    "getting-started", "api", "sdk", "integrations", "admin", "billing", "security",
};

/* status tables: cumulative per mille */
typedef struct status_p { uint16_t status, cum; } status_p;
static const status_p k_st_page[] = { { 200, 890 }, { 304, 930 }, { 301, 950 }, { 302, 960 }, { 404, 990 },
                                      { 403, 993 }, { 500, 996 }, { 503, 1000 } };
static const status_p k_st_asset[] = { { 200, 690 }, { 304, 975 }, { 404, 1000 } };
static const status_p k_st_bot[] = { { 200, 950 }, { 304, 990 }, { 404, 1000 } };
static const status_p k_st_login[] = { { 302, 700 }, { 200, 900 }, { 401, 990 }, { 429, 1000 } };
static const status_p k_st_api[] = { { 200, 800 }, { 201, 850 }, { 204, 870 }, { 400, 900 }, { 401, 930 },
                                     { 404, 960 }, { 429, 980 }, { 500, 990 }, { 502, 995 }, { 503, 1000 } };
static const status_p k_st_health[] = { { 200, 998 }, { 503, 1000 } };
static const status_p k_st_admin[] = { { 200, 850 }, { 302, 900 }, { 304, 940 }, { 401, 960 }, { 403, 980 },
                                       { 404, 995 }, { 500, 1000 } };

/* diurnal curves by UTC hour (relative weights) */
static const uint16_t k_curve_www[25] = { 30, 22, 18, 15, 14, 16, 22, 35, 50, 62, 70, 78, 85,
                                          92, 100, 100, 98, 95, 90, 85, 75, 62, 50, 40, 30 };
static const uint16_t k_curve_api[25] = { 60, 55, 50, 48, 48, 50, 55, 65, 75, 85, 90, 95, 100,
                                          100, 100, 98, 95, 92, 90, 85, 80, 75, 70, 65, 60 };
static const uint16_t k_curve_admin[25] = { 5, 4, 3, 3, 3, 3, 4, 6, 10, 20, 35, 55, 75,
                                            95, 100, 100, 95, 90, 80, 60, 40, 20, 10, 6, 5 };

typedef struct web_path {
    const char *s;       /* path and query, arena-owned */
    uint32_t    len;
    uint32_t    size;    /* typical body size of a 200 */
    uint8_t     method;  /* M_* */
    uint8_t     kind;    /* K_* */
} web_path;

typedef struct web_client {
    char     ip[40];
    uint8_t  len;
} web_client;

typedef struct web_planted {
    uint64_t index;  /* 0-based line index in the file */
    int      kind;   /* L_* */
} web_planted;

typedef struct web_vhost {
    const char *name;
    int         apache;          /* Apache httpd (%b '-' for 0, \" escapes) vs nginx */
    web_path   *paths;           /* owned */
    size_t      n_paths;
    gen_zipf    pz;              /* path popularity */
    gen_zipf    cz;              /* client popularity (rank -> client via perm) */
    uint32_t    client_perm;     /* multiplier mapping rank to client index */
    uint64_t    cum[WEB_MINUTES + 1]; /* cumulative minute weights */
    uint32_t    wmin[WEB_MINUTES];    /* minute weights */
    const char *ref_host;        /* "https://www.northwind.example" */
    uint64_t    mean_len;        /* calibrated mean line length, bytes */
    uint64_t   *lines;           /* per day, owned */
    uint8_t    *comp;            /* per day: gen_comp */
    uint8_t    *special;         /* per day: SP_* */
} web_vhost;

typedef struct web_ctx {
    const gen_world *w;
    web_client *clients;         /* owned, WEB_N_CLIENTS */
    web_vhost   vh[V_N];
    int        *admin_users;     /* employee indices using the admin console, owned */
    size_t      n_admin_users;
    gen_zipf    uz;              /* admin user popularity */
    int64_t     day_mal;         /* www: syntax + nul + 2 hostile UAs (plain) */
    int64_t     day_long;        /* www: too_long (plain) */
    int64_t     day_utf8;        /* api: invalid_utf8 + hostile UA (plain); admin: hostile referer + UA */
    as_arena    ar;
} web_ctx;

/* ---- context ---- */

static void ctx_free(void *p)
{
    web_ctx *cx = p;
    for (int v = 0; v < V_N; v++) {
        web_vhost *vh = &cx->vh[v];
        as_free(vh->paths);
        gen_zipf_fini(&vh->pz);
        gen_zipf_fini(&vh->cz);
        as_free(vh->lines);
        as_free(vh->comp);
        as_free(vh->special);
    }
    gen_zipf_fini(&cx->uz);
    as_free(cx->clients);
    as_free(cx->admin_users);
    as_arena_fini(&cx->ar);
    as_free(cx);
}

static int add_path(web_ctx *cx, web_vhost *vh, size_t cap, const char *s, unsigned method, unsigned kind,
                    uint32_t size)
{
    if (vh->n_paths >= cap)
        return 0;
    size_t n = strlen(s);
    char *p = as_arena_strndup(&cx->ar, s, n);
    if (p == NULL)
        return -1;
    vh->paths[vh->n_paths++] = (web_path){ p, (uint32_t)n, size, (uint8_t)method, (uint8_t)kind };
    return 0;
}

static const char *word(gen_rng *r) { return k_words[gen_rng_below(r, AS_ARRAY_LEN(k_words))]; }

static int build_www(web_ctx *cx, gen_rng *r)
{
    web_vhost *vh = &cx->vh[V_WWW];
    const size_t cap = 640;
    char tmp[256];
    int rc = 0;
    if ((vh->paths = as_calloc(cap, sizeof *vh->paths)) == NULL)
        return -1;
    /* the head of the popularity list, in rank order */
    rc |= add_path(cx, vh, cap, "/", M_GET, K_PAGE, 48211);
    snprintf(tmp, sizeof tmp, "/static/js/app.%08llx.js", (unsigned long long)(gen_rng_next(r) >> 32));
    rc |= add_path(cx, vh, cap, tmp, M_GET, K_ASSET, 812734);
    snprintf(tmp, sizeof tmp, "/static/css/main.%08llx.css", (unsigned long long)(gen_rng_next(r) >> 32));
    rc |= add_path(cx, vh, cap, tmp, M_GET, K_ASSET, 61877);
    rc |= add_path(cx, vh, cap, "/favicon.ico", M_GET, K_ASSET, 15086);
    snprintf(tmp, sizeof tmp, "/static/js/vendor.%08llx.js", (unsigned long long)(gen_rng_next(r) >> 32));
    rc |= add_path(cx, vh, cap, tmp, M_GET, K_ASSET, 402113);
    rc |= add_path(cx, vh, cap, "/login", M_POST, K_LOGIN, 1893);
    rc |= add_path(cx, vh, cap, "/login", M_GET, K_PAGE, 9120);
    rc |= add_path(cx, vh, cap, "/robots.txt", M_GET, K_BOT, 127);
    rc |= add_path(cx, vh, cap, "/sitemap.xml", M_GET, K_BOT, 14302);
    for (size_t i = 1; i < AS_ARRAY_LEN(k_www_pages); i++)
        rc |= add_path(cx, vh, cap, k_www_pages[i], M_GET, K_PAGE, (uint32_t)gen_rng_range(r, 8000, 90000));
    while (vh->n_paths < cap && rc == 0) {
        unsigned pick = (unsigned)gen_rng_below(r, 100);
        uint32_t size;
        unsigned kind = K_PAGE;
        if (pick < 35) {
            snprintf(tmp, sizeof tmp, "/blog/%s-%s-%s", word(r), word(r), word(r));
            size = (uint32_t)gen_rng_range(r, 20000, 95000);
        } else if (pick < 55) {
            snprintf(tmp, sizeof tmp, "/docs/%s/%s-%s", k_doc_sections[gen_rng_below(r, AS_ARRAY_LEN(k_doc_sections))],
                     word(r), word(r));
            size = (uint32_t)gen_rng_range(r, 12000, 60000);
        } else if (pick < 70) {
            static const char *const k_ext[] = { "png", "svg", "webp" };
            snprintf(tmp, sizeof tmp, "/static/img/%s-%s.%s", word(r), word(r), k_ext[gen_rng_below(r, 3)]);
            size = (uint32_t)gen_rng_range(r, 1500, 300000);
            kind = K_ASSET;
        } else if (pick < 82) {
            snprintf(tmp, sizeof tmp, "/search?q=%s+%s&page=%u", word(r), word(r), (unsigned)gen_rng_range(r, 1, 5));
            size = (uint32_t)gen_rng_range(r, 9000, 40000);
        } else if (pick < 92) {
            static const char *const k_src[] = { "google", "linkedin", "newsletter", "twitter", "partner" };
            snprintf(tmp, sizeof tmp, "%s?utm_source=%s&utm_medium=cpc&utm_campaign=%s-%s",
                     k_www_pages[gen_rng_below(r, AS_ARRAY_LEN(k_www_pages))], k_src[gen_rng_below(r, 5)], word(r),
                     word(r));
            size = (uint32_t)gen_rng_range(r, 9000, 90000);
        } else {
            snprintf(tmp, sizeof tmp, "/careers/%s-engineer-%u", word(r), (unsigned)gen_rng_range(r, 100, 999));
            size = (uint32_t)gen_rng_range(r, 7000, 20000);
        }
        rc |= add_path(cx, vh, cap, tmp, M_GET, kind, size);
    }
    return rc;
}

static int build_api(web_ctx *cx, gen_rng *r)
{
    web_vhost *vh = &cx->vh[V_API];
    const size_t cap = 1500;
    char tmp[256];
    int rc = 0;
    if ((vh->paths = as_calloc(cap, sizeof *vh->paths)) == NULL)
        return -1;
    rc |= add_path(cx, vh, cap, "/healthz", M_GET, K_HEALTH, 2);
    rc |= add_path(cx, vh, cap, "/v1/events", M_POST, K_API, 64);
    rc |= add_path(cx, vh, cap, "/v1/auth/token", M_POST, K_API, 712);
    rc |= add_path(cx, vh, cap, "/v1/orders?page=1&limit=50", M_GET, K_API, 38211);
    int64_t d0 = cx->w->start_day;
    while (vh->n_paths < cap && rc == 0) {
        unsigned pick = (unsigned)gen_rng_below(r, 100);
        unsigned id = (unsigned)gen_rng_range(r, 1000, 999999), method = M_GET;
        uint32_t size = (uint32_t)gen_rng_range(r, 300, 9000);
        if (pick < 20)
            snprintf(tmp, sizeof tmp, "/v1/orders/%u", id);
        else if (pick < 35)
            snprintf(tmp, sizeof tmp, "/v1/customers/%u", id);
        else if (pick < 45)
            snprintf(tmp, sizeof tmp, "/v1/customers/%u/subscriptions", id);
        else if (pick < 55) {
            snprintf(tmp, sizeof tmp, "/v1/orders?page=%u&limit=50", (unsigned)gen_rng_range(r, 2, 40));
            size = (uint32_t)gen_rng_range(r, 20000, 60000);
        } else if (pick < 63)
            snprintf(tmp, sizeof tmp, "/v1/invoices?status=%s&limit=%u", gen_rng_below(r, 2) ? "open" : "paid",
                     (unsigned)(25u << gen_rng_below(r, 3)));
        else if (pick < 71) {
            snprintf(tmp, sizeof tmp, "/v1/customers/%u", id);
            method = M_PUT;
        } else if (pick < 76) {
            snprintf(tmp, sizeof tmp, "/v1/sessions/%08llx", (unsigned long long)(gen_rng_next(r) >> 32));
            method = M_DELETE;
            size = 0;
        } else if (pick < 84) {
            snprintf(tmp, sizeof tmp, "/v2/reports/%u/export?format=%s", id, gen_rng_below(r, 2) ? "csv" : "json");
            size = (uint32_t)gen_rng_range(r, 50000, 2000000);
        } else {
            char a[GEN_FMT_TIME_MAX], b[GEN_FMT_TIME_MAX];
            int64_t from = d0 - gen_rng_range(r, 1, 90);
            gen_fmt_date(a, from);
            gen_fmt_date(b, from + gen_rng_range(r, 1, 30));
            snprintf(tmp, sizeof tmp, "/v1/metrics/query?metric=%s&from=%s&to=%s&interval=1h", word(r), a, b);
            size = (uint32_t)gen_rng_range(r, 2000, 40000);
        }
        rc |= add_path(cx, vh, cap, tmp, method, K_API, size);
    }
    return rc;
}

static int build_admin(web_ctx *cx, gen_rng *r)
{
    web_vhost *vh = &cx->vh[V_ADMIN];
    const size_t cap = 400;
    char tmp[256];
    int rc = 0;
    if ((vh->paths = as_calloc(cap, sizeof *vh->paths)) == NULL)
        return -1;
    rc |= add_path(cx, vh, cap, "/admin/", M_GET, K_ADMIN, 23110);
    snprintf(tmp, sizeof tmp, "/admin/static/admin.%08llx.js", (unsigned long long)(gen_rng_next(r) >> 32));
    rc |= add_path(cx, vh, cap, tmp, M_GET, K_ASSET, 388201);
    snprintf(tmp, sizeof tmp, "/admin/static/admin.%08llx.css", (unsigned long long)(gen_rng_next(r) >> 32));
    rc |= add_path(cx, vh, cap, tmp, M_GET, K_ASSET, 41290);
    rc |= add_path(cx, vh, cap, "/admin/dashboard", M_GET, K_ADMIN, 51244);
    rc |= add_path(cx, vh, cap, "/admin/users", M_GET, K_ADMIN, 61022);
    rc |= add_path(cx, vh, cap, "/admin/login", M_POST, K_LOGIN, 2210);
    rc |= add_path(cx, vh, cap, "/admin/settings/sso", M_GET, K_ADMIN, 18220);
    rc |= add_path(cx, vh, cap, "/admin/settings/api-keys", M_GET, K_ADMIN, 12993);
    while (vh->n_paths < cap && rc == 0) {
        unsigned pick = (unsigned)gen_rng_below(r, 100);
        unsigned id = (unsigned)gen_rng_range(r, 100, 99999), method = M_GET;
        if (pick < 30)
            snprintf(tmp, sizeof tmp, "/admin/users/%u", id);
        else if (pick < 40)
            snprintf(tmp, sizeof tmp, "/admin/users/%u/edit", id);
        else if (pick < 55)
            snprintf(tmp, sizeof tmp, "/admin/accounts/%u", id);
        else if (pick < 65)
            snprintf(tmp, sizeof tmp, "/admin/audit-log?page=%u&per_page=100", (unsigned)gen_rng_range(r, 1, 60));
        else if (pick < 75) {
            char a[GEN_FMT_TIME_MAX], b[GEN_FMT_TIME_MAX];
            int64_t from = cx->w->start_day - gen_rng_range(r, 0, 120);
            gen_fmt_date(a, from);
            gen_fmt_date(b, from + 30);
            snprintf(tmp, sizeof tmp, "/admin/reports?from=%s&to=%s&type=%s", a, b, word(r));
        } else if (pick < 85)
            snprintf(tmp, sizeof tmp, "/admin/billing/invoices/INV-%u", id);
        else if (pick < 93) {
            snprintf(tmp, sizeof tmp, "/admin/users/%u/reset-mfa", id);
            method = M_POST;
        } else {
            snprintf(tmp, sizeof tmp, "/admin/impersonate/%u", id);
            method = M_POST;
        }
        rc |= add_path(cx, vh, cap, tmp, method, K_ADMIN, (uint32_t)gen_rng_range(r, 3000, 70000));
    }
    return rc;
}

static int build_clients(web_ctx *cx, gen_rng *r)
{
    static const char k_hex[] = "0123456789abcdef";
    if ((cx->clients = as_calloc(WEB_N_CLIENTS, sizeof *cx->clients)) == NULL)
        return -1;
    for (size_t i = 0; i < WEB_N_CLIENTS; i++) {
        web_client *c = &cx->clients[i];
        char *p = c->ip;
        if (gen_rng_permille(r, WEB_IPV6_PERMILLE)) {
            static const char *const k_pfx[] = { "2a02:c7f:", "2600:1700:", "2a01:4f8:", "2001:8a0:", "2603:8000:" };
            p = gen_put_cstr(p, k_pfx[gen_rng_below(r, AS_ARRAY_LEN(k_pfx))]);
            for (int g = 0; g < 2; g++) {
                unsigned v = (unsigned)gen_rng_range(r, 0x100, 0xffff);
                for (int s = 12; s >= 0; s -= 4)
                    if ((v >> s) || s == 0)
                        *p++ = k_hex[(v >> s) & 15];
                *p++ = ':';
            }
            *p++ = ':';
            p = gen_put_hex(p, gen_rng_range(r, 1, 0xfff), 3);
        } else {
            unsigned a;
            do
                a = (unsigned)gen_rng_range(r, 11, 223);
            while (a == 127 || a == 10 || a == 172 || a == 192 || a == 100 || a == 169);
            p = gen_put_u64(p, a);
            for (int k = 0; k < 3; k++) {
                *p++ = '.';
                p = gen_put_u64(p, k == 2 ? (uint64_t)gen_rng_range(r, 1, 254) : gen_rng_below(r, 256));
            }
        }
        c->len = (uint8_t)(p - c->ip);
        *p = '\0';
    }
    return 0;
}

static void build_curve(web_vhost *vh, const uint16_t curve[25])
{
    vh->cum[0] = 0;
    for (unsigned m = 0; m < WEB_MINUTES; m++) {
        unsigned h = m / 60, mm = m % 60;
        vh->wmin[m] = (uint32_t)(curve[h] * (60 - mm) + curve[h + 1] * mm) * 16 + 1;
        vh->cum[m + 1] = vh->cum[m] + vh->wmin[m];
    }
}

/* ---- one line ---- */

typedef struct web_state {
    const web_ctx   *cx;
    const web_vhost *vh;
    int              v;        /* V_* */
    char             ts[32];   /* "10/Oct/2025:13:55:36 +0000" */
    int64_t          ts_sec;   /* second ts holds */
} web_state;

static unsigned pick_status(gen_rng *r, const status_p *t, size_t n)
{
    unsigned u = (unsigned)gen_rng_below(r, 1000);
    for (size_t i = 0; i + 1 < n; i++)
        if (u < t[i].cum)
            return t[i].status;
    return t[n - 1].status;
}

/* Writes one ordinary line at p and returns its end. Planted content
 * (kind != 0) replaces one field. hostile/raw values are reported by the caller. */
static char *put_line(web_state *st, gen_rng *r, char *p, int64_t t_ms, int planted)
{
    const web_ctx *cx = st->cx;
    const web_vhost *vh = st->vh;
    const gen_world *w = cx->w;
    int64_t sec = t_ms / 1000;
    if (sec != st->ts_sec) {
        gen_put_clf(st->ts, t_ms);
        st->ts_sec = sec;
    }
    const web_path *pa = &vh->paths[gen_zipf_pick(&vh->pz, r)];
    size_t rank = gen_zipf_pick(&vh->cz, r);
    const web_client *cl = &cx->clients[(rank * vh->client_perm + (size_t)st->v * 7919) % WEB_N_CLIENTS];
    const char *ip = cl->ip;
    size_t ip_len = cl->len;
    const char *user = "-";
    const char *ua;
    int admin_user = -1;

    const status_p *stt;
    size_t nst;
    switch (pa->kind) {
    case K_ASSET: stt = k_st_asset; nst = AS_ARRAY_LEN(k_st_asset); break;
    case K_BOT: stt = k_st_bot; nst = AS_ARRAY_LEN(k_st_bot); break;
    case K_LOGIN: stt = k_st_login; nst = AS_ARRAY_LEN(k_st_login); break;
    case K_API: stt = k_st_api; nst = AS_ARRAY_LEN(k_st_api); break;
    case K_HEALTH: stt = k_st_health; nst = AS_ARRAY_LEN(k_st_health); break;
    case K_ADMIN: stt = k_st_admin; nst = AS_ARRAY_LEN(k_st_admin); break;
    default: stt = k_st_page; nst = AS_ARRAY_LEN(k_st_page); break;
    }
    unsigned status = pick_status(r, stt, nst);

    if (st->v == V_ADMIN) {
        /* an employee of the admin-console group who is active right now */
        size_t k = gen_zipf_pick(&cx->uz, r);
        for (size_t tries = 0; tries < cx->n_admin_users; tries++, k = (k + 1) % cx->n_admin_users) {
            const gen_emp *e = &w->emp[cx->admin_users[k]];
            if (gen_emp_active(e, t_ms)) {
                admin_user = cx->admin_users[k];
                break;
            }
        }
        if (admin_user >= 0) {
            const gen_emp *e = &w->emp[admin_user];
            ip = e->ip;
            ip_len = strlen(e->ip);
            ua = w->browsers[e->browser].ua;
            if (status != 401 && pa->kind != K_LOGIN)
                user = e->login;
        } else {
            ua = k_ua[0];
        }
    } else if (pa->kind == K_HEALTH) {
        ip = "10.10.0.2";
        ip_len = 9;
        ua = k_ua[UA_HEALTH];
    } else {
        const uint8_t *mix = st->v == V_API ? k_ua_mix_api : k_ua_mix_www;
        size_t n_mix = st->v == V_API ? sizeof k_ua_mix_api : sizeof k_ua_mix_www;
        ua = k_ua[mix[(rank * 2654435761u >> 7) % n_mix]];
    }
    if (planted == L_HOSTILE_UA)
        ua = "<script>alert(1)</script>";

    p = gen_put(p, ip, ip_len);
    p = GEN_PUT_LIT(p, " - ");
    p = gen_put_cstr(p, user);
    p = GEN_PUT_LIT(p, " [");
    p = gen_put(p, st->ts, 26);
    *p++ = ']';
    if (planted == L_SYNTAX)
        return p;             /* cut right after the timestamp */
    p = GEN_PUT_LIT(p, " \"");
    unsigned method = pa->method;
    if (method == M_GET && st->v == V_WWW && status == 200 && gen_rng_permille(r, 8))
        method = M_HEAD;
    p = gen_put_cstr(p, k_method[method]);
    *p++ = ' ';
    if (planted == L_TOO_LONG) {
        p = GEN_PUT_LIT(p, "/search?q=");
        memset(p, 'A', WEB_LONG_PATH);
        p += WEB_LONG_PATH;
    } else if (planted == L_NUL) {
        p = GEN_PUT_LIT(p, "/index.html");
        *p++ = '\0';
        p = GEN_PUT_LIT(p, ".php");
    } else {
        p = gen_put(p, pa->s, pa->len);
    }
    if (st->v == V_WWW && gen_rng_permille(r, 300))
        p = GEN_PUT_LIT(p, " HTTP/2.0\" ");
    else
        p = GEN_PUT_LIT(p, " HTTP/1.1\" ");
    p = gen_put_u64(p, status);
    *p++ = ' ';
    uint64_t bytes;
    switch (status) {
    case 200: bytes = pa->size - pa->size / 10 + gen_rng_below(r, pa->size / 5 + 1); break;
    case 201: bytes = 80 + gen_rng_below(r, 400); break;
    case 204: case 304: bytes = 0; break;
    case 301: case 302: bytes = st->vh->apache ? 208 + gen_rng_below(r, 20) : 162; break;
    case 404: bytes = st->vh->apache ? 196 : 153; break;
    case 401: case 403: bytes = st->vh->apache ? 199 : 153 + 2 * (status == 403); break;
    default: bytes = 150 + gen_rng_below(r, 400); break;
    }
    if (method == M_HEAD)
        bytes = 0;
    if (bytes == 0 && st->vh->apache)
        *p++ = '-';
    else
        p = gen_put_u64(p, bytes);
    p = GEN_PUT_LIT(p, " \"");
    if (planted == L_HOSTILE_REF) {
        p = GEN_PUT_LIT(p, "=HYPERLINK(\\\"http://x\\\")");
    } else {
        unsigned u = (unsigned)gen_rng_below(r, 1000);
        if (st->v == V_WWW) {
            if (u < 450)
                *p++ = '-';
            else if (u < 800) {
                const web_path *rp = &vh->paths[gen_zipf_pick(&vh->pz, r)];
                p = gen_put_cstr(p, vh->ref_host);
                p = gen_put(p, rp->s, rp->len);
            } else if (u < 950)
                p = GEN_PUT_LIT(p, "https://www.google.com/");
            else if (u < 980)
                p = GEN_PUT_LIT(p, "https://www.bing.com/");
            else
                p = GEN_PUT_LIT(p, "https://news.ycombinator.com/");
        } else if (st->v == V_API) {
            if (u < 900 || pa->kind == K_HEALTH)
                *p++ = '-';
            else
                p = GEN_PUT_LIT(p, "https://app.northwind.example/");
        } else {
            if (u < 300)
                *p++ = '-';
            else {
                const web_path *rp = &vh->paths[gen_zipf_pick(&vh->pz, r)];
                p = gen_put_cstr(p, vh->ref_host);
                p = gen_put(p, rp->s, rp->len);
            }
        }
    }
    p = GEN_PUT_LIT(p, "\" \"");
    if (planted == L_UTF8) {
        p = GEN_PUT_LIT(p, "Mozilla/5.0 (X11; Linux x86_64) \xff\xc3\x28 Gecko/20100101");
    } else {
        p = gen_put_cstr(p, ua);
    }
    *p++ = '"';
    return p;
}

/* ---- planning ---- */

static int64_t day_permille(const gen_world *w, unsigned permille)
{
    return (int64_t)w->days * permille / 1000;
}

static uint64_t calibrate(web_ctx *cx, int v)
{
    char *buf = as_malloc(WEB_LINE_ROOM);
    if (buf == NULL)
        return 200;
    web_state st = { cx, &cx->vh[v], v, { 0 }, -1 };
    gen_rng r;
    gen_rng_seed(&r, cx->w->seed, "web/calibrate", (uint64_t)v);
    uint64_t total = 0;
    int64_t t0 = cx->w->start_ms + 12 * GEN_MS_PER_HOUR;
    for (unsigned i = 0; i < WEB_CALIB_LINES; i++) {
        char *end = put_line(&st, &r, buf, t0 + (int64_t)i * 1000, 0);
        total += (uint64_t)(end - buf) + 1;
    }
    as_free(buf);
    return total / WEB_CALIB_LINES;
}

static as_code web_job(const gen_job *job, gen_res *res, as_err *err);

int gen_web_add_jobs(gen_jobs *js, const gen_world *w, uint64_t budget)
{
    web_ctx *cx = as_calloc(1, sizeof *cx);
    if (cx == NULL)
        return -1;
    as_arena_init(&cx->ar, 0);
    cx->w = w;
    if (gen_jobs_on_fini(js, ctx_free, cx) != 0) {
        ctx_free(cx);
        return -1;
    }
    gen_rng r;
    gen_rng_seed(&r, w->seed, "web/context", 0);
    if (build_clients(cx, &r) != 0 || build_www(cx, &r) != 0 || build_api(cx, &r) != 0 || build_admin(cx, &r) != 0)
        return -1;
    /* the admin console is used by SRE, Security & IT, Customer Success and Finance */
    if ((cx->admin_users = as_calloc(w->n_emp, sizeof *cx->admin_users)) == NULL)
        return -1;
    for (size_t i = 0; i < w->n_emp; i++) {
        const char *d = w->emp[i].dept;
        if (strcmp(d, "Site Reliability") == 0 || strcmp(d, "Security & IT") == 0 ||
            strcmp(d, "Customer Success") == 0 || strcmp(d, "Finance") == 0)
            cx->admin_users[cx->n_admin_users++] = (int)i;
    }
    if (cx->n_admin_users == 0 || gen_zipf_init(&cx->uz, cx->n_admin_users, 2) != 0)
        return -1;

    cx->day_mal = day_permille(w, 556);
    cx->day_utf8 = day_permille(w, 667);
    cx->day_long = day_permille(w, 778);
    static const uint16_t *const k_curves[V_N] = { k_curve_www, k_curve_api, k_curve_admin };
    static const char *const k_ref[V_N] = { "https://www.northwind.example", "https://app.northwind.example",
                                            "https://admin.northwind.example" };
    for (int v = 0; v < V_N; v++) {
        web_vhost *vh = &cx->vh[v];
        vh->name = k_vhost[v];
        vh->apache = v == V_ADMIN;
        vh->ref_host = k_ref[v];
        vh->client_perm = v == V_API ? 7727 : v == V_WWW ? 1 : 31;
        build_curve(vh, k_curves[v]);
        if (gen_zipf_init(&vh->pz, vh->n_paths, 2) != 0 ||
            gen_zipf_init(&vh->cz, WEB_N_CLIENTS, v == V_API ? 1 : 8) != 0)
            return -1;
        vh->lines = as_calloc(w->days, sizeof *vh->lines);
        vh->comp = as_calloc(w->days, 1);
        vh->special = as_calloc(w->days, 1);
        if (vh->lines == NULL || vh->comp == NULL || vh->special == NULL)
            return -1;
        vh->mean_len = calibrate(cx, v);
    }

    /* special days */
    cx->vh[V_WWW].special[day_permille(w, 111)] = SP_MULTI_MEMBER;
    cx->vh[V_API].special[day_permille(w, 222)] = SP_ZSTD_FRAMES;
    cx->vh[V_ADMIN].special[day_permille(w, 333)] = SP_TRUNCATED;
    cx->vh[V_API].special[w->gap_web_day - w->start_day] = SP_GAP;
    cx->vh[V_WWW].special[cx->day_mal] = SP_PLAIN;
    cx->vh[V_WWW].special[cx->day_long] = SP_PLAIN;
    cx->vh[V_API].special[cx->day_utf8] = SP_PLAIN;
    cx->vh[V_ADMIN].special[cx->day_utf8] = SP_PLAIN;

    /* daily volume: weekday/weekend, growth over the period, holidays, jitter */
    uint64_t weight = 0;
    uint64_t *dw = as_calloc(w->days, sizeof *dw);
    if (dw == NULL)
        return -1;
    gen_rng vr;
    gen_rng_seed(&vr, w->seed, "web/volume", 0);
    for (unsigned d = 0; d < w->days; d++) {
        int64_t day = w->start_day + d;
        int64_t y;
        unsigned mo, dd;
        as_civil_from_days(day, &y, &mo, &dd);
        uint64_t f = gen_is_weekend(day) ? 620 : 1000;
        f = f * (900 + 200 * (uint64_t)d / w->days) / 1000;
        if ((mo == 12 && (dd == 25 || dd == 26)) || (mo == 1 && dd == 1))
            f /= 2;
        dw[d] = f * (uint64_t)gen_rng_range(&vr, 920, 1080) / 1000;
        weight += dw[d];
    }
    int rc = 0;
    for (int v = 0; v < V_N && rc == 0; v++) {
        web_vhost *vh = &cx->vh[v];
        uint64_t vbudget = budget / 1000 * k_share[v];
        for (unsigned d = 0; d < w->days && rc == 0; d++) {
            unsigned __int128 bytes = (unsigned __int128)vbudget * dw[d] / (weight ? weight : 1);
            uint64_t lines = (uint64_t)(bytes / vh->mean_len);
            if (lines < WEB_MIN_LINES)
                lines = WEB_MIN_LINES;
            vh->lines[d] = lines;
            unsigned u = (unsigned)gen_rng_below(&vr, 8);
            switch (vh->special[d]) {
            case SP_MULTI_MEMBER: case SP_TRUNCATED: vh->comp[d] = GEN_COMP_GZIP; break;
            case SP_ZSTD_FRAMES: vh->comp[d] = GEN_COMP_ZSTD; break;
            case SP_PLAIN: vh->comp[d] = GEN_COMP_NONE; break;
            default:
                vh->comp[d] = u < 4 || w->plain ? GEN_COMP_NONE : u < 6 ? GEN_COMP_GZIP : GEN_COMP_ZSTD;
                break;
            }
            if (vh->special[d] == SP_GAP)
                continue;
            rc = gen_jobs_add(js, web_job, cx, v, d, lines * vh->mean_len);
        }
    }
    as_free(dw);
    return rc;
}

/* ---- the job ---- */

static void planted_lines(const web_ctx *cx, int v, int64_t d, uint64_t n, web_planted *out, size_t *n_out)
{
    size_t k = 0;
    if (v == V_WWW && d == cx->day_mal) {
        out[k++] = (web_planted){ n / 4, L_SYNTAX };
        out[k++] = (web_planted){ n / 3, L_HOSTILE_UA };
        out[k++] = (web_planted){ n / 2, L_NUL };
        out[k++] = (web_planted){ 2 * n / 3, L_HOSTILE_UA };
    } else if (v == V_WWW && d == cx->day_long) {
        out[k++] = (web_planted){ n / 2, L_TOO_LONG };
    } else if (v == V_API && d == cx->day_utf8) {
        out[k++] = (web_planted){ n / 5, L_HOSTILE_UA };
        out[k++] = (web_planted){ n / 2, L_UTF8 };
    } else if (v == V_ADMIN && d == cx->day_utf8) {
        out[k++] = (web_planted){ n / 4, L_HOSTILE_UA };
        out[k++] = (web_planted){ n / 2, L_HOSTILE_REF };
    }
    *n_out = k;
}

static as_code web_job(const gen_job *job, gen_res *res, as_err *err)
{
    const web_ctx *cx = job->ctx;
    const gen_world *w = job->world;
    const int v = (int)job->a;
    const int64_t d = job->b, day = w->start_day + d;
    const web_vhost *vh = &cx->vh[v];
    const uint64_t n = vh->lines[d];
    const int sp = vh->special[d];
    char date[GEN_FMT_TIME_MAX], rel[256], ident[64];
    gen_fmt_date(date, day);
    snprintf(rel, sizeof rel, "web/%s/access-%s.log%s", vh->name, date, gen_comp_ext((gen_comp)vh->comp[d]));
    snprintf(ident, sizeof ident, "web/%s", vh->name);
    gen_rng r;
    gen_rng_seed(&r, w->seed, ident, (uint64_t)day);

    gen_file f;
    AS_TRY(gen_file_open(&f, job, rel, "web", "combined", (gen_comp)vh->comp[d], err));
    as_code rc = AS_OK;
    if (sp == SP_ZSTD_FRAMES) {
        /* a skippable frame first: magic 0x184D2A50, little-endian size, payload */
        static const char k_payload[] = "assay-gen: skippable frame, no log data";
        unsigned char hdr[8] = { 0x50, 0x2a, 0x4d, 0x18, (unsigned char)(sizeof k_payload - 1), 0, 0, 0 };
        if ((rc = gen_out_raw(&f.out, hdr, sizeof hdr, err)) == AS_OK)
            rc = gen_out_raw(&f.out, k_payload, sizeof k_payload - 1, err);
    }
    web_planted planted[8];
    size_t n_planted = 0, next_planted = 0;
    planted_lines(cx, v, d, n, planted, &n_planted);

    web_state st = { cx, vh, v, { 0 }, -1 };
    const uint64_t W = vh->cum[WEB_MINUTES];
    const int64_t day_ms = day * GEN_MS_PER_DAY;
    unsigned m = 0;
    for (uint64_t i = 0; i < n && rc == AS_OK; i++) {
        uint64_t pos = (uint64_t)(((unsigned __int128)i * W + gen_rng_below(&r, W)) / n);
        while (vh->cum[m + 1] <= pos)
            m++;
        int64_t t = day_ms + (int64_t)m * GEN_MS_PER_MIN + (int64_t)((pos - vh->cum[m]) * 60 / vh->wmin[m]) * 1000;
        int kind = 0;
        if (next_planted < n_planted && planted[next_planted].index == i)
            kind = planted[next_planted++].kind;
        size_t room = kind == L_TOO_LONG ? WEB_LONG_PATH + WEB_LINE_ROOM : WEB_LINE_ROOM;
        char *p = gen_out_room(&f.out, room);
        if (p == NULL) {
            rc = gen_out_flush(&f.out, err);
            break;
        }
        uint64_t off = gen_out_pos(&f.out);
        p = put_line(&st, &r, p, t, kind);
        *p++ = '\n';
        gen_out_commit(&f.out, p);
        switch (kind) {
        case 0: gen_file_record(&f, t); break;
        case L_SYNTAX: gen_file_rejected(&f, res, i + 1, off, "syntax"); break;
        case L_NUL: gen_file_rejected(&f, res, i + 1, off, "nul_byte"); break;
        case L_UTF8: gen_file_rejected(&f, res, i + 1, off, "invalid_utf8"); break;
        case L_TOO_LONG: gen_file_rejected(&f, res, i + 1, off, "too_long"); break;
        case L_HOSTILE_UA:
            gen_file_record(&f, t);
            gen_res_hostile(res, rel, i + 1, off, "user_agent", "<script>alert(1)</script>",
                            "<script>alert(1)</script>");
            break;
        case L_HOSTILE_REF:
            gen_file_record(&f, t);
            gen_res_hostile(res, rel, i + 1, off, "referer", "=HYPERLINK(\"http://x\")",
                            "=HYPERLINK(\\\"http://x\\\")");
            break;
        }
        if ((sp == SP_MULTI_MEMBER || sp == SP_ZSTD_FRAMES) && i + 1 == n / 2)
            rc = gen_out_end_member(&f.out, err);
        else
            rc = gen_out_maybe_flush(&f.out, err);
    }
    if (rc == AS_OK && sp == SP_TRUNCATED) {
        /* end the member, then only the first 4 bytes of the next member's header */
        static const unsigned char k_hdr4[4] = { 0x1f, 0x8b, 0x08, 0x00 };
        uint64_t dec = gen_out_pos(&f.out);
        if ((rc = gen_out_end_member(&f.out, err)) == AS_OK)
            rc = gen_out_raw(&f.out, k_hdr4, sizeof k_hdr4, err);
        if (rc == AS_OK) {
            f.rec.complete = 0;
            gen_res_stream_fault(res, rel, n + 1, dec, f.out.stored, f.rec.records, "truncated");
        }
    }
    if (rc != AS_OK) {
        gen_file_abort(&f);
        return rc;
    }
    if (sp == SP_MULTI_MEMBER)
        gen_res_special(res, rel, "gzip_multi_member", "two gzip members, the second starting at line n/2 + 1");
    else if (sp == SP_ZSTD_FRAMES)
        gen_res_special(res, rel, "zstd_skippable_two_frames",
                        "a skippable frame (magic 0x184D2A50) then two zstd frames split at line n/2 + 1");
    else if (sp == SP_TRUNCATED)
        gen_res_special(res, rel, "gzip_truncated",
                        "one complete gzip member, then only the first 4 bytes (1f 8b 08 00) of a second member");
    rc = gen_file_close(&f, res, err);
    /* the api file of the first other day reports the api gap day */
    if (rc == AS_OK && v == V_API && day == (w->gap_web_day == w->start_day ? w->start_day + 1 : w->start_day))
        gen_res_gap(res, "web", "api", w->gap_web_day);
    return rc;
}
