/* psr_authmsg.c: event extraction from auth message text.
 *
 * Each format is a small hand-written matcher over a cursor pair (p, end):
 * literal prefixes with eat(), fields up to a delimiter, numbers with
 * strict digit checks. Dispatch is on the program class (from the tag) and
 * the message's first byte, so a line that is no event costs a few compares.
 *
 * The one subtle format is sshd's: OpenSSH prints the user unescaped
 * ("%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s", auth.c), so a user
 * may hold spaces or even " from ". The user therefore runs to the LAST
 * " from " whose tail is a well-formed `HOST port N ssh2[: info]`; earlier
 * candidates are tried only when the last one's tail does not fit.
 * Sources of the formats: docs/domain.md 3.3; shadow-utils' SYSLOG() calls
 * (useradd.c, userdel.c, groupadd.c, groupdel.c, usermod.c, gpasswd.c) for
 * the quoting (`name' in 4.1, 'name' later) and the per-database lines.
 */
#include "parsers/psr_authmsg.h"

#include <string.h>  /* memchr, memcmp, memrchr (_GNU_SOURCE) */

static const char *const k_kind_names[] = {
#define PSR_AUTH_NAME_(k, name) name,
    PSR_AUTH_KIND_LIST(PSR_AUTH_NAME_)
#undef PSR_AUTH_NAME_
};

const char *psr_auth_kind_name(psr_auth_kind kind)
{
    if ((unsigned)kind >= AS_ARRAY_LEN(k_kind_names))
        return "?";
    return k_kind_names[kind];
}

/* ---- program classes: which formats a program's messages can have ---- */
typedef enum app_class {
    APP_ANY,     /* unknown (empty app): every format is tried */
    APP_SSHD,    /* sshd, sshd-session, sshd-auth, sshd(pam_unix) */
    APP_SUDO,    /* sudo */
    APP_SHADOW,  /* useradd, userdel, usermod, groupadd, groupdel, groupmod, gpasswd */
    APP_OTHER,   /* su, login, cron, ...: PAM lines only */
} app_class;

#define LIT(s) s, (sizeof(s) - 1)

static const struct {
    const char *name;
    size_t      len;
} k_shadow_apps[] = { { LIT("useradd") },  { LIT("userdel") },  { LIT("usermod") }, { LIT("groupadd") },
                      { LIT("groupdel") }, { LIT("groupmod") }, { LIT("gpasswd") } };

static int slice_is(as_slice a, const char *s, size_t n)
{
    return a.len == n && memcmp(a.ptr, s, n) == 0;
}

static int slice_starts(as_slice a, const char *s, size_t n)
{
    return a.len >= n && memcmp(a.ptr, s, n) == 0;
}

static app_class classify_app(as_slice app)
{
    if (app.len == 0)
        return APP_ANY;
    if (slice_is(app, LIT("sshd")) || slice_starts(app, LIT("sshd-")) || slice_starts(app, LIT("sshd(")))
        return APP_SSHD;
    if (slice_is(app, LIT("sudo")))
        return APP_SUDO;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_shadow_apps); i++)
        if (slice_is(app, k_shadow_apps[i].name, k_shadow_apps[i].len))
            return APP_SHADOW;
    return APP_OTHER;
}

/* ---- cursor helpers ---- */

static inline int is_digit(char c)
{
    return (unsigned)(c - '0') <= 9;
}

/* Advances *pp past the literal when the text starts with it. */
static int eat(const char **pp, const char *end, const char *lit, size_t n)
{
    if ((size_t)(end - *pp) < n || memcmp(*pp, lit, n) != 0)
        return 0;
    *pp += n;
    return 1;
}

/* First occurrence of needle in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle, size_t n)
{
    if ((size_t)(end - p) < n)
        return NULL;
    return memmem(p, (size_t)(end - p), needle, n);
}

/* Last occurrence of needle in [p, end), or NULL. */
static const char *find_last(const char *p, const char *end, const char *needle, size_t n)
{
    if ((size_t)(end - p) < n)
        return NULL;
    const char *q = end - n + 1;            /* candidates start before q */
    while (q > p) {
        const char *c = memrchr(p, needle[0], (size_t)(q - p));
        if (c == NULL)
            return NULL;
        if (memcmp(c, needle, n) == 0)
            return c;
        q = c;
    }
    return NULL;
}

/* Decimal digits at *pp (1..18 of them, at most max); advances past them. */
static int eat_num(const char **pp, const char *end, int64_t max, int64_t *v)
{
    const char *p = *pp;
    int64_t x = 0;
    while (p < end && is_digit(*p) && p - *pp < 18)
        x = x * 10 + (*p++ - '0');
    if (p == *pp || (p < end && is_digit(*p)) || x > max)
        return 0;
    *v = x;
    *pp = p;
    return 1;
}

/* The whole slice is a number (0..max). */
static int slice_num(as_slice s, int64_t max, int64_t *v)
{
    const char *p = s.ptr;
    return s.len > 0 && eat_num(&p, s.ptr + s.len, max, v) && p == s.ptr + s.len;
}

/* Trailing spaces, tabs, a CR, and rsyslog's escaped line feed `#012`
 * (shadow-utils ends some formats with "\n") are not part of a value. */
static const char *trim_end(const char *p, const char *end)
{
    for (;;) {
        while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
            end--;
        if (end - p >= 4 && memcmp(end - 4, "#012", 4) == 0)
            end -= 4;
        else
            return end;
    }
}

static psr_auth_kind malformed(psr_auth *out, psr_auth_kind k, const char *msg, const char *at)
{
    out->kind = PSR_AUTH_MALFORMED;
    out->malformed_kind = k;
    out->err_col = (uint64_t)(at - msg) + 1;
    return PSR_AUTH_MALFORMED;
}

/* ---- sshd ---- */

/* `HOST port N[ ssh2|ssh1][: info]` up to end (trailing spaces allowed).
 * Returns NULL on a match, else the first byte that does not fit. */
static const char *ssh_tail(const char *p, const char *end, psr_auth *out)
{
    end = trim_end(p, end);
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    if (sp == NULL || sp == p)
        return sp ? sp : end;
    const char *q = sp;
    if (!eat(&q, end, LIT(" port ")))
        return sp;
    int64_t port;
    if (!eat_num(&q, end, 65535, &port))
        return q;
    as_slice info = { NULL, 0 };
    if (eat(&q, end, LIT(" ssh2")) || eat(&q, end, LIT(" ssh1"))) {
        if (q < end) {
            if (!eat(&q, end, LIT(": ")))
                return q;
            info = as_slice_from(q, end);
            q = end;
        }
    }
    if (q != end)
        return q;
    out->source_ip = as_slice_from(p, sp);
    out->port = (int32_t)port;
    out->key_info = info;
    return NULL;
}

/* `Accepted|Failed METHOD for [invalid user ]USER from HOST port N ssh2[: info]`;
 * p is just past `Accepted ` or `Failed `. */
static psr_auth_kind ssh_auth(const char *msg, const char *p, const char *end, psr_auth_kind k, psr_auth *out)
{
    const char *m = p;
    while (p < end && *p != ' ')
        p++;
    if (p == m)
        return malformed(out, k, msg, p);
    out->method = as_slice_from(m, p);
    if (!eat(&p, end, LIT(" for ")))
        return malformed(out, k, msg, p);
    /* with the space before it, so an empty user (`for  from`) still has its " from " */
    const char *u = p - 1;
    if (eat(&p, end, LIT("invalid user "))) {
        out->flags |= PSR_AUTH_F_INVALID_USER;
        u = p - 1;
    }
    const char *bad = end;
    for (const char *lim = end;;) {
        const char *f = find_last(u, lim, LIT(" from "));
        if (f == NULL)
            return malformed(out, k, msg, bad);
        const char *why = ssh_tail(f + 6, end, out);
        if (why == NULL) {
            out->user = as_slice_from(u + 1 > f ? f : u + 1, f);
            out->kind = k;
            return k;
        }
        if (lim == end)
            bad = why;                          /* report the last candidate's failure */
        lim = f + 5;                            /* try an earlier " from " */
    }
}

/* `Invalid user USER from HOST[ port N]`; p is just past `Invalid user`. */
static psr_auth_kind ssh_invalid(const char *msg, const char *p, const char *end, psr_auth *out)
{
    const psr_auth_kind k = PSR_AUTH_SSH_INVALID_USER;
    const char *u = p;                          /* at the space before the user */
    const char *tend = trim_end(u, end);
    const char *bad = tend;
    for (const char *lim = tend;;) {
        const char *f = find_last(u, lim, LIT(" from "));
        if (f == NULL)
            return malformed(out, k, msg, bad);
        const char *h = f + 6, *q = h;
        while (q < tend && *q != ' ')
            q++;
        int64_t port = -1;
        const char *why = NULL;
        if (q == h)
            why = q;
        else if (q < tend) {
            const char *r = q;
            if (!eat(&r, tend, LIT(" port ")) || !eat_num(&r, tend, 65535, &port) || r != tend)
                why = r;
        }
        if (why == NULL) {
            out->user = as_slice_from(u + 1 > f ? f : u + 1, f);
            out->source_ip = as_slice_from(h, q);
            out->port = (int32_t)port;
            out->flags |= PSR_AUTH_F_INVALID_USER;
            out->kind = k;
            return k;
        }
        if (lim == tend)
            bad = why;
        lim = f + 5;
    }
}

/* ---- PAM (pam_unix) ---- */

/* `NAME(uid=N)` or `NAME` or `(uid=N)` in [p, end): name and uid (-1). */
static void name_uid(const char *p, const char *end, as_slice *name, int64_t *uid)
{
    *uid = -1;
    *name = as_slice_from(p, end);
    if (end - p >= 7 && end[-1] == ')') {
        const char *o = find_last(p, end, LIT("(uid="));
        int64_t v;
        if (o != NULL && slice_num(as_slice_from(o + 5, end - 1), INT64_MAX, &v)) {
            *uid = v;
            *name = as_slice_from(p, o);
        }
    }
}

/* The body after `pam_unix(SVC:TYPE): ` or, in the old form, the whole message. */
static psr_auth_kind pam_body(const char *msg, const char *p, const char *end, psr_auth *out)
{
    end = trim_end(p, end);
    if (eat(&p, end, LIT("session opened for user"))) {
        (void)eat(&p, end, LIT(" "));
        const char *by = find_last(p, end, LIT(" by "));
        name_uid(p, by ? by : end, &out->user, &out->uid);
        if (by != NULL)
            name_uid(by + 4, end, &out->by_user, &out->by_uid);
        if (out->user.len == 0)
            return malformed(out, PSR_AUTH_SESSION_OPENED, msg, p);
        out->kind = PSR_AUTH_SESSION_OPENED;
        return out->kind;
    }
    if (eat(&p, end, LIT("session closed for user"))) {
        (void)eat(&p, end, LIT(" "));
        name_uid(p, end, &out->user, &out->uid);
        if (out->user.len == 0)
            return malformed(out, PSR_AUTH_SESSION_CLOSED, msg, p);
        out->kind = PSR_AUTH_SESSION_CLOSED;
        return out->kind;
    }
    if (eat(&p, end, LIT("authentication failure;"))) {
        /* ` logname=X uid=N euid=N tty=T ruser=R rhost=H[  user=U]`, empty values allowed */
        while (p < end) {
            while (p < end && *p == ' ')
                p++;
            const char *k = p;
            while (p < end && *p != '=' && *p != ' ')
                p++;
            if (p == end || *p != '=')
                return malformed(out, PSR_AUTH_PAM_AUTH_FAILURE, msg, p);
            as_slice key = as_slice_from(k, p);
            const char *v = ++p;
            while (p < end && *p != ' ')
                p++;
            as_slice val = as_slice_from(v, p);
            if (slice_is(key, LIT("user")))
                out->user = val;
            else if (slice_is(key, LIT("rhost")))
                out->source_ip = val;
            else if (slice_is(key, LIT("tty")))
                out->tty = val;
            else if (slice_is(key, LIT("ruser")))
                out->by_user = val;
            else if (slice_is(key, LIT("uid")))
                (void)slice_num(val, INT64_MAX, &out->by_uid);
        }
        out->kind = PSR_AUTH_PAM_AUTH_FAILURE;
        return out->kind;
    }
    return PSR_AUTH_NONE;
}

/* `pam_unix(SVC:TYPE): body`; p is just past `pam_unix(`. */
static psr_auth_kind pam_new(const char *msg, const char *p, const char *end, psr_auth *out)
{
    const char *s = p;
    while (p < end && *p != ':' && *p != ')' && *p != ' ')
        p++;
    if (p == s || p == end || *p != ':')
        return PSR_AUTH_NONE;
    out->service = as_slice_from(s, p);
    const char *close = memchr(p, ')', (size_t)(end - p));
    if (close == NULL)
        return PSR_AUTH_NONE;
    p = close + 1;
    if (!eat(&p, end, LIT(": ")))
        return PSR_AUTH_NONE;
    return pam_body(msg, p, end, out);
}

/* ---- sudo ---- */

/* `[  ]USER : [REASON ; ]KEY=value ; ... ; COMMAND=rest`. */
static psr_auth_kind sudo_line(const char *msg, const char *p, const char *end, psr_auth *out)
{
    while (p < end && *p == ' ')              /* sudo pads the user name */
        p++;
    const char *sep = find(p, end, LIT(" : "));
    if (sep == NULL || sep == p)
        return PSR_AUTH_NONE;
    out->user = as_slice_from(p, sep);
    p = sep + 3;
    int keys = 0;
    for (int first = 1; p < end; first = 0) {
        const char *semi = find(p, end, LIT(" ; "));
        const char *seg_end = semi ? semi : end;
        const char *k = p;
        while (k < seg_end && (unsigned)(*k - 'A') <= 25)
            k++;
        if (k == p || k == seg_end || *k != '=') {
            if (!first)                         /* only the first segment may be a reason */
                return malformed(out, PSR_AUTH_SUDO, msg, p);
            out->reason = as_slice_from(p, seg_end);
            const char *r = p;
            int64_t n;
            if (eat_num(&r, seg_end, INT32_MAX, &n) && eat(&r, seg_end, LIT(" incorrect password attempt")))
                out->attempts = (int32_t)n;
        } else {
            as_slice key = as_slice_from(p, k);
            const char *v = k + 1;
            keys++;
            if (slice_is(key, LIT("COMMAND"))) {
                out->command = as_slice_from(v, end);   /* the rest, ` ; ` included */
                break;
            }
            as_slice val = as_slice_from(v, seg_end);
            if (slice_is(key, LIT("TTY")))
                out->tty = val;
            else if (slice_is(key, LIT("PWD")))
                out->pwd = val;
            else if (slice_is(key, LIT("USER")))
                out->run_as = val;
            else if (slice_is(key, LIT("GROUP")))
                out->run_group = val;
            /* TSID, ENV and keys of newer versions are tolerated */
        }
        if (semi == NULL)
            break;
        p = semi + 3;
    }
    if (keys == 0)
        return malformed(out, PSR_AUTH_SUDO, msg, end);
    out->kind = out->reason.len ? PSR_AUTH_SUDO_DENIED : PSR_AUTH_SUDO;
    return out->kind;
}

/* ---- shadow-utils ---- */

/* A quoted name: 'name' or `name' (shadow 4.1); advances past it. */
static int eat_quoted(const char **pp, const char *end, as_slice *name)
{
    const char *p = *pp;
    if (p == end || (*p != '\'' && *p != '`'))
        return 0;
    const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));
    if (q == NULL)
        return 0;
    *name = as_slice_from(p + 1, q);
    *pp = q + 1;
    return 1;
}

/* `k=v, k=v, ...` of useradd/groupadd; p after `new user: ` or `new group: `. */
static int shadow_kv(const char *p, const char *end, psr_auth *out, int is_user)
{
    int have_name = 0;
    while (p < end) {
        const char *comma = find(p, end, LIT(", "));
        const char *seg_end = comma ? comma : end;
        const char *eq = memchr(p, '=', (size_t)(seg_end - p));
        if (eq == NULL)
            return 0;
        as_slice key = as_slice_from(p, eq), val = as_slice_from(eq + 1, seg_end);
        if (slice_is(key, LIT("name"))) {
            if (is_user)
                out->user = val;
            else
                out->group = val;
            have_name = val.len > 0;
        } else if (slice_is(key, LIT("UID"))) {
            if (!slice_num(val, INT64_MAX, &out->uid))
                return 0;
        } else if (slice_is(key, LIT("GID"))) {
            if (!slice_num(val, INT64_MAX, &out->gid))
                return 0;
        } else if (slice_is(key, LIT("home"))) {
            out->home = val;
        } else if (slice_is(key, LIT("shell"))) {
            out->shell = val;
        } else if (slice_is(key, LIT("from"))) {
            out->from = val;
        }
        if (comma == NULL)
            break;
        p = comma + 2;
    }
    return have_name;
}

static psr_auth_kind shadow(const char *msg, const char *p, const char *end, psr_auth *out)
{
    end = trim_end(p, end);
    if (p == end)
        return PSR_AUTH_NONE;
    psr_auth_kind k;
    as_slice a, g;
    switch (*p) {
    case 'n':
        if (eat(&p, end, LIT("new user: "))) {
            k = PSR_AUTH_USER_ADDED;
            return shadow_kv(p, end, out, 1) ? (out->kind = k) : malformed(out, k, msg, p);
        }
        if (eat(&p, end, LIT("new group: "))) {
            k = PSR_AUTH_GROUP_ADDED;
            return shadow_kv(p, end, out, 0) ? (out->kind = k) : malformed(out, k, msg, p);
        }
        break;
    case 'g':
        if (eat(&p, end, LIT("group added to "))) {    /* per-database line: an echo of `new group:` */
            const char *c = find(p, end, LIT(": "));
            k = PSR_AUTH_GROUP_ADDED;
            if (c == NULL || !shadow_kv(c + 2, end, out, 0))
                return malformed(out, k, msg, c ? c + 2 : end);
            out->flags |= PSR_AUTH_F_ECHO;
            return out->kind = k;
        }
        if (eat(&p, end, LIT("group ")) && eat_quoted(&p, end, &g) && eat(&p, end, LIT(" removed"))) {
            out->group = g;
            if (p != end)                       /* `group 'x' removed from /etc/gshadow` */
                out->flags |= PSR_AUTH_F_ECHO;
            return out->kind = PSR_AUTH_GROUP_DELETED;
        }
        break;
    case 'r':
        if (eat(&p, end, LIT("removed "))) {   /* userdel: `removed group 'x' owned by 'y'` */
            if (eat(&p, end, LIT("shadow ")))
                out->flags |= PSR_AUTH_F_ECHO;
            if (eat(&p, end, LIT("group ")) && eat_quoted(&p, end, &g) && eat(&p, end, LIT(" owned by ")) &&
                eat_quoted(&p, end, &a) && p == end) {
                out->group = g;
                out->user = a;
                return out->kind = PSR_AUTH_GROUP_DELETED;
            }
            return malformed(out, PSR_AUTH_GROUP_DELETED, msg, p);
        }
        if (eat(&p, end, LIT("remove group ")) && eat_quoted(&p, end, &g) && p == end) {   /* groupdel 4.1 */
            out->group = g;
            return out->kind = PSR_AUTH_GROUP_DELETED;
        }
        break;
    case 'd':
        if (eat(&p, end, LIT("delete user "))) {
            k = PSR_AUTH_USER_DELETED;
            if (!eat_quoted(&p, end, &a) || p != end)
                return malformed(out, k, msg, p);
            out->user = a;
            return out->kind = k;
        }
        if (eat(&p, end, LIT("delete "))) {    /* `delete 'bob' from [shadow ]group 'sudo'` */
            k = PSR_AUTH_GROUP_MEMBER_REMOVED;
            if (!eat_quoted(&p, end, &a) || !eat(&p, end, LIT(" from ")))
                return malformed(out, k, msg, p);
            if (eat(&p, end, LIT("shadow ")))
                out->flags |= PSR_AUTH_F_ECHO;
            if (!eat(&p, end, LIT("group ")) || !eat_quoted(&p, end, &g) || p != end)
                return malformed(out, k, msg, p);
            out->user = a;
            out->group = g;
            return out->kind = k;
        }
        break;
    case 'a':
        if (eat(&p, end, LIT("add "))) {       /* `add 'bob' to [shadow ]group 'sudo'` */
            k = PSR_AUTH_GROUP_MEMBER_ADDED;
            if (!eat_quoted(&p, end, &a) || !eat(&p, end, LIT(" to ")))
                return malformed(out, k, msg, p);
            if (eat(&p, end, LIT("shadow ")))
                out->flags |= PSR_AUTH_F_ECHO;
            if (!eat(&p, end, LIT("group ")) || !eat_quoted(&p, end, &g) || p != end)
                return malformed(out, k, msg, p);
            out->user = a;
            out->group = g;
            return out->kind = k;
        }
        break;
    case 'u':
        /* gpasswd: `user bob added by root to group sudo`, `user bob removed by root from group sudo` */
        if (eat(&p, end, LIT("user "))) {
            const char *sp = memchr(p, ' ', (size_t)(end - p));
            if (sp == NULL)
                break;
            a = as_slice_from(p, sp);
            p = sp;
            const char *grp_kw;
            size_t grp_n;
            if (eat(&p, end, LIT(" added by "))) {
                k = PSR_AUTH_GROUP_MEMBER_ADDED;
                grp_kw = " to group ";
                grp_n = 10;
            } else if (eat(&p, end, LIT(" removed by "))) {
                k = PSR_AUTH_GROUP_MEMBER_REMOVED;
                grp_kw = " from group ";
                grp_n = 12;
            } else {
                break;
            }
            const char *b = p;
            const char *gk = find(p, end, grp_kw, grp_n);
            if (gk == NULL || gk == b)
                return malformed(out, k, msg, gk ? gk : end);
            p = gk + grp_n;
            const char *ge = memchr(p, ' ', (size_t)(end - p));   /* a `%s` suffix may follow */
            if (ge == NULL)
                ge = end;
            if (ge == p)
                return malformed(out, k, msg, p);
            out->user = a;
            out->by_user = as_slice_from(b, gk);
            out->group = as_slice_from(p, ge);
            return out->kind = k;
        }
        break;
    default:
        break;
    }
    return PSR_AUTH_NONE;
}

/* ---- dispatch ---- */

/* The old PAM form `su(pam_unix)[21416]: session opened ...`: the tag names
 * the service. */
static void old_pam_service(as_slice app, psr_auth *out)
{
    if (app.len > 10 && memcmp(app.ptr + app.len - 10, "(pam_unix)", 10) == 0)
        out->service = as_slice_make(app.ptr, app.len - 10);
    else
        out->service = app;
    out->flags |= PSR_AUTH_F_PAM_OLD;
}

static psr_auth_kind extract(as_slice app, app_class cls, const char *msg, const char *p, const char *end,
                             psr_auth *out)
{
    if (p == end)
        return PSR_AUTH_NONE;
    int sshd = cls == APP_SSHD || cls == APP_ANY;
    const char *q = p;                          /* each attempt eats from its own cursor */
    psr_auth_kind k;
    switch (*p) {
    case 'A':
        if (sshd && eat(&q, end, LIT("Accepted ")))
            return ssh_auth(msg, q, end, PSR_AUTH_SSH_ACCEPTED, out);
        break;
    case 'F':
        if (sshd && eat(&q, end, LIT("Failed ")))
            return ssh_auth(msg, q, end, PSR_AUTH_SSH_FAILED, out);
        break;
    case 'I':
        if (sshd && eat(&q, end, LIT("Invalid user ")))
            return ssh_invalid(msg, q - 1, end, out);
        break;
    case 'p':
        if (eat(&q, end, LIT("pam_unix(")))
            return pam_new(msg, q, end, out);
        break;
    case 's':
    case 'a':
        if (cls != APP_SUDO && cls != APP_SHADOW &&
            (slice_starts(as_slice_from(p, end), LIT("session ")) ||
             slice_starts(as_slice_from(p, end), LIT("authentication failure;")))) {
            k = pam_body(msg, p, end, out);
            if (k != PSR_AUTH_NONE)
                old_pam_service(app, out);
            return k;
        }
        break;
    default:
        break;
    }
    if (cls == APP_SUDO)
        return sudo_line(msg, p, end, out);
    if (cls == APP_ANY) {
        /* without the program name, only a complete sudo line counts: a
         * `x : y` message of some other program is not a sudo event */
        psr_auth save = *out;
        k = sudo_line(msg, p, end, out);
        if ((k == PSR_AUTH_SUDO || k == PSR_AUTH_SUDO_DENIED) && out->command.ptr != NULL && out->run_as.len)
            return k;
        *out = save;
    }
    if (cls == APP_SHADOW || cls == APP_ANY)
        return shadow(msg, p, end, out);
    return PSR_AUTH_NONE;
}

psr_auth_kind psr_auth_extract(as_slice app, as_slice msg, psr_auth *out)
{
    *out = (psr_auth){ .kind = PSR_AUTH_NONE, .count = 1, .port = -1, .attempts = -1, .uid = -1, .gid = -1,
                       .by_uid = -1 };
    if (msg.len == 0)
        return PSR_AUTH_NONE;
    const char *const b = msg.ptr, *end = b + msg.len;
    const char *p = b;
    app_class cls = classify_app(app);
    /* rsyslog: `message repeated N times: [ MSG]` stands for N events */
    if (*p == 'm' && eat(&p, end, LIT("message repeated "))) {
        int64_t n;
        if (!eat_num(&p, end, UINT32_MAX, &n) || n == 0 || !eat(&p, end, LIT(" times: [")))
            return PSR_AUTH_NONE;               /* rsyslog never writes 0; a count of 0 would hide events */
        const char *close = memrchr(p, ']', (size_t)(end - p));
        if (close == NULL)
            return PSR_AUTH_NONE;
        if (p < close && *p == ' ')
            p++;
        out->kind = extract(app, cls, b, p, close, out);
        out->count = (uint32_t)n;
        out->flags |= PSR_AUTH_F_REPEATED;
        return out->kind;
    }
    out->kind = extract(app, cls, b, p, end, out);
    return out->kind;
}
