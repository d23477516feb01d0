/* psr_authmsg.h: who did what, read from the message text of auth syslog
 * lines: sshd logins, PAM sessions and failures (sshd, su, sudo, login, cron),
 * sudo commands and refusals, shadow-utils account and group changes.
 *
 * psr_auth_extract() matches one message (psr_syslog.msg) against the
 * formats of docs/domain.md 3.3 and fills a tagged struct of slices into the
 * message; it copies nothing and allocates nothing. The program name (the
 * tag without pid, psr_syslog.app) says which formats apply: a "Failed ..."
 * line from a program other than sshd is not an sshd login. Formats and
 * fields: docs/formats.md, "syslog".
 *
 * Thread-safety: pure functions; the only shared data are static const tables.
 */
#ifndef ASSAY_PSR_AUTHMSG_H
#define ASSAY_PSR_AUTHMSG_H

#include "core/as.h"  /* as_slice */

/*      kind                            stable name (JSON output, rule files) */
#define PSR_AUTH_KIND_LIST(X)                                          \
    X(PSR_AUTH_NONE,                    "none")                        \
    X(PSR_AUTH_MALFORMED,               "malformed")                   \
    X(PSR_AUTH_SSH_ACCEPTED,            "ssh_accepted")                \
    X(PSR_AUTH_SSH_FAILED,              "ssh_failed")                  \
    X(PSR_AUTH_SSH_INVALID_USER,        "ssh_invalid_user")            \
    X(PSR_AUTH_PAM_AUTH_FAILURE,        "pam_auth_failure")            \
    X(PSR_AUTH_SESSION_OPENED,          "session_opened")              \
    X(PSR_AUTH_SESSION_CLOSED,          "session_closed")              \
    X(PSR_AUTH_SUDO,                    "sudo")                        \
    X(PSR_AUTH_SUDO_DENIED,             "sudo_denied")                 \
    X(PSR_AUTH_USER_ADDED,              "user_added")                  \
    X(PSR_AUTH_USER_DELETED,            "user_deleted")                \
    X(PSR_AUTH_GROUP_ADDED,             "group_added")                 \
    X(PSR_AUTH_GROUP_DELETED,           "group_deleted")               \
    X(PSR_AUTH_GROUP_MEMBER_ADDED,      "group_member_added")          \
    X(PSR_AUTH_GROUP_MEMBER_REMOVED,    "group_member_removed")

/* What a message says. NONE: not an event this module knows (most syslog
 * lines). MALFORMED: the message starts like a known event of its program
 * but does not finish like it (a count, not a silent NONE); malformed_kind
 * and err_col say which and where. */
typedef enum psr_auth_kind {
#define PSR_AUTH_ENUM_(k, name) k,
    PSR_AUTH_KIND_LIST(PSR_AUTH_ENUM_)
#undef PSR_AUTH_ENUM_
    PSR_AUTH__COUNT
} psr_auth_kind;

enum {
    PSR_AUTH_F_INVALID_USER = 1u << 0,  /* sshd: the account does not exist (`invalid user`, `Invalid user`) */
    PSR_AUTH_F_REPEATED     = 1u << 1,  /* rsyslog `message repeated N times: [...]`: count = N */
    PSR_AUTH_F_PAM_OLD      = 1u << 2,  /* PAM line in the old form: service from the tag `su(pam_unix)` */
    PSR_AUTH_F_ECHO         = 1u << 3,  /* shadow-utils' second line for the same change (gshadow, or per
                                           database); count the change once, from the line without it */
};

/* One event. Slices point into the message (only `service` of an old-form
 * PAM line, PSR_AUTH_F_PAM_OLD, points into app); an absent field is empty.
 * Numbers are -1 when absent. Which fields a kind fills: docs/formats.md.
 * For NONE and MALFORMED only kind, malformed_kind, err_col, flags and count
 * are meaningful. */
typedef struct psr_auth {
    psr_auth_kind kind;           /* what happened */
    psr_auth_kind malformed_kind; /* MALFORMED: the kind the message started to look like */
    uint32_t flags;               /* PSR_AUTH_F_* */
    uint32_t count;               /* events this line stands for: 1, or N of `message repeated N times` */
    uint64_t err_col;             /* MALFORMED: 1-based byte column in the message where it stopped matching */
    as_slice user;        /* the account: logging in, of the session, running sudo, added/deleted, joining a group */
    as_slice by_user;     /* who acted on it: PAM `by alice(uid=1000)`, gpasswd `added by root` */
    as_slice source_ip;   /* sshd `from` (an address, or a name under UseDNS), PAM `rhost=` */
    as_slice method;      /* sshd: publickey, password, keyboard-interactive/pam, hostbased, gssapi-with-mic, none */
    as_slice key_info;    /* sshd: what follows `ssh2: ` (key type and fingerprint) */
    as_slice service;     /* PAM service: `sshd`, `su-l`, `sudo`, `login`, `cron` */
    as_slice tty;         /* sudo TTY=, PAM tty= */
    as_slice pwd;         /* sudo PWD= */
    as_slice run_as;      /* sudo USER= */
    as_slice run_group;   /* sudo GROUP= */
    as_slice command;     /* sudo COMMAND= (the rest of the line, ` ; ` included) */
    as_slice reason;      /* sudo refusal: `user NOT in sudoers`, `3 incorrect password attempts`, ... */
    as_slice group;       /* shadow-utils group name */
    as_slice home;        /* useradd home= */
    as_slice shell;       /* useradd shell= */
    as_slice from;        /* useradd from= (the terminal, newer shadow-utils) */
    int32_t  port;        /* sshd source port, 0..65535 */
    int32_t  attempts;    /* sudo `N incorrect password attempts` */
    int64_t  uid;         /* PAM `user alice(uid=1000)`, useradd UID= */
    int64_t  gid;         /* useradd/groupadd GID= */
    int64_t  by_uid;      /* PAM `by (uid=0)` */
} psr_auth;

/* Extracts the event of one message. app is the program (psr_syslog.app,
 * e.g. `sshd`, `sshd-session`, `sudo`, `su(pam_unix)`, `useradd`; empty when
 * unknown, which allows every format). Always fills *out (kind NONE when
 * nothing matched) and returns out->kind. Reads only msg.ptr[0 .. msg.len)
 * and app.ptr[0 .. app.len). */
psr_auth_kind psr_auth_extract(as_slice app, as_slice msg, psr_auth *out);

/* Stable name of a kind ("ssh_accepted"), "?" when out of range. */
const char *psr_auth_kind_name(psr_auth_kind kind);

#endif
