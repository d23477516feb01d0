/* gen_okta.c: Okta System Log export, one JSONL file per month (see gen_okta.h).
 *
 * One job per calendar month of the period. For every day it draws each
 * active employee's sign-ins (user.session.start, policy.evaluate_sign_on,
 * user.authentication.auth_via_mfa sharing the session's externalSessionId,
 * user.authentication.sso to apps), adds lifecycle events for hires and
 * leavers and the world's planned events that fall in the month, sorts the
 * month by `published` and writes one object per line. Months with an odd
 * index are zstd-compressed; the first month (plain) holds the one invalid
 * JSON line. Admin sign-ins always carry MFA except the planned deviations;
 * about 1% of other users' sign-ins have none (not a deviation). */
#include "tools/gen/gen_okta.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_evl.h"
#include "tools/gen/gen_fmt.h"
#include "tools/gen/gen_json.h"

#define OKTA_SESSION_PERMILLE_WEEKDAY 450
#define OKTA_SESSION_PERMILLE_WEEKEND 40
#define OKTA_NO_MFA_PERMILLE          10   /* non-admin sign-ins without MFA */
#define OKTA_FAIL_PERMILLE            50   /* a failed attempt before the sign-in */

static const char *const k_apps[] = { "Slack", "Google Workspace", "Zoom", "Salesforce", "GitHub",
                                      "AWS IAM Identity Center", "Jira Cloud" };
enum { APP_GITHUB = 4, APP_AWS = 5 };

typedef struct okta_target {
    const char *id, *type, *alternate, *display;
} okta_target;

/* One event's variable parts. */
typedef struct okta_spec {
    const char *type;         /* eventType */
    const char *legacy;       /* legacyEventType */
    const char *display_msg;  /* displayMessage */
    const char *severity;     /* INFO, WARN */
    const char *actor_id, *actor_type, *actor_alt, *actor_name;
    const char *ip;
    const gen_browser *br;
    const gen_city    *city;
    const char *cred;         /* authenticationContext.credentialType or NULL */
    const char *session;      /* externalSessionId or NULL */
    const char *result, *reason;
    okta_target targets[2];
    int         n_targets;
    const char *uri;          /* debugData.requestUri */
    const char *dkeys[3], *dvals[3]; /* extra debugData; a NULL value is skipped */
    int         n_debug;
} okta_spec;

typedef struct okta_job {
    const gen_world *w;
    gen_rng  r;
    gen_evl  l;
    gen_json j;
    int64_t  from, to;        /* the month's part of the period */
    int      admin;           /* an Okta admin who performs lifecycle changes */
} okta_job;

static void rand_alnum(gen_rng *r, char *out, size_t n)
{
    static const char k_alnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (size_t i = 0; i < n; i++)
        out[i] = k_alnum[gen_rng_below(r, sizeof k_alnum - 1)];
    out[n] = '\0';
}

static void uuid(gen_rng *r, char out[37])
{
    uint64_t a = gen_rng_next(r), b = gen_rng_next(r);
    char *p = out;
    p = gen_put_hex(p, a >> 32, 8);
    *p++ = '-';
    p = gen_put_hex(p, a >> 16, 4);
    *p++ = '-';
    p = gen_put_hex(p, 0x4000 | (a & 0x0fff), 4);
    *p++ = '-';
    p = gen_put_hex(p, 0x8000 | (b >> 48 & 0x3fff), 4);
    *p++ = '-';
    p = gen_put_hex(p, b, 12);
    *p = '\0';
}

/* Appends one event to the month list. */
static void event(okta_job *o, int64_t t, const okta_spec *s)
{
    char id[37], txn[32], ts[GEN_FMT_TIME_MAX];
    gen_json *j = &o->j;
    size_t start = o->l.text.len;
    uuid(&o->r, id);
    rand_alnum(&o->r, txn, 20);
    gen_fmt_iso_ms(ts, t);
    gen_json_begin(j, &o->l.text);
    gen_json_obj(j);
    gen_json_kstr(j, "uuid", id);
    gen_json_kstr(j, "published", ts);
    gen_json_kstr(j, "eventType", s->type);
    gen_json_kstr(j, "version", "0");
    gen_json_kstr(j, "severity", s->severity ? s->severity : "INFO");
    gen_json_kstr(j, "legacyEventType", s->legacy);
    gen_json_kstr(j, "displayMessage", s->display_msg);
    gen_json_kobj(j, "actor");
    gen_json_kstr(j, "id", s->actor_id);
    gen_json_kstr(j, "type", s->actor_type ? s->actor_type : "User");
    gen_json_kstr(j, "alternateId", s->actor_alt);
    gen_json_kstr(j, "displayName", s->actor_name);
    gen_json_knull(j, "detailEntry");
    gen_json_end_obj(j);
    gen_json_kobj(j, "client");
    gen_json_kobj(j, "userAgent");
    gen_json_kstr(j, "rawUserAgent", s->br->ua);
    gen_json_kstr(j, "os", s->br->os);
    gen_json_kstr(j, "browser", s->br->browser);
    gen_json_end_obj(j);
    gen_json_kstr(j, "zone", "null");
    gen_json_kstr(j, "device", "Computer");
    gen_json_knull(j, "id");
    gen_json_kstr(j, "ipAddress", s->ip);
    gen_json_kobj(j, "geographicalContext");
    gen_json_kstr(j, "city", s->city->city);
    gen_json_kstr(j, "state", s->city->state);
    gen_json_kstr(j, "country", s->city->country);
    gen_json_kstr(j, "postalCode", s->city->postal);
    gen_json_end_obj(j);
    gen_json_end_obj(j);
    gen_json_knull(j, "device");
    gen_json_kobj(j, "authenticationContext");
    gen_json_kstr(j, "authenticationProvider", s->cred ? "OKTA_AUTHENTICATION_PROVIDER" : NULL);
    gen_json_knull(j, "credentialProvider");
    gen_json_kstr(j, "credentialType", s->cred);
    gen_json_knull(j, "issuer");
    gen_json_knull(j, "interface");
    gen_json_kint(j, "authenticationStep", 0);
    gen_json_kstr(j, "externalSessionId", s->session);
    gen_json_end_obj(j);
    gen_json_kobj(j, "outcome");
    gen_json_kstr(j, "result", s->result);
    gen_json_kstr(j, "reason", s->reason);
    gen_json_end_obj(j);
    gen_json_key(j, "target");
    if (s->n_targets == 0) {
        gen_json_null(j);
    } else {
        gen_json_arr(j);
        for (int k = 0; k < s->n_targets; k++) {
            gen_json_obj(j);
            gen_json_kstr(j, "id", s->targets[k].id);
            gen_json_kstr(j, "type", s->targets[k].type);
            gen_json_kstr(j, "alternateId", s->targets[k].alternate);
            gen_json_kstr(j, "displayName", s->targets[k].display);
            gen_json_knull(j, "detailEntry");
            gen_json_end_obj(j);
        }
        gen_json_end_arr(j);
    }
    gen_json_kobj(j, "transaction");
    gen_json_kstr(j, "type", "WEB");
    gen_json_kstr(j, "id", txn);
    gen_json_kobj(j, "detail");
    gen_json_end_obj(j);
    gen_json_end_obj(j);
    gen_json_kobj(j, "debugContext");
    gen_json_kobj(j, "debugData");
    gen_json_kstr(j, "requestId", txn);
    gen_json_kstr(j, "requestUri", s->uri);
    gen_json_kstr(j, "threatSuspected", "false");
    for (int k = 0; k < s->n_debug; k++)
        if (s->dvals[k] != NULL)
            gen_json_kstr(j, s->dkeys[k], s->dvals[k]);
    gen_json_end_obj(j);
    gen_json_end_obj(j);
    gen_json_end_obj(j);
    if (j->failed)
        o->l.failed = 1;
    gen_evl_push(&o->l, t, start, 0);
}

static void spec_actor(okta_spec *s, const gen_world *w, const gen_emp *e)
{
    s->actor_id = e->okta_id;
    s->actor_type = "User";
    s->actor_alt = e->email;
    s->actor_name = e->name;
    s->ip = e->ip;
    s->br = &w->browsers[e->browser];
    s->city = &w->cities[e->city];
}

static okta_target user_target(const gen_emp *e)
{
    return (okta_target){ e->okta_id, "User", e->email, e->name };
}

/* A sign-in: optional failure, session start, policy, MFA, app SSO.
 * Returns the index (push order) of the user.session.start event. */
typedef enum { SIGNIN_MFA, SIGNIN_NO_MFA } signin_mfa;

static size_t signin(okta_job *o, const gen_emp *e, int64_t t, signin_mfa mfa, int apps)
{
    const gen_world *w = o->w;
    char sess[32];
    memcpy(sess, "102", sizeof "102");   /* rand_alnum overwrites the NUL */
    rand_alnum(&o->r, sess + 3, 22);
    okta_spec s;
    memset(&s, 0, sizeof s);
    spec_actor(&s, w, e);
    if (gen_rng_permille(&o->r, OKTA_FAIL_PERMILLE) && t - 90000 >= o->from) {
        s.type = "user.session.start";
        s.legacy = "core.user_auth.login_failed";
        s.display_msg = "User login to Okta";
        s.severity = "WARN";
        s.cred = "PASSWORD";
        s.result = "FAILURE";
        s.reason = "INVALID_CREDENTIALS";
        s.uri = "/api/v1/authn";
        event(o, t - gen_rng_range(&o->r, 20000, 90000), &s);
    }
    s.type = "user.session.start";
    s.legacy = "core.user_auth.login_success";
    s.display_msg = "User login to Okta";
    s.severity = "INFO";
    s.cred = "PASSWORD";
    s.session = sess;
    s.result = "SUCCESS";
    s.reason = NULL;
    s.uri = "/api/v1/authn";
    event(o, t, &s);
    size_t start_idx = o->l.n - 1;

    okta_spec p = s;
    p.type = "policy.evaluate_sign_on";
    p.legacy = NULL;
    p.display_msg = "Evaluation of sign-on policy";
    p.cred = NULL;
    p.result = mfa == SIGNIN_MFA ? "CHALLENGE" : "ALLOW";
    p.reason = mfa == SIGNIN_MFA ? "Sign-on policy evaluation resulted in CHALLENGE" : "Sign-on policy evaluation resulted in ALLOW";
    p.uri = "/login/do-login";
    event(o, t + gen_rng_range(&o->r, 100, 900), &p);
    int64_t tm = t + gen_rng_range(&o->r, 3000, 40000);
    if (mfa == SIGNIN_MFA) {
        okta_spec m = s;
        m.type = "user.authentication.auth_via_mfa";
        m.legacy = "core.user.factor.attempt_success";
        m.display_msg = "Authentication of user via MFA";
        m.cred = "OTP";
        m.result = "SUCCESS";
        m.uri = "/api/v1/authn/factors/ostf1a2b3c4d5e6f7g8/verify";
        m.dkeys[0] = "factor";
        m.dvals[0] = "OKTA_VERIFY_PUSH";
        m.n_debug = 1;
        event(o, tm, &m);
    }
    for (int k = 0; k < apps; k++) {
        unsigned app = (unsigned)gen_rng_below(&o->r, AS_ARRAY_LEN(k_apps));
        if ((app == APP_GITHUB && !((e->access >> GEN_SYS_GITHUB) & 1)) ||
            (app == APP_AWS && !((e->access >> GEN_SYS_AWS) & 1)))
            app = 0;
        okta_spec a = s;
        a.type = "user.authentication.sso";
        a.legacy = "app.auth.sso";
        a.display_msg = "User single sign on to app";
        a.cred = NULL;
        a.targets[0] = (okta_target){ "0oa1b2c3d4e5f6g7h8i9", "AppInstance", k_apps[app], k_apps[app] };
        a.n_targets = 1;
        a.uri = "/app/sso/saml";
        event(o, tm + gen_rng_range(&o->r, 5000, 600000), &a);
    }
    return start_idx;
}

/* Lifecycle and group events by the admin. */
static void admin_event(okta_job *o, int64_t t, const char *type, const char *legacy, const char *msg,
                        const gen_emp *subject, const gen_group *group, const char *result, const char *reason,
                        okta_spec *extra)
{
    const gen_world *w = o->w;
    okta_spec s;
    memset(&s, 0, sizeof s);
    if (extra != NULL)
        s = *extra;
    spec_actor(&s, w, &w->emp[o->admin]);
    s.type = type;
    s.legacy = legacy;
    s.display_msg = msg;
    s.result = result;
    s.reason = reason;
    s.targets[0] = user_target(subject);
    s.n_targets = 1;
    if (group != NULL) {
        s.targets[1] = (okta_target){ group->id, "UserGroup", group->name, group->name };
        s.n_targets = 2;
    }
    if (s.uri == NULL)
        s.uri = "/api/v1/users";
    event(o, t, &s);
}

static const gen_group *dept_group(const gen_world *w, const gen_emp *e)
{
    for (size_t g = 0; g < GEN_N_GROUPS; g++)
        if (!w->groups[g].privileged && strcmp(w->groups[g].name, e->dept) == 0)
            return &w->groups[g];
    return NULL;
}

static const gen_group *group_named(const gen_world *w, const char *name)
{
    for (size_t g = 0; g < GEN_N_GROUPS; g++)
        if (strcmp(w->groups[g].name, name) == 0)
            return &w->groups[g];
    return NULL;
}

static int in_month(const okta_job *o, int64_t t) { return t >= o->from && t < o->to; }

static void lifecycle(okta_job *o)
{
    const gen_world *w = o->w;
    for (size_t i = 0; i < w->n_emp; i++) {
        const gen_emp *e = &w->emp[i];
        int64_t tc = e->hire_ms - 3 * GEN_MS_PER_DAY + 2 * GEN_MS_PER_HOUR;
        if (in_month(o, tc)) {
            admin_event(o, tc, "user.lifecycle.create", "core.user.config.user_creation.success",
                        "Create Okta user", e, NULL, "SUCCESS", NULL, NULL);
            admin_event(o, tc + 60000, "group.user_membership.add", "core.user_group_member.user_add",
                        "Add user to group membership", e, group_named(w, "Everyone"), "SUCCESS", NULL, NULL);
            const gen_group *dg = dept_group(w, e);
            if (dg != NULL)
                admin_event(o, tc + 61000, "group.user_membership.add", "core.user_group_member.user_add",
                            "Add user to group membership", e, dg, "SUCCESS", NULL, NULL);
        }
        int64_t ta = e->hire_ms - 2 * GEN_MS_PER_HOUR;
        if (in_month(o, ta))
            admin_event(o, ta, "user.lifecycle.activate", "core.user.config.user_activated", "Activate Okta user", e,
                        NULL, "SUCCESS", NULL, NULL);
        if (e->leave == GEN_LEAVE_NONE || e->leave == GEN_LEAVE_BEFORE || e->leave == GEN_LEAVE_NO_DEACT ||
            !in_month(o, e->deact_ms))
            continue;
        if (e->leave == GEN_LEAVE_SUSPEND)
            admin_event(o, e->deact_ms, "user.lifecycle.suspend", "core.user.config.user_suspended",
                        "Suspend Okta user", e, NULL, "SUCCESS", NULL, NULL);
        else if (e->leave == GEN_LEAVE_FAILED_ONLY)
            admin_event(o, e->deact_ms, "user.lifecycle.deactivate", "core.user.config.user_deactivated",
                        "Deactivate Okta user", e, NULL, "FAILURE",
                        "Deprovisioning failed in downstream application: Salesforce", NULL);
        else
            admin_event(o, e->deact_ms, "user.lifecycle.deactivate", "core.user.config.user_deactivated",
                        "Deactivate Okta user", e, NULL, "SUCCESS", NULL, NULL);
        if (e->leave == GEN_LEAVE_FAILED_ONLY)
            continue;
        /* memberships are removed right after a successful deactivation or suspension */
        const gen_group *dg = dept_group(w, e);
        admin_event(o, e->deact_ms + 41000, "group.user_membership.remove", "core.user_group_member.user_remove",
                    "Remove user from group membership", e, group_named(w, "Everyone"), "SUCCESS", NULL, NULL);
        if (dg != NULL)
            admin_event(o, e->deact_ms + 42000, "group.user_membership.remove", "core.user_group_member.user_remove",
                        "Remove user from group membership", e, dg, "SUCCESS", NULL, NULL);
    }
}

static void planned(okta_job *o)
{
    const gen_world *w = o->w;
    for (size_t k = 0; k < w->okta.n; k++) {
        const gen_plan_ev *p = &w->okta.v[k];
        if (!in_month(o, p->t_ms))
            continue;
        const gen_emp *e = p->emp >= 0 ? &w->emp[p->emp] : NULL;
        if (e == NULL && p->kind != GEN_OKTA_HOSTILE_FAIL)
            continue;   /* never: gen_world plans every other kind with an employee */
        char tf[GEN_FMT_TIME_MAX];
        switch (p->kind) {
        case GEN_OKTA_LOGIN_AFTER_TERM: {
            size_t idx = signin(o, e, p->t_ms, SIGNIN_MFA, 1);
            gen_fmt_iso_s(tf, e->term_ms);
            gen_evl_note_at(&o->l, idx, GEN_NOTE_DEV, "no-login-after-termination", e->email,
                            "successful Okta sign-in by %s after termination at %s", e->email, tf);
            break;
        }
        case GEN_OKTA_LOGIN_AT_TERM: {
            size_t idx = signin(o, e, p->t_ms, SIGNIN_MFA, 0);
            gen_fmt_iso_s(tf, e->term_ms);
            gen_evl_note_at(&o->l, idx, GEN_NOTE_EDGE, "no-login-after-termination", e->email,
                            "Okta sign-in by %s exactly at termination (%s): not after it", e->email, tf);
            break;
        }
        case GEN_OKTA_ADMIN_NO_MFA: {
            size_t idx = signin(o, e, p->t_ms, SIGNIN_NO_MFA, 1);
            gen_evl_note_at(&o->l, idx, GEN_NOTE_DEV, "okta-admin-mfa", e->email,
                            "Okta admin %s signed in without an MFA event for the session", e->email);
            break;
        }
        case GEN_OKTA_PRIV_ADD: {
            okta_spec x;
            memset(&x, 0, sizeof x);
            x.uri = "/api/v1/groups/members";
            x.dkeys[0] = "ticket";
            x.dvals[0] = p->ticket;
            x.n_debug = 1;
            const gen_group *g = &w->groups[p->aux];
            admin_event(o, p->t_ms, "group.user_membership.add", "core.user_group_member.user_add",
                        "Add user to group membership", e, g, "SUCCESS", NULL, &x);
            if (p->ticket == NULL || p->ticket[0] == '\0')
                gen_evl_note(&o->l, GEN_NOTE_DEV, "priv-group-change-ticket", e->email,
                             "%s added to privileged group %s with %s", e->email, g->name,
                             p->ticket == NULL ? "no ticket" : "an empty ticket");
            break;
        }
        case GEN_OKTA_PRIV_GRANT: {
            okta_spec x;
            memset(&x, 0, sizeof x);
            x.uri = "/api/v1/users/roles";
            x.dkeys[0] = "privilegeGranted";
            x.dvals[0] = "Help Desk Administrator";
            x.dkeys[1] = "ticket";
            x.dvals[1] = p->ticket;
            x.n_debug = 2;
            admin_event(o, p->t_ms, "user.account.privilege.grant", "core.user.admin_privilege.granted",
                        "Grant user privilege", e, NULL, "SUCCESS", NULL, &x);
            if (p->ticket == NULL || p->ticket[0] == '\0')
                gen_evl_note(&o->l, GEN_NOTE_DEV, "priv-group-change-ticket", e->email,
                             "privilege Help Desk Administrator granted to %s with no ticket", e->email);
            break;
        }
        case GEN_OKTA_HOSTILE_FAIL: {
            okta_spec s;
            memset(&s, 0, sizeof s);
            s.type = "user.session.start";
            s.legacy = "core.user_auth.login_failed";
            s.display_msg = "User login to Okta";
            s.severity = "WARN";
            s.actor_id = "00uextaudit000000000";
            s.actor_alt = w->hostile_login;
            s.actor_name = w->hostile_name;
            s.ip = "45.155.204.17";
            s.br = &w->browsers[3];
            s.city = &w->cities[6];
            s.cred = "PASSWORD";
            s.result = "FAILURE";
            s.reason = "VERIFICATION_ERROR";
            s.uri = "/api/v1/authn";
            event(o, p->t_ms, &s);
            gen_evl_note(&o->l, GEN_NOTE_HOSTILE, "actor.displayName", w->hostile_name, "%s", w->hostile_name);
            break;
        }
        default:
            break;
        }
    }
}

static void daily(okta_job *o, int64_t day)
{
    const gen_world *w = o->w;
    const int64_t day_ms = day * GEN_MS_PER_DAY;
    unsigned p_sess = gen_is_weekend(day) ? OKTA_SESSION_PERMILLE_WEEKEND : OKTA_SESSION_PERMILLE_WEEKDAY;
    for (size_t i = 0; i < w->n_emp; i++) {
        const gen_emp *e = &w->emp[i];
        unsigned n = gen_rng_permille(&o->r, p_sess) ? 1u + gen_rng_permille(&o->r, 150) : 0u;
        for (unsigned k = 0; k < n; k++) {
            int64_t open = strcmp(w->cities[e->city].country, "Ireland") == 0 ? 8 : 13;
            int64_t t = day_ms + gen_rng_range(&o->r, open * GEN_MS_PER_HOUR, (open + 9) * GEN_MS_PER_HOUR);
            /* a leaver signs in only before termination and before any deactivation */
            if (!gen_emp_active(e, t) || t >= e->deact_ms || t >= e->term_ms - GEN_MS_PER_HOUR || !in_month(o, t))
                continue;
            int is_admin = (int)((e->admin >> GEN_SYS_OKTA) & 1);
            signin_mfa mfa = !is_admin && gen_rng_permille(&o->r, OKTA_NO_MFA_PERMILLE) ? SIGNIN_NO_MFA : SIGNIN_MFA;
            signin(o, e, t, mfa, (int)gen_rng_below(&o->r, 2));
        }
    }
}

/* The one invalid line: an app sign-on (user.authentication.sso, in no
 * control's population, by someone who is not an admin) cut just before its
 * "client" member. */
static void malformed_line(okta_job *o)
{
    const gen_world *w = o->w;
    int64_t t = o->from + (o->to - o->from) * 2 / 5 + 123;
    size_t before = o->l.n;
    const gen_emp *e = &w->emp[0];
    for (size_t i = 1; i < w->n_emp; i++)
        if (w->emp[i].admin == 0 && w->emp[i].term_ms == GEN_NEVER && w->emp[i].hire_ms < o->from) {
            e = &w->emp[i];
            break;
        }
    okta_spec s;
    memset(&s, 0, sizeof s);
    spec_actor(&s, w, e);
    s.type = "user.authentication.sso";
    s.legacy = "app.auth.sso";
    s.display_msg = "User single sign on to app";
    s.result = "SUCCESS";
    s.targets[0] = (okta_target){ "0oa1b2c3d4e5f6g7h8i9", "AppInstance", k_apps[0], k_apps[0] };
    s.n_targets = 1;
    s.uri = "/app/sso/saml";
    event(o, t, &s);
    if (o->l.n == before)
        return;
    gen_ev *ev = &o->l.ev[o->l.n - 1];
    const char *text = gen_evl_text(&o->l, ev);
    const char *cut = NULL;
    for (size_t k = 0; k + 10 <= ev->len; k++)
        if (memcmp(text + k, ",\"client\":", 10) == 0) {
            cut = text + k;
            break;
        }
    if (cut != NULL)
        ev->len = (uint32_t)(cut - text);
    gen_evl_note(&o->l, GEN_NOTE_MALFORMED, "syntax", "", "JSON object cut before \"client\"");
}

static as_code okta_job_run(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    okta_job o;
    memset(&o, 0, sizeof o);
    o.w = w;
    int64_t y = job->a;
    unsigned mo = (unsigned)job->b;
    int64_t m0 = as_days_from_civil(y, mo, 1) * GEN_MS_PER_DAY;
    int64_t m1 = (as_days_from_civil(y, mo, 1) + as_days_in_month(y, mo)) * GEN_MS_PER_DAY;
    o.from = m0 > w->start_ms ? m0 : w->start_ms;
    o.to = m1 < w->end_ms ? m1 : w->end_ms;
    int first_month = o.from == w->start_ms;
    int64_t sy;
    unsigned smo, sd;
    as_civil_from_days(w->start_day, &sy, &smo, &sd);
    unsigned index = (unsigned)((y * 12 + mo) - (sy * 12 + smo)); /* months since the first */
    gen_comp comp = index % 2 && !w->plain ? GEN_COMP_ZSTD : GEN_COMP_NONE;
    gen_rng_seed(&o.r, w->seed, "okta", (uint64_t)(y * 12 + mo));
    for (size_t i = 0; i < w->n_emp; i++)
        if ((w->emp[i].admin >> GEN_SYS_OKTA) & 1) {
            o.admin = (int)i;
            break;
        }
    gen_evl_init(&o.l);
    for (int64_t day = o.from / GEN_MS_PER_DAY; day * GEN_MS_PER_DAY < o.to; day++)
        daily(&o, day);
    lifecycle(&o);
    planned(&o);
    if (first_month)
        malformed_line(&o);
    gen_evl_sort(&o.l);
    as_code rc = AS_OK;
    if (o.l.failed)
        rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);

    char rel[64];
    snprintf(rel, sizeof rel, "okta/okta-%04lld-%02u.jsonl%s", (long long)y, mo, gen_comp_ext(comp));
    gen_file f;
    if (rc == AS_OK && (rc = gen_file_open(&f, job, rel, "okta", "jsonl", comp, err)) == AS_OK) {
        for (size_t k = 0; k < o.l.n && rc == AS_OK; k++) {
            const gen_ev *e = &o.l.ev[k];
            uint64_t line = e->note ? gen_file_line(&f) : 0, off = gen_out_pos(&f.out);
            gen_out_put(&f.out, gen_evl_text(&o.l, e), e->len);
            gen_out_put(&f.out, "\n", 1);
            gen_evl_account(&o.l, e, &f, res, line, off, -1);
            rc = gen_out_maybe_flush(&f.out, err);
        }
        if (rc == AS_OK)
            rc = gen_file_close(&f, res, err);
        else
            gen_file_abort(&f);
    }
    gen_evl_fini(&o.l);
    return rc;
}

int gen_okta_add_jobs(gen_jobs *js, const gen_world *w)
{
    int64_t y;
    unsigned mo, d;
    as_civil_from_days(w->start_day, &y, &mo, &d);
    for (;;) {
        if (as_days_from_civil(y, mo, 1) * GEN_MS_PER_DAY >= w->end_ms)
            break;
        if (gen_jobs_add(js, okta_job_run, NULL, y, mo, 8u << 20) != 0)
            return -1;
        if (++mo > 12) {
            mo = 1;
            y++;
        }
    }
    return 0;
}
