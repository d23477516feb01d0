/* gen_world.h: the fictional company whose SOC 2 observation period
 * assay-gen writes: Northwind Analytics (northwind.example).
 *
 * gen_world_build draws, from the seed alone, everything that more than one
 * source must agree on: the employees (HR rows, Okta logins, Linux/GitHub/IAM
 * accounts, hires and terminations), the approved admin roster, the hosts,
 * and the plan of cross-source events, in particular the seeded control
 * deviations (leavers deactivated late, admin sessions without MFA, sudo by
 * non-admins, ...). Each source generator then reads the world (const) and
 * writes its files; the plan says which special events fall into which file.
 * Identity map: HR email = Okta login (actor.alternateId); HR username =
 * Linux account = GitHub login = IAM user name.
 * Thread-safety: built once before the workers start, then read-only.
 */
#ifndef ASSAY_GEN_WORLD_H
#define ASSAY_GEN_WORLD_H

#include "core/as.h"
#include "tools/gen/gen_fmt.h"
#include "tools/gen/gen_rng.h"

#define GEN_DOMAIN   "northwind.example"
#define GEN_AWS_ACCT "481516234200"
#define GEN_NEVER    INT64_MAX  /* no termination */

/* Systems with accounts, an admin roster and quarterly access reviews. */
typedef enum gen_sys {
    GEN_SYS_OKTA = 0,
    GEN_SYS_AWS,
    GEN_SYS_LINUX,
    GEN_SYS_GITHUB,
    GEN_SYS_DATABASE,
    GEN_SYS_N
} gen_sys;

const char *gen_sys_name(gen_sys s); /* "okta", "aws", "linux", "github", "database" */

/* How a leaver's Okta account is handled (the leaver-deactivated-24h plan). */
typedef enum gen_leave {
    GEN_LEAVE_NONE = 0,     /* not a leaver during the period */
    GEN_LEAVE_OK,           /* deactivated 1..20 h after termination */
    GEN_LEAVE_EARLY,        /* deactivated 2 h before termination (fine) */
    GEN_LEAVE_SUSPEND,      /* suspended (not deactivated) 3 h after: fine */
    GEN_LEAVE_EXACT_24H,    /* deactivated exactly 24 h after: on time (edge) */
    GEN_LEAVE_LATE_1S,      /* deactivated 24 h + 1 s after: late (edge) */
    GEN_LEAVE_LATE_30H,     /* deactivated 30 h after: late */
    GEN_LEAVE_NO_DEACT,     /* never deactivated */
    GEN_LEAVE_FAILED_ONLY,  /* only a FAILURE deactivation event */
    GEN_LEAVE_BEFORE,       /* left before the period (HR row only, no activity) */
} gen_leave;

typedef struct gen_emp {
    char        id[8];       /* "E1001" */
    const char *name;        /* display name, UTF-8 */
    const char *email;       /* first.last@northwind.example: the Okta login */
    const char *login;       /* jdoe: Linux, GitHub, IAM user */
    const char *dept;        /* department */
    const char *title;       /* job title */
    const char *notes;       /* HR notes (may hold commas, quotes, newlines), "" if none */
    int         manager;     /* index of the manager, -1 for the CEO */
    int64_t     hire_ms;     /* start of the first day (09:00 UTC) */
    int64_t     term_ms;     /* termination instant (UTC), GEN_NEVER if none */
    gen_leave   leave;       /* leaver handling */
    int64_t     deact_ms;    /* planned Okta deactivate/suspend/failure time, GEN_NEVER if none */
    unsigned    admin;       /* bit (1 << gen_sys): on the approved admin roster */
    unsigned    access;      /* bit (1 << gen_sys): has an account */
    const char *ticket;      /* roster approval ticket, e.g. "CHG-1042" */
    uint32_t    uid;         /* Linux uid (1000 + n) */
    char        okta_id[21]; /* "00u" + 17 */
    char        aws_id[22];  /* "AIDA" + 17 */
    char        ip[16];      /* usual client address (office NAT or home) */
    unsigned    browser;     /* index into the world's browser table */
    unsigned    city;        /* index into the world's city table */
} gen_emp;

typedef struct gen_host {
    const char *name;         /* "web-01" */
    const char *role;         /* "web", "database", ... */
    int         rfc5424;      /* auth log in RFC 5424 instead of RFC 3164 */
    int         public_ssh;   /* reachable from the Internet: scanner noise */
    int         backup;       /* 0 no backups, 1 backups required, 2 backups but not required */
    const char *ip;           /* its private address */
} gen_host;

/* Planned special events. Kinds are per source (gen_*_plan enums below). */
typedef struct gen_plan_ev {
    int         kind;   /* source-specific kind */
    int64_t     t_ms;   /* when */
    int         emp;    /* employee index, -1 when none */
    int         host;   /* host index (auth, backup), -1 when none */
    int         aux;    /* extra: group index, count, ... */
    const char *ticket; /* priv-group plan: ticket text, NULL = no ticket key */
} gen_plan_ev;

typedef struct gen_plan_vec {
    gen_plan_ev *v;
    size_t       n, cap;
} gen_plan_vec;

enum gen_okta_plan {
    GEN_OKTA_LOGIN_AFTER_TERM = 1,  /* session.start SUCCESS after termination: deviation */
    GEN_OKTA_LOGIN_AT_TERM,         /* session.start exactly at termination: not a deviation */
    GEN_OKTA_ADMIN_NO_MFA,          /* admin session without an MFA event: deviation */
    GEN_OKTA_PRIV_ADD,              /* group.user_membership.add to a privileged group (aux = group) */
    GEN_OKTA_PRIV_GRANT,            /* user.account.privilege.grant */
    GEN_OKTA_HOSTILE_FAIL,          /* failed sign-in by the formula-named external user */
};

enum gen_ct_plan {
    GEN_CT_IAM_NO_MFA = 1,   /* IAMUser ConsoleLogin Success, MFAUsed No: deviation */
    GEN_CT_ROOT_NO_MFA,      /* Root ConsoleLogin Success, MFAUsed No: deviation */
    GEN_CT_ROOT_MFA,         /* Root ConsoleLogin Success with MFA: fine */
    GEN_CT_IAM_MFA_UPPER,    /* IAMUser ConsoleLogin, MFAUsed "YES": fine */
    GEN_CT_ROOT_API,         /* Root AwsApiCall: deviation (aux = which call) */
};

enum gen_auth_plan {
    GEN_AUTH_SUDO_NOT_IN_SUDOERS = 1,  /* "user NOT in sudoers" by a non-admin */
    GEN_AUTH_SUDO_UNLISTED,            /* successful sudo by a user not on the roster */
    GEN_AUTH_SSH_PASSWORD,             /* Accepted password */
    GEN_AUTH_SSH_KBDINT,               /* Accepted keyboard-interactive/pam */
    GEN_AUTH_SSH_ROOT,                 /* Accepted publickey for root */
};

enum gen_backup_plan {
    GEN_BACKUP_FAIL_ONLY = 1,  /* only failed runs that day: deviation */
    GEN_BACKUP_MISSED,         /* no nightly run that day: deviation */
    GEN_BACKUP_FAIL_RETRY,     /* failure, then a successful retry: fine */
    GEN_BACKUP_LATE_START,     /* the run starts 23:58 and ends the next day: counts for its start day */
};

/* Privileged and ordinary Okta groups; privileged ones need a ticket. */
typedef struct gen_group {
    const char *name;       /* "Okta Admins" */
    int         privileged; /* changes need debugContext.debugData.ticket */
    char        id[21];     /* "00g" + 17 */
} gen_group;

#define GEN_N_GROUPS 12
#define GEN_N_BROWSERS 6
#define GEN_N_CITIES 8

typedef struct gen_city {
    const char *city, *state, *country, *postal;
} gen_city;

typedef struct gen_browser {
    const char *ua;       /* raw user agent */
    const char *os;       /* Okta client.userAgent.os */
    const char *browser;  /* Okta client.userAgent.browser */
} gen_browser;

typedef struct gen_world {
    /* options */
    uint64_t     seed;
    int64_t      start_day;    /* first day of the period (day number) */
    unsigned     days;         /* period length */
    int64_t      start_ms;     /* period [start_ms, end_ms) */
    int64_t      end_ms;
    uint32_t     mild_milli;   /* mild scale for non-web sources, x1000 (sqrt of --scale) */
    int          plain;        /* --plain: no compression except the special test files */

    gen_emp     *emp;          /* owned */
    size_t       n_emp;
    const gen_host *hosts;     /* static table */
    size_t       n_hosts;
    gen_group    groups[GEN_N_GROUPS];
    const gen_city    *cities;   /* static table, GEN_N_CITIES */
    const gen_browser *browsers; /* static table, GEN_N_BROWSERS */

    const char  *hostile_name;  /* "=cmd|' /C calc'!A0": an external user's display name */
    const char  *hostile_login; /* that user's Okta login */

    /* gaps (log-source-gaps) */
    int          gap_auth_host;  /* host index silent for one day */
    int64_t      gap_auth_day;
    int64_t      gap_web_day;    /* the "api" vhost has no file this day */

    /* plans, sorted by time */
    gen_plan_vec okta;
    gen_plan_vec ct;
    gen_plan_vec auth;
    gen_plan_vec backup;

    as_arena     ar;           /* strings of the world */
} gen_world;

/* Builds the world for (seed, period, mild scale). AS_OK or AS_ERR_NOMEM. */
as_code gen_world_build(gen_world *w, uint64_t seed, int64_t start_day, unsigned days, uint32_t mild_milli,
                        as_err *err) AS_MUST_USE;
void gen_world_fini(gen_world *w);

/* True when employee e holds an active account at instant t (hired, not yet
 * terminated). */
static inline int gen_emp_active(const gen_emp *e, int64_t t)
{
    return t >= e->hire_ms && t < e->term_ms;
}

/* Host index by name, -1 if none. */
int gen_world_host(const gen_world *w, const char *name);

/* A compact JSON object summarising the world for truth.json (arena-owned). */
const char *gen_world_json(gen_world *w);

/* Is day a weekend (Saturday or Sunday)? */
static inline int gen_is_weekend(int64_t day) { return as_weekday_from_days(day) >= 5; }

#endif
