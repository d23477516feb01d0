/* gen_auth.c: Linux auth logs (see gen_auth.h).
 *
 * One job per host writes the whole period day by day: each day's events
 * (heartbeat, hourly cron, scanner noise on public hosts, engineers' SSH
 * sessions with sudo by roster admins, useradd/userdel on the bastion, and
 * the planned deviations from the world) are collected as messages in a
 * gen_evl, sorted by time and written with the host's line prefix. Sessions
 * are clipped to their day so the file stays in time order. The gap host
 * writes nothing at all on its gap day. */
#include "tools/gen/gen_auth.h"

#include <stdarg.h> /* va_list */
#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_evl.h"
#include "tools/gen/gen_fmt.h"

enum { A_SSHD, A_SUDO, A_CRON, A_SYSTEMD, A_USERADD, A_USERDEL };
static const char *const k_app[] = { "sshd", "sudo", "CRON", "systemd", "useradd", "userdel" };
static const unsigned k_pri[] = { 38, 85, 78, 30, 86, 86 }; /* RFC 5424 PRI per app */

#define AUTH_AUX(app, pid) ((uint32_t)(app) | ((uint32_t)(pid) << 4))

static const char *const k_bad_users[] = {
    "admin", "test", "oracle", "ubuntu", "postgres", "user", "git", "deploy", "support", "ftpuser",
    "guest", "pi", "nagios", "hadoop", "minecraft", "jenkins", "ansible", "steam",
};
static const char *const k_sudo_cmds[] = {
    "/usr/bin/systemctl restart nginx", "/usr/bin/journalctl -u sshd --since today", "/usr/bin/apt-get update",
    "/usr/bin/systemctl status postgresql", "/usr/sbin/iptables -L -n", "/usr/bin/tail -n 200 /var/log/syslog",
    "/usr/bin/docker ps", "/usr/bin/du -sh /var/lib/docker", "/bin/cat /etc/sudoers",
};

typedef struct auth_job {
    const gen_world *w;
    const gen_host  *h;
    int              hi;
    gen_rng          r;
    gen_evl          l;
    uint32_t         pid;      /* next process id */
    int             *linux_users; /* employees with a Linux account */
    size_t           n_linux;
} auth_job;

static uint32_t next_pid(auth_job *a)
{
    a->pid += 1 + (uint32_t)gen_rng_below(&a->r, 40);
    if (a->pid > 4190000)
        a->pid = 1200;
    return a->pid;
}

/* Appends a message event (printf-formatted: this path is not hot). */
static void msg(auth_job *a, int64_t t, int app, uint32_t pid, const char *fmt, ...) AS_PRINTF(5, 6);
static void msg(auth_job *a, int64_t t, int app, uint32_t pid, const char *fmt, ...)
{
    size_t start = a->l.text.len;
    if (!a->h->rfc5424)
        t -= t % 1000;  /* RFC 3164 has whole seconds only */
    va_list ap;
    va_start(ap, fmt);
    if (as_buf_vprintf(&a->l.text, fmt, ap) != 0)
        a->l.failed = 1;
    va_end(ap);
    gen_evl_push(&a->l, t, start, AUTH_AUX(app, pid));
}

static void fingerprint(const auth_job *a, const char *login, char out[44])
{
    static const char k_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    gen_rng r;
    gen_rng_seed(&r, a->w->seed, login, 0x55);
    for (int i = 0; i < 43; i++)
        out[i] = k_b64[gen_rng_below(&r, 64)];
    out[43] = '\0';
}

static void source_ip(auth_job *a, const gen_emp *e, char out[16])
{
    if (a->h->public_ssh && strcmp(a->h->role, "bastion") == 0)
        snprintf(out, 16, "%s", e->ip);
    else if (a->h->public_ssh)
        snprintf(out, 16, "10.20.%u.%u", (unsigned)(e->uid % 200), (unsigned)(10 + e->uid % 37));
    else
        snprintf(out, 16, "10.10.0.5"); /* through the bastion */
}

/* An SSH session: Accepted, session opened, sudo commands (roster admins),
 * session closed, clipped to the day. Returns the index of the Accepted event. */
static size_t session(auth_job *a, int64_t t, int64_t day_end, const char *user, uint32_t uid, const char *ip,
                      const char *method, int sudo_cmds)
{
    uint32_t pid = next_pid(a);
    unsigned port = (unsigned)gen_rng_range(&a->r, 32768, 60999);
    char fp[44];
    fingerprint(a, user, fp);
    if (strcmp(method, "publickey") == 0)
        msg(a, t, A_SSHD, pid, "Accepted publickey for %s from %s port %u ssh2: ED25519 SHA256:%s", user, ip, port, fp);
    else
        msg(a, t, A_SSHD, pid, "Accepted %s for %s from %s port %u ssh2", method, user, ip, port);
    size_t accepted = a->l.n - 1;
    msg(a, t + gen_rng_range(&a->r, 5, 300), A_SSHD, pid,
        "pam_unix(sshd:session): session opened for user %s(uid=%u) by (uid=0)", user, uid);
    int64_t end = t + gen_rng_range(&a->r, 3 * GEN_MS_PER_MIN, 150 * GEN_MS_PER_MIN);
    if (end >= day_end)
        end = day_end - 1000;
    int64_t ts = t + 2000;
    for (int k = 0; k < sudo_cmds; k++) {
        ts += gen_rng_range(&a->r, 20000, 60000);
        if (ts + 10000 >= end)
            break;
        const char *cmd = k_sudo_cmds[gen_rng_below(&a->r, AS_ARRAY_LEN(k_sudo_cmds))];
        msg(a, ts, A_SUDO, 0, "%s : TTY=pts/%u ; PWD=/home/%s ; USER=root ; COMMAND=%s", user, (unsigned)(pid % 4),
            user, cmd);
        msg(a, ts + 8, A_SUDO, 0, "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%u)", user,
            uid);
        msg(a, ts + 2000 + gen_rng_range(&a->r, 0, 5000), A_SUDO, 0,
            "pam_unix(sudo:session): session closed for user root");
    }
    msg(a, end, A_SSHD, pid, "pam_unix(sshd:session): session closed for user %s", user);
    return accepted;
}

static void scanner_noise(auth_job *a, int64_t day_ms)
{
    unsigned bursts = (unsigned)gen_rng_range(&a->r, 1, 5) * a->w->mild_milli / 1000 + 1;
    for (unsigned b = 0; b < bursts; b++) {
        char ip[16];
        snprintf(ip, sizeof ip, "%u.%u.%u.%u", (unsigned)gen_rng_range(&a->r, 23, 222),
                 (unsigned)gen_rng_below(&a->r, 256), (unsigned)gen_rng_below(&a->r, 256),
                 (unsigned)gen_rng_range(&a->r, 1, 254));
        int64_t t = day_ms + gen_rng_range(&a->r, 0, GEN_MS_PER_DAY - 10 * GEN_MS_PER_MIN);
        unsigned tries = (unsigned)gen_rng_range(&a->r, 2, 12);
        for (unsigned k = 0; k < tries; k++) {
            uint32_t pid = next_pid(a);
            unsigned port = (unsigned)gen_rng_range(&a->r, 1024, 65535);
            t += gen_rng_range(&a->r, 800, 9000);
            if (gen_rng_permille(&a->r, 200)) {
                msg(a, t, A_SSHD, pid, "Failed password for root from %s port %u ssh2", ip, port);
            } else {
                const char *u = k_bad_users[gen_rng_below(&a->r, AS_ARRAY_LEN(k_bad_users))];
                msg(a, t, A_SSHD, pid, "Invalid user %s from %s port %u", u, ip, port);
                msg(a, t + 1200, A_SSHD, pid, "Failed password for invalid user %s from %s port %u ssh2", u, ip, port);
            }
            msg(a, t + 1500, A_SSHD, pid, "Connection closed by %s port %u [preauth]", ip, port);
        }
    }
}

static void planned(auth_job *a, int64_t day_ms, int64_t day_end)
{
    const gen_world *w = a->w;
    for (size_t k = 0; k < w->auth.n; k++) {
        const gen_plan_ev *p = &w->auth.v[k];
        if (p->host != a->hi || p->t_ms < day_ms || p->t_ms >= day_end)
            continue;
        const gen_emp *e = p->emp >= 0 ? &w->emp[p->emp] : NULL;
        if (e == NULL && p->kind != GEN_AUTH_SSH_ROOT)
            continue;   /* never: gen_world plans every other kind with an employee */
        char ip[16];
        switch (p->kind) {
        case GEN_AUTH_SUDO_NOT_IN_SUDOERS:
            /* padded user name, as sudo writes it */
            source_ip(a, e, ip);
            session(a, p->t_ms, day_end, e->login, e->uid, ip, "publickey", 0);
            msg(a, p->t_ms + 45000, A_SUDO, 0, "%8s : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/%s ; USER=root ; "
                "COMMAND=/usr/bin/cat /etc/shadow", e->login, e->login);
            gen_evl_note(&a->l, GEN_NOTE_DEV, "sudo-admins-only", e->login,
                         "sudo by %s on %s: user NOT in sudoers; not on the linux admin roster", e->login, a->h->name);
            break;
        case GEN_AUTH_SUDO_UNLISTED: {
            source_ip(a, e, ip);
            session(a, p->t_ms, day_end, e->login, e->uid, ip, "publickey", 0);
            int64_t ts = p->t_ms + 45000;
            msg(a, ts, A_SUDO, 0, "%s : TTY=pts/1 ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl restart "
                "buildkite-agent", e->login, e->login);
            gen_evl_note(&a->l, GEN_NOTE_DEV, "sudo-admins-only", e->login,
                         "sudo by %s on %s, who is not on the linux admin roster", e->login, a->h->name);
            msg(a, ts + 8, A_SUDO, 0, "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%u)",
                e->login, e->uid);
            msg(a, ts + 3100, A_SUDO, 0, "pam_unix(sudo:session): session closed for user root");
            break;
        }
        case GEN_AUTH_SSH_PASSWORD:
        case GEN_AUTH_SSH_KBDINT: {
            const char *method = p->kind == GEN_AUTH_SSH_PASSWORD ? "password" : "keyboard-interactive/pam";
            source_ip(a, e, ip);
            size_t acc = session(a, p->t_ms, day_end, e->login, e->uid, ip, method, 0);
            gen_evl_note_at(&a->l, acc, GEN_NOTE_DEV, "ssh-publickey-only", e->login, "Accepted %s for %s on %s",
                            method, e->login, a->h->name);
            break;
        }
        case GEN_AUTH_SSH_ROOT: {
            size_t acc = session(a, p->t_ms, day_end, "root", 0, "10.10.0.5", "publickey", 0);
            gen_evl_note_at(&a->l, acc, GEN_NOTE_DEV, "ssh-no-root", "root", "Accepted publickey for root on %s",
                            a->h->name);
            break;
        }
        default:
            break;
        }
    }
}

static void one_day(auth_job *a, int64_t day)
{
    const gen_world *w = a->w;
    const int64_t day_ms = day * GEN_MS_PER_DAY, day_end = day_ms + GEN_MS_PER_DAY;
    /* heartbeat */
    int64_t t = day_ms + gen_rng_range(&a->r, 1000, 4000);
    msg(a, t, A_SYSTEMD, 1, "Starting logrotate.service - Rotate log files...");
    msg(a, t + 412, A_SYSTEMD, 1, "logrotate.service: Deactivated successfully.");
    msg(a, t + 415, A_SYSTEMD, 1, "Finished logrotate.service - Rotate log files.");
    /* hourly cron */
    for (int h = 0; h < 24; h++) {
        uint32_t pid = next_pid(a);
        int64_t tc = day_ms + h * GEN_MS_PER_HOUR + 17 * GEN_MS_PER_MIN + 1000 + gen_rng_range(&a->r, 0, 300);
        msg(a, tc, A_CRON, pid, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)");
        msg(a, tc + gen_rng_range(&a->r, 20, 900), A_CRON, pid, "pam_unix(cron:session): session closed for user root");
    }
    if (a->h->public_ssh)
        scanner_noise(a, day_ms);
    /* engineers' sessions */
    unsigned n_sess = gen_is_weekend(day) ? (unsigned)gen_rng_range(&a->r, 0, 2) : (unsigned)gen_rng_range(&a->r, 3, 9);
    n_sess = n_sess * a->w->mild_milli / 1000;
    for (unsigned s = 0; s < n_sess && a->n_linux; s++) {
        int64_t ts = day_ms + gen_rng_range(&a->r, 12 * GEN_MS_PER_HOUR, 23 * GEN_MS_PER_HOUR);
        const gen_emp *e = &w->emp[a->linux_users[gen_rng_below(&a->r, a->n_linux)]];
        if (!gen_emp_active(e, ts) || !gen_emp_active(e, day_end - 1))
            continue;
        char ip[16];
        source_ip(a, e, ip);
        int is_admin = (int)((e->admin >> GEN_SYS_LINUX) & 1);
        session(a, ts, day_end, e->login, e->uid, ip, "publickey", is_admin ? (int)gen_rng_below(&a->r, 3) : 0);
    }
    /* accounts on the bastion: useradd on the hire day, userdel after termination */
    if (strcmp(a->h->role, "bastion") == 0)
        for (size_t i = 0; i < w->n_emp; i++) {
            const gen_emp *e = &w->emp[i];
            if (!((e->access >> GEN_SYS_LINUX) & 1))
                continue;
            if (e->hire_ms >= day_ms && e->hire_ms < day_end) {
                uint32_t pid = next_pid(a);
                int64_t tu = e->hire_ms + 40 * GEN_MS_PER_MIN;
                msg(a, tu, A_USERADD, pid, "new group: name=%s, GID=%u", e->login, e->uid);
                msg(a, tu + 12, A_USERADD, pid, "new user: name=%s, UID=%u, GID=%u, home=/home/%s, shell=/bin/bash, "
                    "from=/dev/pts/0", e->login, e->uid, e->uid, e->login);
            }
            int64_t tdel = e->term_ms == GEN_NEVER ? GEN_NEVER : e->term_ms + 5 * GEN_MS_PER_HOUR;
            if (e->leave != GEN_LEAVE_BEFORE && tdel >= day_ms && tdel < day_end)
                msg(a, tdel, A_USERDEL, next_pid(a), "delete user '%s'", e->login);
        }
    planned(a, day_ms, day_end);
}

/* Writes the day's sorted events with the host's prefix. */
static as_code write_day(auth_job *a, gen_file *f, gen_res *res, as_err *err)
{
    gen_evl_sort(&a->l);
    for (size_t k = 0; k < a->l.n; k++) {
        const gen_ev *e = &a->l.ev[k];
        unsigned app = e->aux & 15, pid = e->aux >> 4;
        char *p = gen_out_room(&f->out, e->len + 256);
        if (p == NULL)
            return gen_out_flush(&f->out, err);
        uint64_t line = e->note ? gen_file_line(f) : 0, off = gen_out_pos(&f->out);
        if (a->h->rfc5424) {
            *p++ = '<';
            p = gen_put_u64(p, k_pri[app]);
            p = GEN_PUT_LIT(p, ">1 ");
            p = gen_put_iso_ms(p, e->t_ms);
            *p++ = ' ';
            p = gen_put_cstr(p, a->h->name);
            *p++ = ' ';
            p = gen_put_cstr(p, k_app[app]);
            *p++ = ' ';
            if (pid)
                p = gen_put_u64(p, pid);
            else
                *p++ = '-';
            p = GEN_PUT_LIT(p, " - ");
            if (app == A_SSHD) {
                p = GEN_PUT_LIT(p, "[origin ip=\"");
                p = gen_put_cstr(p, a->h->ip);
                p = GEN_PUT_LIT(p, "\" software=\"OpenSSH\" swVersion=\"9.2p1\"] ");
            } else {
                p = GEN_PUT_LIT(p, "- ");
            }
        } else {
            p = gen_put_rfc3164(p, e->t_ms);
            *p++ = ' ';
            p = gen_put_cstr(p, a->h->name);
            *p++ = ' ';
            p = gen_put_cstr(p, k_app[app]);
            if (pid) {
                *p++ = '[';
                p = gen_put_u64(p, pid);
                *p++ = ']';
            }
            p = GEN_PUT_LIT(p, ": ");
        }
        p = gen_put(p, gen_evl_text(&a->l, e), e->len);
        *p++ = '\n';
        gen_out_commit(&f->out, p);
        gen_evl_account(&a->l, e, f, res, line, off, -1);
        AS_TRY(gen_out_maybe_flush(&f->out, err));
    }
    return AS_OK;
}

static as_code auth_job_run(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    auth_job a;
    memset(&a, 0, sizeof a);
    a.w = w;
    a.hi = (int)job->a;
    a.h = &w->hosts[a.hi];
    gen_rng_seed(&a.r, w->seed, "auth", (uint64_t)a.hi);
    a.pid = 1200 + (uint32_t)gen_rng_below(&a.r, 20000);
    gen_evl_init(&a.l);
    a.linux_users = as_calloc(w->n_emp, sizeof *a.linux_users);
    if (a.linux_users == NULL) {
        gen_evl_fini(&a.l);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    }
    for (size_t i = 0; i < w->n_emp; i++)
        if ((w->emp[i].access >> GEN_SYS_LINUX) & 1)
            a.linux_users[a.n_linux++] = (int)i;

    char rel[128];
    snprintf(rel, sizeof rel, "auth/%s/%s", a.h->name, a.h->rfc5424 ? "auth-rfc5424.log" : "auth.log");
    gen_file f;
    as_code rc = gen_file_open(&f, job, rel, "auth", a.h->rfc5424 ? "syslog5424" : "syslog", GEN_COMP_NONE, err);
    if (rc == AS_OK) {
        for (unsigned d = 0; d < w->days && rc == AS_OK; d++) {
            int64_t day = w->start_day + d;
            if (a.hi == w->gap_auth_host && day == w->gap_auth_day) {
                gen_res_gap(res, "auth", a.h->name, day);
                continue;
            }
            gen_evl_reset(&a.l);
            one_day(&a, day);
            if (a.l.failed)
                rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
            else
                rc = write_day(&a, &f, res, err);
        }
        if (rc == AS_OK)
            rc = gen_file_close(&f, res, err);
        else
            gen_file_abort(&f);
    }
    as_free(a.linux_users);
    gen_evl_fini(&a.l);
    return rc;
}

int gen_auth_add_jobs(gen_jobs *js, const gen_world *w)
{
    for (size_t h = 0; h < w->n_hosts; h++)
        if (gen_jobs_add(js, auth_job_run, NULL, (int64_t)h, 0, 3u << 20) != 0)
            return -1;
    return 0;
}
