/* psr_fmt_line.c: the format-layer glue of the line formats (psr_int.h):
 * combined/common access logs (psr_clf) and syslog with its auth events
 * (psr_syslog, psr_authmsg). A record is scanned once in psr_parse; field
 * values are cut from the scan result when asked for (quoted CLF fields are
 * unescaped then, into the block arena; auth events are extracted on the
 * first auth field asked for).
 */
#include "parsers/psr_int.h"

#include <string.h>  /* memcmp */

const psr_field_def psr_clf_fields[PSR_CLF_N_FIELDS] = {
    { "vhost", AS_V_STR, "virtual host before the client (vhost_combined), when present" },
    { "client", AS_V_STR, "client address: IPv4, IPv6, host name, unix:, or a proxy list" },
    { "ident", AS_V_STR, "RFC 1413 identity (%l); null for -" },
    { "user", AS_V_STR, "authenticated user (%u, $remote_user); null for -" },
    { "time", AS_V_TIME, "request time [10/Oct/2000:13:55:36 -0700]" },
    { "request", AS_V_STR, "the request line, unescaped" },
    { "method", AS_V_STR, "HTTP method, when the request is METHOD target HTTP/x.y" },
    { "path", AS_V_STR, "request target, unescaped" },
    { "protocol", AS_V_STR, "HTTP/1.1" },
    { "status", AS_V_INT, "status code 100..599" },
    { "bytes", AS_V_INT, "response bytes; null for -" },
    { "referer", AS_V_STR, "Referer header, unescaped; null for -" },
    { "user_agent", AS_V_STR, "User-Agent header, unescaped; null for -" },
    { "extra", AS_V_STR, "tokens after the user agent (request time, upstream time)" },
};

const psr_field_def psr_syslog_fields[PSR_SYSLOG_N_FIELDS] = {
    { "time", AS_V_TIME, "event time (RFC 3164 stamps: year inferred)" },
    { "host", AS_V_STR, "HOSTNAME" },
    { "app", AS_V_STR, "program (tag without [pid]) or RFC 5424 APP-NAME" },
    { "pid", AS_V_INT, "numeric process id" },
    { "procid", AS_V_STR, "process id text or RFC 5424 PROCID" },
    { "msgid", AS_V_STR, "RFC 5424 MSGID" },
    { "facility", AS_V_INT, "PRI / 8, when a PRI was given" },
    { "severity", AS_V_INT, "PRI % 8, when a PRI was given" },
    { "sd", AS_V_STR, "RFC 5424 STRUCTURED-DATA, raw" },
    { "message", AS_V_STR, "MSG" },
    { "event", AS_V_STR, "auth event: ssh_accepted, ssh_failed, ssh_invalid_user, sudo, useradd, ..." },
    { "user", AS_V_STR, "the account of the auth event" },
    { "by_user", AS_V_STR, "who acted on it (PAM by, gpasswd added by)" },
    { "source_ip", AS_V_STR, "sshd from / PAM rhost" },
    { "port", AS_V_INT, "sshd source port" },
    { "method", AS_V_STR, "sshd method: publickey, password, keyboard-interactive/pam, ..." },
    { "key_info", AS_V_STR, "sshd key type and fingerprint" },
    { "service", AS_V_STR, "PAM service" },
    { "tty", AS_V_STR, "sudo TTY= / PAM tty=" },
    { "pwd", AS_V_STR, "sudo PWD=" },
    { "run_as", AS_V_STR, "sudo USER=" },
    { "run_group", AS_V_STR, "sudo GROUP=" },
    { "command", AS_V_STR, "sudo COMMAND=" },
    { "reason", AS_V_STR, "sudo refusal reason" },
    { "group", AS_V_STR, "shadow-utils group" },
    { "uid", AS_V_INT, "uid of the account" },
    { "count", AS_V_INT, "events the line stands for (message repeated N times)" },
};

/* The index of name in a field table, or -1. */
/* Rules look fields up by name for every record: compare the first byte,
 * then the rest, without a strlen per table entry. */
static int field_index(const psr_field_def *t, size_t n, as_slice name)
{
    if (name.len == 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (t[i].name[0] == name.ptr[0] && strncmp(t[i].name, name.ptr, name.len) == 0 && t[i].name[name.len] == '\0')
            return (int)i;
    return -1;
}

static void val_str(as_val *v, as_slice s)
{
    if (s.ptr == NULL) {
        v->type = AS_V_MISSING;
        return;
    }
    v->type = AS_V_STR;
    v->u.str = s;
}

static void val_int(as_val *v, int64_t i)
{
    v->type = AS_V_INT;
    v->u.i = i;
}

/* ---- combined / common ---- */

enum { CLF_VHOST, CLF_CLIENT, CLF_IDENT, CLF_USER, CLF_TIME, CLF_REQUEST, CLF_METHOD, CLF_PATH,
       CLF_PROTOCOL, CLF_STATUS, CLF_BYTES, CLF_REFERER, CLF_USER_AGENT, CLF_EXTRA };

static as_code clf_parse(const psr_input *in, psr_worker *w, as_rec *rec, psr_state *st, as_arena *ar,
                         psr_res *res)
{
    (void)in;
    (void)w;
    (void)ar;
    uint64_t col = 0;
    as_code rc = psr_clf_scan(rec->raw, &st->u.clf, &col);
    if (rc != AS_OK) {
        res->err_line = 1;
        res->err_col = col;
        return rc;
    }
    res->time = st->u.clf.time;
    return AS_OK;
}

/* "-" in an optional text field is null (docs/formats.md). */
static int clf_text(as_val *v, as_slice raw, int dash_is_null, int unescape, as_arena *ar)
{
    if (raw.ptr == NULL) {
        v->type = AS_V_MISSING;
        return AS_OK;
    }
    if (dash_is_null && raw.len == 1 && raw.ptr[0] == '-') {
        v->type = AS_V_NULL;
        return AS_OK;
    }
    if (unescape) {
        as_slice d;
        as_code rc = psr_clf_unescape_view(raw, ar, &d);
        if (rc != AS_OK)
            return rc;
        raw = d;
    }
    val_str(v, raw);
    return AS_OK;
}

static int clf_field(const psr_clf *c, int idx, as_val *v, as_arena *ar)
{
    switch (idx) {
    case CLF_VHOST:      return clf_text(v, c->vhost.len ? c->vhost : (as_slice){ NULL, 0 }, 0, 0, ar);
    case CLF_CLIENT:     return clf_text(v, c->client, 0, 0, ar);
    case CLF_IDENT:      return clf_text(v, (c->variant & PSR_CLF_HAS_IDENT) ? c->ident : (as_slice){ NULL, 0 }, 1, 0, ar);
    case CLF_USER:       return clf_text(v, (c->variant & PSR_CLF_HAS_USER) ? c->user : (as_slice){ NULL, 0 }, 1, 0, ar);
    case CLF_TIME:       v->type = AS_V_TIME; v->u.t = c->time; return AS_OK;
    case CLF_REQUEST:    return clf_text(v, c->request, 0, 1, ar);
    case CLF_METHOD:     return clf_text(v, (c->variant & PSR_CLF_SPLIT) ? c->method : (as_slice){ NULL, 0 }, 0, 0, ar);
    case CLF_PATH:       return clf_text(v, (c->variant & PSR_CLF_SPLIT) ? c->path : (as_slice){ NULL, 0 }, 0, 1, ar);
    case CLF_PROTOCOL:   return clf_text(v, (c->variant & PSR_CLF_SPLIT) ? c->protocol : (as_slice){ NULL, 0 }, 0, 0, ar);
    case CLF_STATUS:
        if (c->status == 0)
            v->type = AS_V_MISSING;
        else
            val_int(v, c->status);
        return AS_OK;
    case CLF_BYTES:
        if (c->bytes < 0)
            v->type = AS_V_NULL;
        else
            val_int(v, c->bytes);
        return AS_OK;
    case CLF_REFERER:    return clf_text(v, (c->variant & PSR_CLF_HAS_REFERER) ? c->referer : (as_slice){ NULL, 0 }, 1, 1, ar);
    case CLF_USER_AGENT: return clf_text(v, (c->variant & PSR_CLF_HAS_USER_AGENT) ? c->user_agent : (as_slice){ NULL, 0 }, 1, 1, ar);
    case CLF_EXTRA:      return clf_text(v, c->extra.len ? c->extra : (as_slice){ NULL, 0 }, 0, 0, ar);
    default:             v->type = AS_V_MISSING; return AS_OK;
    }
}

int psr_clf_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar)
{
    const psr_state *st = rec->state;
    int idx = field_index(psr_clf_fields, PSR_CLF_N_FIELDS, name);
    if (st == NULL || idx < 0) {
        out->type = AS_V_MISSING;
        return AS_OK;
    }
    return clf_field(&st->u.clf, idx, out, ar);
}

static as_code clf_each(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar)
{
    const psr_state *st = rec->state;
    for (int i = 0; i < PSR_CLF_N_FIELDS; i++) {
        as_val v;
        as_code rc = (as_code)clf_field(&st->u.clf, i, &v, ar);
        if (rc != AS_OK)
            return rc;
        if (v.type != AS_V_MISSING)
            fn(arg, as_slice_cstr(psr_clf_fields[i].name), &v);
    }
    return AS_OK;
}

const psr_ops psr_ops_clf = { clf_parse, clf_each };

/* ---- syslog ---- */

enum { SL_TIME, SL_HOST, SL_APP, SL_PID, SL_PROCID, SL_MSGID, SL_FACILITY, SL_SEVERITY, SL_SD,
       SL_MESSAGE, SL_EVENT, SL_USER, SL_BY_USER, SL_SOURCE_IP, SL_PORT, SL_METHOD, SL_KEY_INFO,
       SL_SERVICE, SL_TTY, SL_PWD, SL_RUN_AS, SL_RUN_GROUP, SL_COMMAND, SL_REASON, SL_GROUP, SL_UID,
       SL_COUNT };

static as_code syslog_parse(const psr_input *in, psr_worker *w, as_rec *rec, psr_state *st,
                            as_arena *ar, psr_res *res)
{
    (void)w;
    (void)ar;
    psr_syslog_opts o = { in->ctx->opts.tz_offset_min };
    uint64_t col = 0;
    psr_syslog *s = &st->u.sys.sl;
    as_code rc = psr_syslog_scan(rec->raw, &o, s, &col);
    st->u.sys.has_auth = 0;
    if (rc != AS_OK) {
        res->err_line = 1;
        res->err_col = col;
        return rc;
    }
    if (s->flags & PSR_SYSLOG_F_NO_YEAR) {
        res->needs_year = 1;
        res->month = s->month;
        res->day = s->day;
        res->sod = s->sod;
    } else if (!(s->flags & PSR_SYSLOG_F_NIL_TIME)) {
        res->time = s->time;
    }
    return AS_OK;
}

static const psr_auth *syslog_auth(const psr_state *cst)
{
    psr_state *st = (psr_state *)cst;  /* the lazily filled cache of a worker-owned record */
    if (!st->u.sys.has_auth) {
        (void)psr_auth_extract(st->u.sys.sl.app, st->u.sys.sl.msg, &st->u.sys.auth);
        st->u.sys.has_auth = 1;
    }
    return &st->u.sys.auth;
}

static int syslog_field(const psr_state *st, int idx, as_val *v)
{
    const psr_syslog *s = &st->u.sys.sl;
    v->type = AS_V_MISSING;
    switch (idx) {
    case SL_TIME:
        if (!(s->flags & (PSR_SYSLOG_F_NO_YEAR | PSR_SYSLOG_F_NIL_TIME))) {
            v->type = AS_V_TIME;
            v->u.t = s->time;
        }
        return AS_OK;
    case SL_HOST:     if (s->host.len) val_str(v, s->host); return AS_OK;
    case SL_APP:      if (s->app.len) val_str(v, s->app); return AS_OK;
    case SL_PID:      if (s->pid >= 0) val_int(v, s->pid); return AS_OK;
    case SL_PROCID:   if (s->procid.len) val_str(v, s->procid); return AS_OK;
    case SL_MSGID:    if (s->msgid.len) val_str(v, s->msgid); return AS_OK;
    case SL_FACILITY: if (s->facility >= 0) val_int(v, s->facility); return AS_OK;
    case SL_SEVERITY: if (s->severity >= 0) val_int(v, s->severity); return AS_OK;
    case SL_SD:       if (s->sd.len) val_str(v, s->sd); return AS_OK;
    case SL_MESSAGE:  val_str(v, s->msg.ptr ? s->msg : (as_slice){ "", 0 }); return AS_OK;
    default: break;
    }
    const psr_auth *a = syslog_auth(st);
    if (a->kind == PSR_AUTH_NONE)
        return AS_OK;
    switch (idx) {
    case SL_EVENT:     val_str(v, as_slice_cstr(psr_auth_kind_name(a->kind))); break;
    case SL_USER:      if (a->user.len) val_str(v, a->user); break;
    case SL_BY_USER:   if (a->by_user.len) val_str(v, a->by_user); break;
    case SL_SOURCE_IP: if (a->source_ip.len) val_str(v, a->source_ip); break;
    case SL_PORT:      if (a->port > 0) val_int(v, a->port); break;
    case SL_METHOD:    if (a->method.len) val_str(v, a->method); break;
    case SL_KEY_INFO:  if (a->key_info.len) val_str(v, a->key_info); break;
    case SL_SERVICE:   if (a->service.len) val_str(v, a->service); break;
    case SL_TTY:       if (a->tty.len) val_str(v, a->tty); break;
    case SL_PWD:       if (a->pwd.len) val_str(v, a->pwd); break;
    case SL_RUN_AS:    if (a->run_as.len) val_str(v, a->run_as); break;
    case SL_RUN_GROUP: if (a->run_group.len) val_str(v, a->run_group); break;
    case SL_COMMAND:   if (a->command.len) val_str(v, a->command); break;
    case SL_REASON:    if (a->reason.len) val_str(v, a->reason); break;
    case SL_GROUP:     if (a->group.len) val_str(v, a->group); break;
    case SL_UID:       if (a->uid >= 0) val_int(v, a->uid); break;
    case SL_COUNT:     val_int(v, a->count); break;
    default: break;
    }
    return AS_OK;
}

int psr_syslog_get(const as_rec *rec, as_slice name, as_val *out, as_arena *ar)
{
    (void)ar;
    const psr_state *st = rec->state;
    int idx = field_index(psr_syslog_fields, PSR_SYSLOG_N_FIELDS, name);
    if (st == NULL || idx < 0) {
        out->type = AS_V_MISSING;
        return AS_OK;
    }
    return syslog_field(st, idx, out);
}

static as_code syslog_each(const as_rec *rec, psr_field_fn fn, void *arg, as_arena *ar)
{
    (void)ar;
    for (int i = 0; i < PSR_SYSLOG_N_FIELDS; i++) {
        as_val v;
        (void)syslog_field(rec->state, i, &v);
        if (v.type != AS_V_MISSING)
            fn(arg, as_slice_cstr(psr_syslog_fields[i].name), &v);
    }
    return AS_OK;
}

const psr_ops psr_ops_syslog = { syslog_parse, syslog_each };
