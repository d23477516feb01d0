/* test_psr_authmsg.c: unit tests for parsers/psr_authmsg: every format of
 * docs/domain.md 3.3 (sshd, PAM sessions old and new, su, sudo, shadow-utils),
 * the real lines it names (file:line), MALFORMED with its column, programs
 * that must not match, and the real samples in tests/data/real/ through
 * psr_syslog_scan. Every message is placed at the end of a page before a
 * PROT_NONE page (guard.h), and so is every prefix of every case. Tests run
 * from the repository root. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* fopen: the real samples */
#include <stdlib.h>  /* malloc, free */
#include <string.h>  /* strlen, memcmp */

#include "core/as.h"
#include "parsers/psr_authmsg.h"
#include "parsers/psr_syslog.h"
#include "tests/unit/guard.h"

#define GUARD_MAX 4096  /* bytes: the longest message of these tests */

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

/* Extracts msg placed right before the guard page; app stays where it is. */
static psr_auth_kind extract_guarded(guard *g, const char *app, const char *msg, size_t len, psr_auth *a)
{
    const char *p = guard_put(g, msg, len);
    assert_non_null(p);
    return psr_auth_extract(as_slice_cstr(app), as_slice_make(p, len), a);
}

static void expect_slice(const char *what, const char *field, as_slice got, const char *want)
{
    size_t wl = want ? strlen(want) : 0;
    if (got.len != wl || (wl && memcmp(got.ptr, want, wl) != 0))
        fail_msg("%s: %s is \"%.*s\", expected \"%s\"", what, field, (int)got.len, got.ptr ? got.ptr : "",
                 want ? want : "");
}

#define K_NONE     PSR_AUTH_NONE
#define K_BAD      PSR_AUTH_MALFORMED
#define K_ACC      PSR_AUTH_SSH_ACCEPTED
#define K_FAIL     PSR_AUTH_SSH_FAILED
#define K_INV      PSR_AUTH_SSH_INVALID_USER
#define K_PAMF     PSR_AUTH_PAM_AUTH_FAILURE
#define K_OPEN     PSR_AUTH_SESSION_OPENED
#define K_CLOSE    PSR_AUTH_SESSION_CLOSED
#define K_SUDO     PSR_AUTH_SUDO
#define K_DENY     PSR_AUTH_SUDO_DENIED
#define K_UADD     PSR_AUTH_USER_ADDED
#define K_UDEL     PSR_AUTH_USER_DELETED
#define K_GADD     PSR_AUTH_GROUP_ADDED
#define K_GDEL     PSR_AUTH_GROUP_DELETED
#define K_MADD     PSR_AUTH_GROUP_MEMBER_ADDED
#define K_MDEL     PSR_AUTH_GROUP_MEMBER_REMOVED

#define F_INV  PSR_AUTH_F_INVALID_USER
#define F_REP  PSR_AUTH_F_REPEATED
#define F_OLD  PSR_AUTH_F_PAM_OLD
#define F_ECHO PSR_AUTH_F_ECHO

/* Numbers default to "absent": the table writes them only when present. */
#define NUM_UNSET (-2)

typedef struct acase {
    const char *name;
    const char *app;
    const char *msg;
    psr_auth_kind kind;
    psr_auth_kind bad_kind;   /* MALFORMED only */
    uint64_t err_col;         /* MALFORMED only */
    uint32_t flags;
    uint32_t count;           /* 0 = 1 */
    const char *user, *by_user, *ip, *method, *key_info, *service, *tty, *pwd, *run_as, *run_group, *command,
        *reason, *group, *home, *shell, *from;
    int64_t port, attempts, uid, gid, by_uid;   /* 0 in the table = absent (-1); write NUM(x) for a value */
} acase;

/* A number in the table: shifted by one so that 0 (the default of a
 * designated initializer) means absent. */
#define NUM(x) ((int64_t)(x) + 1)

static const acase k_cases[] = {
    /* ---- sshd ---- */
    { .name = "system_auth/test.log:1 publickey, old MD5 fingerprint", .app = "sshd",
      .msg = "Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84",
      .kind = K_ACC, .user = "vagrant", .ip = "10.0.2.2", .port = NUM(63673), .method = "publickey",
      .key_info = "RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84" },
    { .name = "domain.md 3.3 ED25519", .app = "sshd",
      .msg = "Accepted publickey for alice from 10.0.0.5 port 51234 ssh2: ED25519 SHA256:AbCdEf0123+/xyz",
      .kind = K_ACC, .user = "alice", .ip = "10.0.0.5", .port = NUM(51234), .method = "publickey",
      .key_info = "ED25519 SHA256:AbCdEf0123+/xyz" },
    { .name = "keyboard-interactive/pam", .app = "sshd",
      .msg = "Accepted keyboard-interactive/pam for bob from 10.0.0.7 port 40022 ssh2", .kind = K_ACC,
      .user = "bob", .ip = "10.0.0.7", .port = NUM(40022), .method = "keyboard-interactive/pam" },
    { .name = "hostbased", .app = "sshd", .msg = "Accepted hostbased for svc from 10.1.1.1 port 2222 ssh2: RSA SHA256:x",
      .kind = K_ACC, .user = "svc", .ip = "10.1.1.1", .port = NUM(2222), .method = "hostbased", .key_info = "RSA SHA256:x" },
    { .name = "gssapi-with-mic, IPv6", .app = "sshd",
      .msg = "Accepted gssapi-with-mic for carol from 2001:db8::1 port 22 ssh2", .kind = K_ACC, .user = "carol",
      .ip = "2001:db8::1", .port = NUM(22), .method = "gssapi-with-mic" },
    { .name = "OpenSSH_2k.log:956 the only Accepted", .app = "sshd",
      .msg = "Accepted password for fztu from 119.137.62.142 port 49116 ssh2", .kind = K_ACC, .user = "fztu",
      .ip = "119.137.62.142", .port = NUM(49116), .method = "password" },
    { .name = "OpenSSH 9.9 sshd-session", .app = "sshd-session",
      .msg = "Accepted publickey for alice from 10.0.0.5 port 51234 ssh2: ED25519 SHA256:k", .kind = K_ACC,
      .user = "alice", .ip = "10.0.0.5", .port = NUM(51234), .method = "publickey", .key_info = "ED25519 SHA256:k" },
    { .name = "system_auth/test.log:4", .app = "sshd", .msg = "Failed password for root from 216.160.83.57 port 29160 ssh2",
      .kind = K_FAIL, .user = "root", .ip = "216.160.83.57", .port = NUM(29160), .method = "password" },
    { .name = "domain.md 3.3 invalid user", .app = "sshd",
      .msg = "Failed password for invalid user admin from 5.188.10.180 port 36279 ssh2", .kind = K_FAIL,
      .flags = F_INV, .user = "admin", .ip = "5.188.10.180", .port = NUM(36279), .method = "password" },
    { .name = "domain.md 3.3 none, user 0", .app = "sshd",
      .msg = "Failed none for invalid user 0 from 5.188.10.180 port 49811 ssh2", .kind = K_FAIL, .flags = F_INV,
      .user = "0", .ip = "5.188.10.180", .port = NUM(49811), .method = "none" },
    { .name = "OpenSSH_2k.log:189 user with a leading space", .app = "sshd",
      .msg = "Failed password for invalid user  0101 from 5.188.10.180 port 36279 ssh2", .kind = K_FAIL,
      .flags = F_INV, .user = " 0101", .ip = "5.188.10.180", .port = NUM(36279), .method = "password" },
    { .name = "a user holding \" from \": up to the last one", .app = "sshd",
      .msg = "Failed password for invalid user a from b from 1.2.3.4 port 22 ssh2", .kind = K_FAIL, .flags = F_INV,
      .user = "a from b", .ip = "1.2.3.4", .port = NUM(22), .method = "password" },
    { .name = "\" from \" in the key info: an earlier candidate", .app = "sshd",
      .msg = "Accepted publickey for x from 1.2.3.4 port 22 ssh2: RSA from y", .kind = K_ACC, .user = "x",
      .ip = "1.2.3.4", .port = NUM(22), .method = "publickey", .key_info = "RSA from y" },
    { .name = "empty user", .app = "sshd", .msg = "Failed password for  from 1.2.3.4 port 22 ssh2", .kind = K_FAIL,
      .user = "", .ip = "1.2.3.4", .port = NUM(22), .method = "password" },
    { .name = "OpenSSH_2k.log trailing space", .app = "sshd", .msg = "Failed password for root from 1.2.3.4 port 22 ssh2 ",
      .kind = K_FAIL, .user = "root", .ip = "1.2.3.4", .port = NUM(22), .method = "password" },
    { .name = "protocol 1", .app = "sshd", .msg = "Accepted password for old from 1.2.3.4 port 1022 ssh1", .kind = K_ACC,
      .user = "old", .ip = "1.2.3.4", .port = NUM(1022), .method = "password" },
    { .name = "no program name: sshd formats still apply", .app = "",
      .msg = "Failed password for root from 1.2.3.4 port 22 ssh2", .kind = K_FAIL, .user = "root", .ip = "1.2.3.4",
      .port = NUM(22), .method = "password" },
    { .name = "another program's \"Failed\" is not an sshd login", .app = "dovecot",
      .msg = "Failed password for root from 1.2.3.4 port 22 ssh2", .kind = K_NONE },
    { .name = "system_auth/test.log:3 Invalid user", .app = "sshd", .msg = "Invalid user test from 10.0.2.2",
      .kind = K_INV, .flags = F_INV, .user = "test", .ip = "10.0.2.2" },
    { .name = "Invalid user, newer with port", .app = "sshd", .msg = "Invalid user admin from 1.2.3.4 port 5555",
      .kind = K_INV, .flags = F_INV, .user = "admin", .ip = "1.2.3.4", .port = NUM(5555) },
    { .name = "OpenSSH_2k.log:185 Invalid user with a leading space", .app = "sshd",
      .msg = "Invalid user  0101 from 5.188.10.180", .kind = K_INV, .flags = F_INV, .user = " 0101",
      .ip = "5.188.10.180" },
    { .name = "Invalid user, empty", .app = "sshd", .msg = "Invalid user  from 1.2.3.4", .kind = K_INV,
      .flags = F_INV, .user = "", .ip = "1.2.3.4" },
    { .name = "Invalid user named from", .app = "sshd", .msg = "Invalid user from from 1.2.3.4 port 22",
      .kind = K_INV, .flags = F_INV, .user = "from", .ip = "1.2.3.4", .port = NUM(22) },
    { .name = "OpenSSH_2k.log:186 input_userauth_request", .app = "sshd",
      .msg = "input_userauth_request: invalid user  0101 [preauth]", .kind = K_NONE },
    { .name = "system_auth/test.log:6", .app = "sshd", .msg = "Did not receive identification string from 2.125.160.217",
      .kind = K_NONE },
    { .name = "OpenSSH_2k.log:30 message repeated", .app = "sshd",
      .msg = "message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]", .kind = K_FAIL,
      .flags = F_REP, .count = 5, .user = "root", .ip = "5.36.59.76", .port = NUM(42393), .method = "password" },
    { .name = "repeated Accepted", .app = "sshd",
      .msg = "message repeated 2 times: [ Accepted publickey for a from 1.2.3.4 port 9 ssh2: RSA SHA256:z]",
      .kind = K_ACC, .flags = F_REP, .count = 2, .user = "a", .ip = "1.2.3.4", .port = NUM(9),
      .method = "publickey", .key_info = "RSA SHA256:z" },
    { .name = "repeated, not an event", .app = "sshd", .msg = "message repeated 3 times: [ Connection closed by 1.2.3.4]",
      .kind = K_NONE, .flags = F_REP, .count = 3 },
    { .name = "repeated, no count", .app = "sshd", .msg = "message repeated x times: [ Failed password]",
      .kind = K_NONE },
    { .name = "repeated 0 times (fuzz_syslog regress/repeated-zero-times)", .app = "sshd",
      .msg = "message repeated 0 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]", .kind = K_NONE },
    /* sshd: starts like an event, does not finish like one */
    { .name = "Accepted without port", .app = "sshd", .msg = "Accepted password for alice from 1.2.3.4",
      .kind = K_BAD, .bad_kind = K_ACC, .err_col = 41 },
    { .name = "Accepted with a bad port", .app = "sshd", .msg = "Accepted password for alice from 1.2.3.4 port x ssh2",
      .kind = K_BAD, .bad_kind = K_ACC, .err_col = 47 },
    { .name = "Failed with port 70000", .app = "sshd", .msg = "Failed password for root from 1.2.3.4 port 70000 ssh2",
      .kind = K_BAD, .bad_kind = K_FAIL, .err_col = 44 },
    { .name = "Accepted without for", .app = "sshd", .msg = "Accepted password", .kind = K_BAD, .bad_kind = K_ACC,
      .err_col = 18 },
    { .name = "Accepted without method", .app = "sshd", .msg = "Accepted ", .kind = K_BAD, .bad_kind = K_ACC,
      .err_col = 10 },
    { .name = "text after ssh2", .app = "sshd", .msg = "Accepted password for a from 1.2.3.4 port 22 ssh2 extra",
      .kind = K_BAD, .bad_kind = K_ACC, .err_col = 50 },
    { .name = "Invalid user without from", .app = "sshd", .msg = "Invalid user x", .kind = K_BAD, .bad_kind = K_INV,
      .err_col = 15 },
    { .name = "Invalid user, port cut", .app = "sshd", .msg = "Invalid user x from 1.2.3.4 port", .kind = K_BAD,
      .bad_kind = K_INV, .err_col = 28 },

    /* ---- PAM sessions and failures ---- */
    { .name = "OpenSSH_2k.log:957 session opened, old by (uid=0)", .app = "sshd",
      .msg = "pam_unix(sshd:session): session opened for user fztu by (uid=0)", .kind = K_OPEN, .user = "fztu",
      .by_user = "", .by_uid = NUM(0), .service = "sshd" },
    { .name = "OpenSSH_2k.log:965 session closed", .app = "sshd",
      .msg = "pam_unix(sshd:session): session closed for user fztu", .kind = K_CLOSE, .user = "fztu", .service = "sshd" },
    { .name = "domain.md 3.3 session with uid", .app = "sshd",
      .msg = "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)", .kind = K_OPEN,
      .user = "alice", .uid = NUM(1000), .by_uid = NUM(0), .service = "sshd" },
    { .name = "domain.md 3.3 su, new form", .app = "su",
      .msg = "pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)", .kind = K_OPEN,
      .user = "root", .uid = NUM(0), .by_user = "alice", .by_uid = NUM(1000), .service = "su-l" },
    { .name = "Linux_2k.log:14 su, old form", .app = "su(pam_unix)",
      .msg = "session opened for user cyrus by (uid=0)", .kind = K_OPEN, .flags = F_OLD, .user = "cyrus",
      .by_uid = NUM(0), .service = "su" },
    { .name = "Linux_2k.log:15 su closed, old form", .app = "su(pam_unix)", .msg = "session closed for user cyrus",
      .kind = K_CLOSE, .flags = F_OLD, .user = "cyrus", .service = "su" },
    { .name = "Linux_2k.log:897 login by LOGIN(uid=0)", .app = "login(pam_unix)",
      .msg = "session opened for user root by LOGIN(uid=0)", .kind = K_OPEN, .flags = F_OLD, .user = "root",
      .by_user = "LOGIN", .by_uid = NUM(0), .service = "login" },
    { .name = "Linux_2k.log:1 authentication failure, old form", .app = "sshd(pam_unix)",
      .msg = "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ", .kind = K_PAMF,
      .flags = F_OLD, .ip = "218.188.2.4", .tty = "NODEVssh", .by_uid = NUM(0), .service = "sshd", .user = "" },
    { .name = "OpenSSH_2k.log:28 authentication failure with user", .app = "sshd",
      .msg = "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
             "rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om  user=root",
      .kind = K_PAMF, .ip = "5.36.59.76.dynamic-dsl-ip.omantel.net.om", .tty = "ssh", .user = "root",
      .by_uid = NUM(0), .service = "sshd" },
    { .name = "su authentication failure names who tried", .app = "su",
      .msg = "pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root",
      .kind = K_PAMF, .user = "root", .by_user = "alice", .by_uid = NUM(1000), .tty = "pts/0", .ip = "",
      .service = "su" },
    { .name = "sudo's PAM session", .app = "sudo",
      .msg = "pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)", .kind = K_OPEN,
      .user = "root", .uid = NUM(0), .by_user = "alice", .by_uid = NUM(1000), .service = "sudo" },
    { .name = "timestamp.log:1 sudo -i", .app = "sudo",
      .msg = "pam_unix(sudo-i:session): session opened for user root by userauth3(uid=0)", .kind = K_OPEN,
      .user = "root", .by_user = "userauth3", .by_uid = NUM(0), .service = "sudo-i" },
    { .name = "cron session", .app = "CRON", .msg = "pam_unix(cron:session): session opened for user root by (uid=0)",
      .kind = K_OPEN, .user = "root", .by_uid = NUM(0), .service = "cron" },
    { .name = "OpenSSH_2k.log:29 check pass", .app = "sshd", .msg = "pam_unix(sshd:auth): check pass; user unknown",
      .kind = K_NONE },
    { .name = "session opened without a user", .app = "sshd", .msg = "pam_unix(sshd:session): session opened for user ",
      .kind = K_BAD, .bad_kind = K_OPEN, .err_col = 48 },
    { .name = "timestamp.log:2 pam logged out", .app = "pam", .msg = "user nobody logged out.", .kind = K_NONE },

    /* ---- sudo ---- */
    { .name = "system_auth/test.log:5", .app = "sudo",
      .msg = "vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls", .kind = K_SUDO,
      .user = "vagrant", .tty = "pts/0", .pwd = "/home/vagrant", .run_as = "root", .command = "/bin/ls" },
    { .name = "system_auth/test.log:7", .app = "sudo",
      .msg = "vagrant : TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/cat /var/log/secure", .kind = K_SUDO,
      .user = "vagrant", .tty = "pts/1", .pwd = "/home/vagrant", .run_as = "root", .command = "/bin/cat /var/log/secure" },
    { .name = "system_auth/test.log:8 padded user, NOT in sudoers", .app = "sudo",
      .msg = "     tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls",
      .kind = K_DENY, .user = "tsg", .reason = "user NOT in sudoers", .tty = "pts/1", .pwd = "/home/vagrant",
      .run_as = "root", .command = "/bin/ls" },
    { .name = "domain.md 3.3 incorrect password attempts", .app = "sudo",
      .msg = "bob : 3 incorrect password attempts ; TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/bash",
      .kind = K_DENY, .user = "bob", .reason = "3 incorrect password attempts", .attempts = NUM(3), .tty = "pts/2",
      .pwd = "/home/bob", .run_as = "root", .command = "/bin/bash" },
    { .name = "one incorrect password attempt", .app = "sudo",
      .msg = "bob : 1 incorrect password attempt ; TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/bash",
      .kind = K_DENY, .user = "bob", .reason = "1 incorrect password attempt", .attempts = NUM(1), .tty = "pts/2",
      .pwd = "/home/bob", .run_as = "root", .command = "/bin/bash" },
    { .name = "domain.md 3.3 command not allowed", .app = "sudo",
      .msg = "bob : command not allowed ; TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/bash", .kind = K_DENY,
      .user = "bob", .reason = "command not allowed", .tty = "pts/2", .pwd = "/home/bob", .run_as = "root",
      .command = "/bin/bash" },
    { .name = "newer keys, COMMAND takes the rest with its ` ; `", .app = "sudo",
      .msg = "alice : TTY=pts/0 ; PWD=/ ; USER=root ; GROUP=wheel ; TSID=000001 ; ENV=A=1 B=2 ; COMMAND=/bin/sh -c echo a ; echo b",
      .kind = K_SUDO, .user = "alice", .tty = "pts/0", .pwd = "/", .run_as = "root", .run_group = "wheel",
      .command = "/bin/sh -c echo a ; echo b" },
    { .name = "empty COMMAND", .app = "sudo", .msg = "alice : TTY=unknown ; PWD=/ ; USER=root ; COMMAND=",
      .kind = K_SUDO, .user = "alice", .tty = "unknown", .pwd = "/", .run_as = "root", .command = "" },
    { .name = "no program name: a whole sudo line counts", .app = "",
      .msg = "alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id", .kind = K_SUDO, .user = "alice",
      .tty = "pts/0", .pwd = "/", .run_as = "root", .command = "/bin/id" },
    { .name = "no program name: `x : K=v` is not sudo", .app = "", .msg = "x : FOO=1", .kind = K_NONE },
    { .name = "sudo's other messages", .app = "sudo", .msg = "unable to resolve host foo", .kind = K_NONE },
    { .name = "sudo: a second non-key segment", .app = "sudo", .msg = "alice : something ; weird", .kind = K_BAD,
      .bad_kind = K_SUDO, .err_col = 21 },
    { .name = "sudo: a reason and no keys", .app = "sudo", .msg = "alice : just a reason", .kind = K_BAD,
      .bad_kind = K_SUDO, .err_col = 22 },

    /* ---- shadow-utils ---- */
    { .name = "system_auth/test.log:10 useradd", .app = "useradd",
      .msg = "new user: name=apache, UID=48, GID=48, home=/usr/share/httpd, shell=/sbin/nologin", .kind = K_UADD,
      .user = "apache", .uid = NUM(48), .gid = NUM(48), .home = "/usr/share/httpd", .shell = "/sbin/nologin" },
    { .name = "useradd, newer with from", .app = "useradd",
      .msg = "new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash, from=/dev/pts/0", .kind = K_UADD,
      .user = "bob", .uid = NUM(1001), .gid = NUM(1001), .home = "/home/bob", .shell = "/bin/bash", .from = "/dev/pts/0" },
    { .name = "system_auth/test.log:9 groupadd", .app = "groupadd", .msg = "new group: name=apache, GID=48",
      .kind = K_GADD, .group = "apache", .gid = NUM(48) },
    { .name = "useradd's own group", .app = "useradd", .msg = "new group: name=bob, GID=1001", .kind = K_GADD,
      .group = "bob", .gid = NUM(1001) },
    { .name = "groupadd per-database line", .app = "groupadd", .msg = "group added to /etc/group: name=apache, GID=48",
      .kind = K_GADD, .flags = F_ECHO, .group = "apache", .gid = NUM(48) },
    { .name = "groupadd gshadow line", .app = "groupadd", .msg = "group added to /etc/gshadow: name=apache",
      .kind = K_GADD, .flags = F_ECHO, .group = "apache" },
    { .name = "userdel", .app = "userdel", .msg = "delete user 'bob'", .kind = K_UDEL, .user = "bob" },
    { .name = "userdel, shadow 4.1 quotes", .app = "userdel", .msg = "delete user `bob'", .kind = K_UDEL, .user = "bob" },
    { .name = "userdel, escaped line feed", .app = "userdel", .msg = "delete user 'bob'#012", .kind = K_UDEL,
      .user = "bob" },
    { .name = "usermod add to group", .app = "usermod", .msg = "add 'bob' to group 'sudo'", .kind = K_MADD,
      .user = "bob", .group = "sudo" },
    { .name = "usermod add to shadow group", .app = "usermod", .msg = "add 'bob' to shadow group 'sudo'",
      .kind = K_MADD, .flags = F_ECHO, .user = "bob", .group = "sudo" },
    { .name = "userdel delete from group", .app = "userdel", .msg = "delete 'bob' from group 'sudo'", .kind = K_MDEL,
      .user = "bob", .group = "sudo" },
    { .name = "userdel delete from shadow group", .app = "userdel", .msg = "delete 'bob' from shadow group 'sudo'",
      .kind = K_MDEL, .flags = F_ECHO, .user = "bob", .group = "sudo" },
    { .name = "userdel removes the user's group", .app = "userdel", .msg = "removed group 'bob' owned by 'bob'",
      .kind = K_GDEL, .user = "bob", .group = "bob" },
    { .name = "userdel removes the gshadow group", .app = "userdel", .msg = "removed shadow group 'bob' owned by 'bob'",
      .kind = K_GDEL, .flags = F_ECHO, .user = "bob", .group = "bob" },
    { .name = "groupdel", .app = "groupdel", .msg = "group 'devs' removed", .kind = K_GDEL, .group = "devs" },
    { .name = "groupdel per-database line", .app = "groupdel", .msg = "group 'devs' removed from /etc/group",
      .kind = K_GDEL, .flags = F_ECHO, .group = "devs" },
    { .name = "gpasswd -a", .app = "gpasswd", .msg = "user bob added by root to group sudo", .kind = K_MADD,
      .user = "bob", .by_user = "root", .group = "sudo" },
    { .name = "gpasswd -d", .app = "gpasswd", .msg = "user bob removed by root from group sudo", .kind = K_MDEL,
      .user = "bob", .by_user = "root", .group = "sudo" },
    { .name = "useradd with a bad UID", .app = "useradd", .msg = "new user: name=x, UID=y", .kind = K_BAD,
      .bad_kind = K_UADD, .err_col = 11 },
    { .name = "userdel without quotes", .app = "userdel", .msg = "delete user bob", .kind = K_BAD, .bad_kind = K_UDEL,
      .err_col = 13 },
    { .name = "useradd failure is no account change", .app = "useradd", .msg = "failed adding user 'bob', exit code: 12",
      .kind = K_NONE },
    { .name = "shadow formats from another program", .app = "cron", .msg = "delete user 'bob'", .kind = K_NONE },
    { .name = "empty message", .app = "sshd", .msg = "", .kind = K_NONE },
};

static void expect_num(const char *w, const char *field, int64_t got, int64_t table)
{
    int64_t want = table == 0 ? -1 : table - 1;
    if (got != want)
        fail_msg("%s: %s is %lld, expected %lld", w, field, (long long)got, (long long)want);
}

static void check_case(const acase *c, const psr_auth *a)
{
    const char *w = c->name;
    if (a->kind != c->kind)
        fail_msg("%s: kind %s, expected %s (err_col %llu)", w, psr_auth_kind_name(a->kind),
                 psr_auth_kind_name(c->kind), (unsigned long long)a->err_col);
    if (c->kind == K_BAD && (a->malformed_kind != c->bad_kind || a->err_col != c->err_col))
        fail_msg("%s: malformed %s at column %llu, expected %s at %llu", w, psr_auth_kind_name(a->malformed_kind),
                 (unsigned long long)a->err_col, psr_auth_kind_name(c->bad_kind), (unsigned long long)c->err_col);
    if (c->kind != K_BAD && (a->malformed_kind != K_NONE || a->err_col != 0))
        fail_msg("%s: malformed fields set", w);
    if (a->flags != c->flags)
        fail_msg("%s: flags %#x, expected %#x", w, a->flags, c->flags);
    if (a->count != (c->count ? c->count : 1))
        fail_msg("%s: count %u", w, a->count);
    if (c->kind == K_NONE || c->kind == K_BAD)
        return;   /* other fields are unspecified for these two kinds */
    expect_slice(w, "user", a->user, c->user);
    expect_slice(w, "by_user", a->by_user, c->by_user);
    expect_slice(w, "source_ip", a->source_ip, c->ip);
    expect_slice(w, "method", a->method, c->method);
    expect_slice(w, "key_info", a->key_info, c->key_info);
    expect_slice(w, "service", a->service, c->service);
    expect_slice(w, "tty", a->tty, c->tty);
    expect_slice(w, "pwd", a->pwd, c->pwd);
    expect_slice(w, "run_as", a->run_as, c->run_as);
    expect_slice(w, "run_group", a->run_group, c->run_group);
    expect_slice(w, "command", a->command, c->command);
    expect_slice(w, "reason", a->reason, c->reason);
    expect_slice(w, "group", a->group, c->group);
    expect_slice(w, "home", a->home, c->home);
    expect_slice(w, "shell", a->shell, c->shell);
    expect_slice(w, "from", a->from, c->from);
    expect_num(w, "port", a->port, c->port);
    expect_num(w, "attempts", a->attempts, c->attempts);
    expect_num(w, "uid", a->uid, c->uid);
    expect_num(w, "gid", a->gid, c->gid);
    expect_num(w, "by_uid", a->by_uid, c->by_uid);
}

static void test_psr_authmsg_formats(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_cases); i++) {
        const acase *c = &k_cases[i];
        psr_auth a;
        psr_auth_kind k = extract_guarded(g, c->app, c->msg, strlen(c->msg), &a);
        if (k != a.kind)
            fail_msg("%s: returned %s but out->kind is %s", c->name, psr_auth_kind_name(k), psr_auth_kind_name(a.kind));
        check_case(c, &a);
    }
}

/* Every prefix of every message, with its program and with none (which
 * tries every format): no read past its end, a sane result. */
static void test_psr_authmsg_prefixes_stay_in_bounds(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < 2 * AS_ARRAY_LEN(k_cases); i++) {
        const acase *c = &k_cases[i % AS_ARRAY_LEN(k_cases)];
        const char *app = i < AS_ARRAY_LEN(k_cases) ? c->app : "";
        size_t n = strlen(c->msg);
        for (size_t len = 0; len <= n; len++) {
            psr_auth a;
            psr_auth_kind k = extract_guarded(g, app, c->msg, len, &a);
            if ((unsigned)k >= PSR_AUTH__COUNT || k != a.kind)
                fail_msg("%s[0..%zu): kind %d", c->name, len, k);
            if (k == K_BAD && (a.err_col < 1 || a.err_col > len + 1))
                fail_msg("%s[0..%zu): err_col %llu", c->name, len, (unsigned long long)a.err_col);
            if (a.count < 1)
                fail_msg("%s[0..%zu): count 0", c->name, len);
        }
    }
}

static void test_psr_authmsg_kind_names(void **state)
{
    (void)state;
    assert_string_equal(psr_auth_kind_name(K_NONE), "none");
    assert_string_equal(psr_auth_kind_name(K_ACC), "ssh_accepted");
    assert_string_equal(psr_auth_kind_name(K_MDEL), "group_member_removed");
    assert_string_equal(psr_auth_kind_name(PSR_AUTH__COUNT), "?");
    assert_string_equal(psr_auth_kind_name((psr_auth_kind)-1), "?");
    for (int k = 0; k < PSR_AUTH__COUNT; k++)
        for (int j = 0; j < k; j++)
            assert_string_not_equal(psr_auth_kind_name((psr_auth_kind)k), psr_auth_kind_name((psr_auth_kind)j));
}

/* ---- the real samples, through psr_syslog_scan ---- */

typedef struct text {
    char  *data;
    size_t len;
} text;

static void read_text(const char *path, text *t)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s (tests run from the repository root)", path);
    t->data = malloc(1u << 20);
    assert_non_null(t->data);
    t->len = fread(t->data, 1, 1u << 20, f);
    assert_true(t->len < (1u << 20));
    fclose(f);
}

static int next_line(const text *t, size_t *pos, as_slice *line)
{
    if (*pos >= t->len)
        return 0;
    const char *p = t->data + *pos;
    const char *nl = memchr(p, '\n', t->len - *pos);
    size_t n = nl ? (size_t)(nl - p) : t->len - *pos;
    *line = as_slice_make(p, n);
    *pos += n + (nl != NULL);
    return 1;
}

#define REAL "tests/data/real/"

/* Scans a file and counts the auth events by kind (and the events they
 * stand for: `message repeated N times` counts N). */
static void count_kinds(guard *g, const char *path, unsigned n_lines, unsigned by_kind[PSR_AUTH__COUNT],
                        unsigned events[PSR_AUTH__COUNT], psr_auth_kind *first_kinds, size_t n_first)
{
    text t;
    read_text(path, &t);
    memset(by_kind, 0, sizeof(unsigned) * PSR_AUTH__COUNT);
    memset(events, 0, sizeof(unsigned) * PSR_AUTH__COUNT);
    size_t pos = 0;
    unsigned n = 0;
    as_slice line;
    while (next_line(&t, &pos, &line)) {
        psr_syslog r;
        uint64_t col;
        if (psr_syslog_scan(line, NULL, &r, &col) != AS_OK)
            fail_msg("%s:%u: does not scan", path, n + 1);
        psr_auth a;
        /* the message at the end of a page */
        const char *p = guard_put(g, r.msg.ptr, r.msg.len);
        assert_non_null(p);
        psr_auth_kind k = psr_auth_extract(r.app, as_slice_make(p, r.msg.len), &a);
        if (k == K_BAD)
            fail_msg("%s:%u: malformed %s at column %llu", path, n + 1, psr_auth_kind_name(a.malformed_kind),
                     (unsigned long long)a.err_col);
        by_kind[k]++;
        events[k] += a.count;
        if (n < n_first)
            first_kinds[n] = k;
        n++;
    }
    assert_int_equal(n, n_lines);
    free(t.data);
}

static void test_psr_authmsg_real_filebeat_auth(void **state)
{
    guard *g = *state;
    unsigned by_kind[PSR_AUTH__COUNT], events[PSR_AUTH__COUNT];
    psr_auth_kind kinds[10];
    count_kinds(g, REAL "elastic-beats-syslog/system_auth/test.log", 10, by_kind, events, kinds, 10);
    static const psr_auth_kind want[10] = { K_ACC, K_ACC, K_INV, K_FAIL, K_SUDO, K_NONE, K_SUDO, K_DENY, K_GADD, K_UADD };
    for (size_t i = 0; i < 10; i++)
        if (kinds[i] != want[i])
            fail_msg("system_auth/test.log:%zu: %s, expected %s", i + 1, psr_auth_kind_name(kinds[i]),
                     psr_auth_kind_name(want[i]));
    count_kinds(g, REAL "elastic-beats-syslog/system_auth/timestamp.log", 2, by_kind, events, kinds, 2);
    assert_int_equal(kinds[0], K_OPEN);
    assert_int_equal(kinds[1], K_NONE);
}

/* Expected counts come from anchored regular expressions over the excerpt
 * (tests/data/real/loghub-syslog/README.md), not from this parser. */
static void test_psr_authmsg_real_loghub_openssh(void **state)
{
    guard *g = *state;
    unsigned by_kind[PSR_AUTH__COUNT], events[PSR_AUTH__COUNT];
    count_kinds(g, REAL "loghub-syslog/OpenSSH_2k.excerpt", 189, by_kind, events, NULL, 0);
    assert_int_equal(by_kind[K_ACC], 1);
    assert_int_equal(by_kind[K_FAIL], 39 + 2);     /* 39 lines + 2 `message repeated` lines */
    assert_int_equal(events[K_FAIL], 39 + 10);     /* which stand for 5 + 5 */
    assert_int_equal(by_kind[K_INV], 18);
    assert_int_equal(by_kind[K_PAMF], 32);
    assert_int_equal(by_kind[K_OPEN], 1);
    assert_int_equal(by_kind[K_CLOSE], 1);
    assert_int_equal(by_kind[K_BAD], 0);
    assert_int_equal(by_kind[K_SUDO] + by_kind[K_DENY] + by_kind[K_UADD] + by_kind[K_UDEL], 0);
}

static void test_psr_authmsg_real_loghub_linux(void **state)
{
    guard *g = *state;
    unsigned by_kind[PSR_AUTH__COUNT], events[PSR_AUTH__COUNT];
    count_kinds(g, REAL "loghub-syslog/Linux_2k.excerpt", 222, by_kind, events, NULL, 0);
    assert_int_equal(by_kind[K_PAMF], 23);
    assert_int_equal(by_kind[K_OPEN], 14);
    assert_int_equal(by_kind[K_CLOSE], 14);
    assert_int_equal(by_kind[K_BAD], 0);
    assert_int_equal(by_kind[K_ACC] + by_kind[K_FAIL] + by_kind[K_INV], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_authmsg_formats),
        cmocka_unit_test(test_psr_authmsg_prefixes_stay_in_bounds),
        cmocka_unit_test(test_psr_authmsg_kind_names),
        cmocka_unit_test(test_psr_authmsg_real_filebeat_auth),
        cmocka_unit_test(test_psr_authmsg_real_loghub_openssh),
        cmocka_unit_test(test_psr_authmsg_real_loghub_linux),
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
