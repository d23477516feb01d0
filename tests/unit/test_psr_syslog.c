/* test_psr_syslog.c: unit tests for parsers/psr_syslog: the three layouts
 * and every quirk of docs/domain.md 3.2 and 4.2/4.5 (each case names the
 * real line it copies), malformed lines with their exact error columns,
 * STRUCTURED-DATA iteration, RFC 3164 year inference (Dec -> Jan, the
 * Linux_2k.log back-steps, 29 Feb, period anchors, late lines, two-phase
 * use), and the real samples in tests/data/real/ read whole. Every input is
 * scanned at the end of a page before a PROT_NONE page (guard.h), and so is
 * every prefix of every valid case. Tests run from the repository root. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* fopen: the real samples */
#include <stdlib.h>  /* malloc, free */
#include <string.h>  /* strlen, memcmp */

#include "core/as.h"
#include "parsers/psr_syslog.h"
#include "tests/unit/guard.h"

#define GUARD_MAX 8192  /* bytes: the longest input of these tests */

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

/* Scans s (len bytes) placed right before the guard page. */
static as_code scan_guarded(guard *g, const char *s, size_t len, int off, psr_syslog *r, uint64_t *col)
{
    const char *p = guard_put(g, s, len);
    assert_non_null(p);
    psr_syslog_opts o = { .default_offset_min = off };
    return psr_syslog_scan(as_slice_make(p, len), &o, r, col);
}

static void expect_slice(const char *what, const char *field, as_slice got, const char *want)
{
    size_t wl = want ? strlen(want) : 0;
    if (got.len != wl || (wl && memcmp(got.ptr, want, wl) != 0))
        fail_msg("%s: %s is \"%.*s\", expected \"%s\"", what, field, (int)got.len, got.ptr ? got.ptr : "",
                 want ? want : "");
}

/* ---- valid lines ---- */

#define F_PRI  PSR_SYSLOG_F_PRI
#define F_NY   PSR_SYSLOG_F_NO_YEAR
#define F_UNP  PSR_SYSLOG_F_DAY_UNPADDED
#define F_NOH  PSR_SYSLOG_F_NO_HOST
#define F_NOT  PSR_SYSLOG_F_NO_TAG
#define F_TSP  PSR_SYSLOG_F_TAG_SPACE
#define F_XSP  PSR_SYSLOG_F_EXTRA_SPACE
#define F_BOM  PSR_SYSLOG_F_BOM
#define F_NILT PSR_SYSLOG_F_NIL_TIME
#define F_SD   PSR_SYSLOG_F_SD

typedef struct ok_case {
    const char *name;           /* where the line comes from */
    const char *line;
    int off;                    /* default offset for naive stamps, minutes */
    psr_syslog_variant variant;
    uint32_t flags;
    int pri;                    /* -1: none */
    unsigned month, day;        /* BSD */
    uint32_t sod;               /* BSD */
    const char *time;           /* ISO/5424: as_time_format_local; NULL: not valid */
    int naive;                  /* the stamp had no offset */
    const char *host, *tag, *app;
    long long pid;              /* -1: none */
    const char *procid, *msgid, *sd, *msg;
} ok_case;

static const ok_case k_ok[] = {
    /* ---- RFC 3164 ---- */
    { .name = "RFC 3164 4.3.1", .line = "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      .variant = PSR_SYSLOG_BSD, .flags = F_PRI | F_NY, .pri = 34, .month = 10, .day = 11, .sod = 80055,
      .host = "mymachine", .tag = "su", .app = "su", .pid = -1, .msg = "'su root' failed for lonvick on /dev/pts/8" },
    { .name = "PRI 0", .line = "<0>Oct 11 22:14:15 h a[1]: b", .variant = PSR_SYSLOG_BSD, .flags = F_PRI | F_NY,
      .pri = 0, .month = 10, .day = 11, .sod = 80055, .host = "h", .tag = "a[1]", .app = "a", .pid = 1,
      .procid = "1", .msg = "b" },
    { .name = "PRI 191", .line = "<191>Jan  1 00:00:00 h a: b", .variant = PSR_SYSLOG_BSD, .flags = F_PRI | F_NY,
      .pri = 191, .month = 1, .day = 1, .sod = 0, .host = "h", .tag = "a", .app = "a", .pid = -1, .msg = "b" },
    { .name = "Linux_2k.log:1 tag with parentheses, trailing space",
      .line = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 "
              "tty=NODEVssh ruser= rhost=218.188.2.4 ",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 6, .day = 14, .sod = 54961,
      .host = "combo", .tag = "sshd(pam_unix)[19939]", .app = "sshd(pam_unix)", .pid = 19939, .procid = "19939",
      .msg = "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 " },
    { .name = "Linux_2k.log:899 two spaces after the host, tag with spaces",
      .line = "Jul  7 08:06:15 combo  -- root[2421]: ROOT LOGIN ON tty2",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_XSP | F_TSP, .pri = -1, .month = 7, .day = 7, .sod = 29175,
      .host = "combo", .tag = "-- root[2421]", .app = "-- root", .pid = 2421, .procid = "2421",
      .msg = "ROOT LOGIN ON tty2" },
    { .name = "Linux_2k.log:146 tag with a space, no pid", .line = "Jun 19 04:09:11 combo syslogd 1.4.1: restart.",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_TSP, .pri = -1, .month = 6, .day = 19, .sod = 14951,
      .host = "combo", .tag = "syslogd 1.4.1", .app = "syslogd 1.4.1", .pid = -1, .msg = "restart." },
    { .name = "Linux_2k.log:1913 message starting with a space",
      .line = "Jul 27 14:41:57 combo kernel:  BIOS-e820: 0000000000000000 - 00000000000a0000 (usable)",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 7, .day = 27, .sod = 52917,
      .host = "combo", .tag = "kernel", .app = "kernel", .pid = -1,
      .msg = " BIOS-e820: 0000000000000000 - 00000000000a0000 (usable)" },
    { .name = "darwin-syslog-sample.log:21 unpadded day, no host",
      .line = "Apr 4 03:39:57 --- last message repeated 1 time ---",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_UNP | F_NOH | F_NOT, .pri = -1, .month = 4, .day = 4,
      .sod = 13197, .pid = -1, .msg = "--- last message repeated 1 time ---" },
    { .name = "system_auth/test.log:5 sudo without pid",
      .line = "Feb 21 23:35:33 localhost sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 2, .day = 21, .sod = 84933,
      .host = "localhost", .tag = "sudo", .app = "sudo", .pid = -1,
      .msg = "vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls" },
    { .name = "system_auth/test.log:8 padded sudo user kept in the message",
      .line = "Feb 24 00:13:02 precise32 sudo:      tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; "
              "USER=root ; COMMAND=/bin/ls",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 2, .day = 24, .sod = 782,
      .host = "precise32", .tag = "sudo", .app = "sudo", .pid = -1,
      .msg = "     tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls" },
    { .name = "no host: the first token is the tag", .line = "Oct 11 22:14:15 sshd[42]: Accepted password for a",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_NOH, .pri = -1, .month = 10, .day = 11, .sod = 80055,
      .tag = "sshd[42]", .app = "sshd", .pid = 42, .procid = "42", .msg = "Accepted password for a" },
    { .name = "sysklogd repeat: host but no tag", .line = "Jul 27 14:41:59 combo last message repeated 2 times",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_NOT, .pri = -1, .month = 7, .day = 27, .sod = 52919,
      .host = "combo", .pid = -1, .msg = "last message repeated 2 times" },
    { .name = "zero-padded day, leap second", .line = "Dec 01 23:59:60 h app: leap",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 12, .day = 1, .sod = 86400, .host = "h",
      .tag = "app", .app = "app", .pid = -1, .msg = "leap" },
    { .name = "29 Feb is left to the year inference", .line = "Feb 29 12:00:00 h app: x",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 2, .day = 29, .sod = 43200, .host = "h",
      .tag = "app", .app = "app", .pid = -1, .msg = "x" },
    { .name = "empty message after the colon", .line = "Oct 11 22:14:15 h app:",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 10, .day = 11, .sod = 80055, .host = "h",
      .tag = "app", .app = "app", .pid = -1, .msg = "" },
    { .name = "host only", .line = "Oct 11 22:14:15 h", .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_NOT,
      .pri = -1, .month = 10, .day = 11, .sod = 80055, .host = "h", .pid = -1, .msg = "" },
    { .name = "the first \": \" ends the tag", .line = "Oct 11 22:14:15 h prog: a: b",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 10, .day = 11, .sod = 80055, .host = "h",
      .tag = "prog", .app = "prog", .pid = -1, .msg = "a: b" },
    { .name = "a colon without a space is not a tag end", .line = "Oct 11 22:14:15 h prog:x y",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_NOT, .pri = -1, .month = 10, .day = 11, .sod = 80055,
      .host = "h", .pid = -1, .msg = "prog:x y" },
    { .name = "brackets without digits are not a pid", .line = "Oct 11 22:14:15 h foo[abc]: m",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 10, .day = 11, .sod = 80055, .host = "h",
      .tag = "foo[abc]", .app = "foo[abc]", .pid = -1, .msg = "m" },
    { .name = "CRLF (loghub): the CR is not part of the message", .line = "Dec 10 06:55:46 LabSZ sshd[24200]: x \r",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY, .pri = -1, .month = 12, .day = 10, .sod = 24946,
      .host = "LabSZ", .tag = "sshd[24200]", .app = "sshd", .pid = 24200, .procid = "24200", .msg = "x " },
    { .name = "extra space after the stamp", .line = "Oct 11 22:14:15  h a: b",
      .variant = PSR_SYSLOG_BSD, .flags = F_NY | F_XSP, .pri = -1, .month = 10, .day = 11, .sod = 80055,
      .host = "h", .tag = "a", .app = "a", .pid = -1, .msg = "b" },
    { .name = "all-upper month", .line = "OCT 11 22:14:15 h a: b", .variant = PSR_SYSLOG_BSD, .flags = F_NY,
      .pri = -1, .month = 10, .day = 11, .sod = 80055, .host = "h", .tag = "a", .app = "a", .pid = -1, .msg = "b" },

    /* ---- RFC 3339-stamped traditional lines ---- */
    { .name = "suse-syslog.log:2", .line = "2018-08-14T14:30:02.203251+02:00 linux-sqrz systemd[4179]: Stopped target Paths.",
      .variant = PSR_SYSLOG_ISO, .pri = -1, .time = "2018-08-14T14:30:02.203251+02:00", .host = "linux-sqrz",
      .tag = "systemd[4179]", .app = "systemd", .pid = 4179, .procid = "4179", .msg = "Stopped target Paths." },
    { .name = "tz-offset.log:1 +0400 and 3 fraction digits",
      .line = "1986-04-26T01:23:45.101+0400 rmbkmonitor04 shutdown[2649]: shutting down for system halt",
      .variant = PSR_SYSLOG_ISO, .pri = -1, .time = "1986-04-26T01:23:45.101+04:00", .host = "rmbkmonitor04",
      .tag = "shutdown[2649]", .app = "shutdown", .pid = 2649, .procid = "2649", .msg = "shutting down for system halt" },
    { .name = "tz-offset.log:2 +04:00", .line = "1986-04-26T01:23:45.388424+04:00 rmbkmonitor04 thermald: constraint_0_power_limit_uw exceeded.",
      .variant = PSR_SYSLOG_ISO, .pri = -1, .time = "1986-04-26T01:23:45.388424+04:00", .host = "rmbkmonitor04",
      .tag = "thermald", .app = "thermald", .pid = -1, .msg = "constraint_0_power_limit_uw exceeded." },
    { .name = "timestamp.log:1 naive, 6 fraction digits, in --tz +01:00", .off = 60,
      .line = "2019-06-14T10:40:20.912134 localhost sudo: pam_unix(sudo-i:session): session opened for user root by userauth3(uid=0)",
      .variant = PSR_SYSLOG_ISO, .pri = -1, .time = "2019-06-14T10:40:20.912134+01:00", .naive = 1, .host = "localhost",
      .tag = "sudo", .app = "sudo", .pid = -1,
      .msg = "pam_unix(sudo-i:session): session opened for user root by userauth3(uid=0)" },
    { .name = "timestamp.log:2 +01:30, tag pam", .line = "2019-06-14T13:01:15.412+01:30 localhost pam: user nobody logged out.",
      .variant = PSR_SYSLOG_ISO, .pri = -1, .time = "2019-06-14T13:01:15.412+01:30", .host = "localhost",
      .tag = "pam", .app = "pam", .pid = -1, .msg = "user nobody logged out." },
    { .name = "test-syslog.log:1 Z, no tag", .line = "2022-04-21T14:30:00Z greedy multiline",
      .variant = PSR_SYSLOG_ISO, .flags = F_NOT, .pri = -1, .time = "2022-04-21T14:30:00Z", .host = "greedy",
      .pid = -1, .msg = "multiline" },
    { .name = "PRI before an RFC 3339 stamp", .line = "<13>2018-08-14T14:30:02Z h a[7]: m",
      .variant = PSR_SYSLOG_ISO, .flags = F_PRI, .pri = 13, .time = "2018-08-14T14:30:02Z", .host = "h",
      .tag = "a[7]", .app = "a", .pid = 7, .procid = "7", .msg = "m" },

    /* ---- RFC 5424 ---- */
    { .name = "RFC 5424 6.5 example 1 (BOM)",
      .line = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI | F_BOM, .pri = 34, .time = "2003-10-11T22:14:15.003Z",
      .host = "mymachine.example.com", .app = "su", .pid = -1, .msgid = "ID47",
      .msg = "'su root' failed for lonvick on /dev/pts/8" },
    { .name = "RFC 5424 6.5 example 2",
      .line = "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI, .pri = 165, .time = "2003-08-24T05:14:15.000003-07:00",
      .host = "192.0.2.1", .app = "myproc", .pid = 8710, .procid = "8710", .msg = "%% It's time to make the do-nuts." },
    { .name = "RFC 5424 6.5 example 3 (SD and BOM)",
      .line = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
              "eventSource=\"Application\" eventID=\"1011\"] \xEF\xBB\xBF" "An application event log entry...",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI | F_SD | F_BOM, .pri = 165, .time = "2003-10-11T22:14:15.003Z",
      .host = "mymachine.example.com", .app = "evntslog", .pid = -1, .msgid = "ID47",
      .sd = "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]",
      .msg = "An application event log entry..." },
    { .name = "RFC 5424 6.5 example 4 (two elements, no MSG)",
      .line = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
              "eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI | F_SD, .pri = 165, .time = "2003-10-11T22:14:15.003Z",
      .host = "mymachine.example.com", .app = "evntslog", .pid = -1, .msgid = "ID47",
      .sd = "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]",
      .msg = "" },
    { .name = "domain.md 3.2 example",
      .line = "<38>1 2026-03-01T14:05:00.123Z web1 sshd 4121 - [origin ip=\"10.0.0.1\"] Accepted publickey for alice "
              "from 10.0.0.5 port 51234 ssh2",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI | F_SD, .pri = 38, .time = "2026-03-01T14:05:00.123Z",
      .host = "web1", .app = "sshd", .pid = 4121, .procid = "4121", .sd = "[origin ip=\"10.0.0.1\"]",
      .msg = "Accepted publickey for alice from 10.0.0.5 port 51234 ssh2" },
    { .name = "all nil", .line = "<14>1 - - - - - -", .variant = PSR_SYSLOG_5424, .flags = F_PRI | F_NILT | F_NOH,
      .pri = 14, .pid = -1, .msg = "" },
    { .name = "escapes and an unescaped ] in SD values, message with leading spaces",
      .line = "<14>1 2026-03-01T14:05:00+05:30 h a x-1 M [x@1 a=\"q\\\"uote\" b=\"back\\\\slash\" c=\"br\\]acket\" "
              "d=\"un]esc\"][id]   m ",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI | F_SD, .pri = 14, .time = "2026-03-01T14:05:00+05:30",
      .host = "h", .app = "a", .pid = -1, .procid = "x-1", .msgid = "M",
      .sd = "[x@1 a=\"q\\\"uote\" b=\"back\\\\slash\" c=\"br\\]acket\" d=\"un]esc\"][id]", .msg = "  m " },
    { .name = "empty MSG after a space", .line = "<14>1 2026-03-01T14:05:00Z h a - - - ",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI, .pri = 14, .time = "2026-03-01T14:05:00Z", .host = "h",
      .app = "a", .pid = -1, .msg = "" },
    { .name = "naive 5424 stamp takes --tz", .off = -300, .line = "<14>1 2026-03-01T14:05:00 h a - - - m",
      .variant = PSR_SYSLOG_5424, .flags = F_PRI, .pri = 14, .time = "2026-03-01T14:05:00-05:00", .naive = 1, .host = "h",
      .app = "a", .pid = -1, .msg = "m" },
};

static void check_ok(const ok_case *c, const psr_syslog *r)
{
    const char *w = c->name;
    if (r->variant != c->variant)
        fail_msg("%s: variant %d, expected %d", w, r->variant, c->variant);
    if (r->flags != c->flags)
        fail_msg("%s: flags %#x, expected %#x", w, r->flags, c->flags);
    if (r->pri != c->pri)
        fail_msg("%s: pri %d, expected %d", w, r->pri, c->pri);
    if (c->pri >= 0 && (r->facility != c->pri / 8 || r->severity != c->pri % 8))
        fail_msg("%s: facility/severity %d/%d", w, r->facility, r->severity);
    if (c->pri < 0 && (r->facility != -1 || r->severity != -1))
        fail_msg("%s: facility/severity set without PRI", w);
    if (r->version != (c->variant == PSR_SYSLOG_5424 ? 1 : 0))
        fail_msg("%s: version %u", w, r->version);
    if (c->variant == PSR_SYSLOG_BSD) {
        if (r->month != c->month || r->day != c->day || r->sod != c->sod)
            fail_msg("%s: month/day/sod %u/%u/%u, expected %u/%u/%u", w, r->month, r->day, r->sod, c->month,
                     c->day, c->sod);
        if (as_time_is_valid(r->time))
            fail_msg("%s: a BSD stamp has no time before the year is known", w);
    } else {
        if (r->month || r->day || r->sod)
            fail_msg("%s: month/day/sod set for a full stamp", w);
        if (c->time == NULL) {
            if (as_time_is_valid(r->time))
                fail_msg("%s: time should not be valid", w);
        } else {
            char buf[AS_TIME_RFC3339_MAX];
            if (!as_time_is_valid(r->time))
                fail_msg("%s: time not valid", w);
            as_time_format_local(r->time, buf);
            if (strcmp(buf, c->time) != 0)
                fail_msg("%s: time %s, expected %s", w, buf, c->time);
            if (((r->time.flags & AS_TIME_NAIVE) != 0) != c->naive)
                fail_msg("%s: time flags %#x", w, r->time.flags);
        }
    }
    expect_slice(w, "host", r->host, c->host);
    expect_slice(w, "tag", r->tag, c->tag);
    expect_slice(w, "app", r->app, c->app);
    if (r->pid != c->pid)
        fail_msg("%s: pid %lld, expected %lld", w, (long long)r->pid, c->pid);
    expect_slice(w, "procid", r->procid, c->procid);
    expect_slice(w, "msgid", r->msgid, c->msgid);
    expect_slice(w, "sd", r->sd, c->sd);
    expect_slice(w, "msg", r->msg, c->msg);
}

static void test_psr_syslog_valid_lines(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_ok); i++) {
        const ok_case *c = &k_ok[i];
        psr_syslog r;
        uint64_t col = 0;
        as_code rc = scan_guarded(g, c->line, strlen(c->line), c->off, &r, &col);
        if (rc != AS_OK)
            fail_msg("%s: %s at column %llu", c->name, as_err_name(rc), (unsigned long long)col);
        check_ok(c, &r);
    }
}

/* Every prefix of every valid line scans without reading past its end,
 * and either fails with a column inside [1, len + 1] or succeeds. */
static void test_psr_syslog_prefixes_stay_in_bounds(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_ok); i++) {
        size_t n = strlen(k_ok[i].line);
        for (size_t len = 0; len <= n; len++) {
            psr_syslog r;
            uint64_t col = 0;
            as_code rc = scan_guarded(g, k_ok[i].line, len, 0, &r, &col);
            if (rc != AS_OK && (col < 1 || col > len + 1))
                fail_msg("%s[0..%zu): column %llu out of range", k_ok[i].name, len, (unsigned long long)col);
            if (rc != AS_OK && rc != AS_ERR_SYNTAX && rc != AS_ERR_BAD_TIME)
                fail_msg("%s[0..%zu): unexpected code %d", k_ok[i].name, len, rc);
        }
    }
}

/* ---- malformed lines: code and exact column ---- */

typedef struct bad_case {
    const char *name;
    const char *line;
    as_code code;
    uint64_t col;
} bad_case;

static const bad_case k_bad[] = {
    { "empty", "", AS_ERR_SYNTAX, 1 },
    { "a lone CR", "\r", AS_ERR_SYNTAX, 1 },
    { "not syslog", "hello world", AS_ERR_SYNTAX, 1 },
    { "TAB continuation (darwin-syslog-sample.log:2)", "\t\tticketStore=<KSPersistentTicketStore:0x100204520", AS_ERR_SYNTAX, 1 },
    { "bare word continuation (test-syslog.log:2)", "syslog", AS_ERR_SYNTAX, 1 },
    { "PRI: end after <", "<", AS_ERR_SYNTAX, 2 },
    { "PRI: not a digit", "<a>Oct 11 22:14:15 h a: b", AS_ERR_SYNTAX, 2 },
    { "PRI: four digits", "<1234>Oct 11 22:14:15 h a: b", AS_ERR_SYNTAX, 5 },
    { "PRI: > 191", "<192>Oct 11 22:14:15 h a: b", AS_ERR_SYNTAX, 2 },
    { "PRI: no >", "<13", AS_ERR_SYNTAX, 4 },
    { "PRI and nothing else", "<13>", AS_ERR_SYNTAX, 5 },
    { "BSD: no space after the month", "Oct11 22:14:15 h a: b", AS_ERR_SYNTAX, 4 },
    { "BSD: four-letter month", "Octo 11 22:14:15 h a: b", AS_ERR_SYNTAX, 4 },
    { "BSD: letter in the day", "Oct 1a 22:14:15 h a: b", AS_ERR_SYNTAX, 6 },
    { "BSD: padded day missing", "Oct  x 22:14:15 h a: b", AS_ERR_SYNTAX, 6 },
    { "BSD: one-digit hour", "Oct 1 2:14:15 h a: b", AS_ERR_SYNTAX, 8 },
    { "BSD: no seconds", "Oct 11 22:14 h a: b", AS_ERR_SYNTAX, 13 },
    { "BSD: stamp cut short", "Oct 11 22:1", AS_ERR_SYNTAX, 12 },
    { "BSD: stamp only", "Oct 11 22:14:15", AS_ERR_SYNTAX, 16 },
    { "BSD: stamp and a space", "Oct 11 22:14:15 ", AS_ERR_SYNTAX, 17 },
    { "BSD: fraction after the seconds", "Oct 11 22:14:15.123 h a: b", AS_ERR_SYNTAX, 16 },
    { "BSD: day 32", "Oct 32 22:14:15 h a: b", AS_ERR_BAD_TIME, 5 },
    { "BSD: 31 April", "Apr 31 22:14:15 h a: b", AS_ERR_BAD_TIME, 5 },
    { "BSD: 30 February", "Feb 30 22:14:15 h a: b", AS_ERR_BAD_TIME, 5 },
    { "BSD: day 0, padded", "Oct  0 22:14:15 h a: b", AS_ERR_BAD_TIME, 6 },
    { "BSD: hour 24", "Oct 11 24:00:00 h a: b", AS_ERR_BAD_TIME, 8 },
    { "BSD: minute 60", "Oct 11 23:60:00 h a: b", AS_ERR_BAD_TIME, 11 },
    { "BSD: second 61", "Oct 11 23:59:61 h a: b", AS_ERR_BAD_TIME, 14 },
    { "ISO: month 13", "2018-13-14T14:30:02Z h a: b", AS_ERR_BAD_TIME, 1 },
    { "ISO: offset +25:00", "2018-08-14T14:30:02+25:00 h a: b", AS_ERR_BAD_TIME, 1 },
    { "ISO: no space after the stamp", "2018-08-14T14:30:02Zh a: b", AS_ERR_SYNTAX, 21 },
    { "ISO: offset cut short", "2018-08-14T14:30:02+02:0 h", AS_ERR_SYNTAX, 23 },
    { "ISO: date without time", "2018-08-14 h a: b", AS_ERR_SYNTAX, 11 },
    { "ISO: not a date", "2018x", AS_ERR_SYNTAX, 1 },
    { "5424: ends after the stamp", "<34>1 2003-10-11T22:14:15.003Z", AS_ERR_SYNTAX, 31 },
    { "5424: no SD", "<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47", AS_ERR_SYNTAX, 51 },
    { "5424: no SD after the space", "<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 ", AS_ERR_SYNTAX, 52 },
    { "5424: two spaces (empty HOSTNAME)", "<34>1 2003-10-11T22:14:15.003Z  mymachine su - ID47 - m", AS_ERR_SYNTAX, 32 },
    { "5424: bad month", "<34>1 2003-13-11T22:14:15.003Z h su - ID47 - m", AS_ERR_BAD_TIME, 7 },
    { "5424: date only", "<34>1 2003-10-11 h su - ID47 - m", AS_ERR_SYNTAX, 17 },
    { "5424: junk after the stamp", "<34>1 2003-10-11T22:14:15.003Zx h su - ID47 - m", AS_ERR_SYNTAX, 31 },
    { "5424: control byte in HOSTNAME", "<34>1 - ho\x01st a - - - m", AS_ERR_SYNTAX, 11 },
    { "5424: SD neither - nor [", "<34>1 - h a - - x", AS_ERR_SYNTAX, 17 },
    { "5424: SD element not closed", "<34>1 - h a - - [id", AS_ERR_SYNTAX, 20 },
    { "5424: SD value not closed", "<34>1 - h a - - [id a=\"b]", AS_ERR_SYNTAX, 26 },
    { "5424: SD value without quotes", "<34>1 - h a - - [id a=b]", AS_ERR_SYNTAX, 23 },
    { "5424: SD param without =", "<34>1 - h a - - [id a]", AS_ERR_SYNTAX, 22 },
    { "5424: empty SD-ID", "<34>1 - h a - - [ a=\"b\"]", AS_ERR_SYNTAX, 18 },
    { "5424: SD-ID with =", "<34>1 - h a - - [=x]", AS_ERR_SYNTAX, 18 },
    { "5424: junk after SD", "<34>1 - h a - - [id a=\"b\"]x", AS_ERR_SYNTAX, 27 },
    { "5424: backslash ends the line", "<34>1 - h a - - [id a=\"b\\", AS_ERR_SYNTAX, 26 },
    { "5424: APP-NAME of 49 bytes", "<34>1 - h aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa - - - m", AS_ERR_SYNTAX, 59 },
    { "5424: MSGID of 33 bytes", "<34>1 - h a - mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm - m", AS_ERR_SYNTAX, 47 },
    { "5424: SD-ID of 33 bytes", "<34>1 - h a - - [iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii] m", AS_ERR_SYNTAX, 50 },
};

static void test_psr_syslog_malformed_lines_give_columns(void **state)
{
    guard *g = *state;
    for (size_t i = 0; i < AS_ARRAY_LEN(k_bad); i++) {
        const bad_case *c = &k_bad[i];
        psr_syslog r;
        uint64_t col = 0;
        as_code rc = scan_guarded(g, c->line, strlen(c->line), 0, &r, &col);
        if (rc != c->code || col != c->col)
            fail_msg("%s: %s at column %llu, expected %s at column %llu", c->name, as_err_name(rc),
                     (unsigned long long)col, as_err_name(c->code), (unsigned long long)c->col);
    }
}

/* Appends n copies of c at *pp. */
static void put_run(char **pp, char c, size_t n)
{
    memset(*pp, c, n);
    *pp += n;
}

static void put_str(char **pp, const char *s)
{
    size_t n = strlen(s);
    memcpy(*pp, s, n);
    *pp += n;
}

static void test_psr_syslog_length_limits_are_inclusive(void **state)
{
    guard *g = *state;
    char line[700], *p = line;
    /* HOSTNAME of exactly 255, APP-NAME 48, PROCID 128, MSGID 32, SD-ID and PARAM-NAME 32 */
    put_str(&p, "<34>1 - ");
    put_run(&p, 'h', PSR_SYSLOG_HOST_MAX);
    put_str(&p, " ");
    put_run(&p, 'a', PSR_SYSLOG_APP_MAX);
    put_str(&p, " ");
    put_run(&p, 'p', PSR_SYSLOG_PROCID_MAX);
    put_str(&p, " ");
    put_run(&p, 'm', PSR_SYSLOG_MSGID_MAX);
    put_str(&p, " [");
    put_run(&p, 'i', PSR_SYSLOG_SDNAME_MAX);
    put_str(&p, " ");
    put_run(&p, 'n', PSR_SYSLOG_SDNAME_MAX);
    put_str(&p, "=\"v\"] m");
    psr_syslog r;
    uint64_t col = 0;
    assert_int_equal(scan_guarded(g, line, (size_t)(p - line), 0, &r, &col), AS_OK);
    assert_int_equal(r.host.len, 255);
    assert_int_equal(r.app.len, 48);
    assert_int_equal(r.procid.len, 128);
    assert_int_equal(r.msgid.len, 32);
    assert_int_equal(r.sd.len, 1 + 32 + 1 + 32 + 5);
    /* one more byte is an error at that byte: HOSTNAME, PROCID, PARAM-NAME */
    p = line;
    put_str(&p, "<34>1 - ");
    put_run(&p, 'h', PSR_SYSLOG_HOST_MAX + 1);
    put_str(&p, " a - - - m");
    assert_int_equal(scan_guarded(g, line, (size_t)(p - line), 0, &r, &col), AS_ERR_SYNTAX);
    assert_int_equal(col, 8 + 255 + 1);
    p = line;
    put_str(&p, "<34>1 - h a ");
    put_run(&p, 'p', PSR_SYSLOG_PROCID_MAX + 1);
    put_str(&p, " - - m");
    assert_int_equal(scan_guarded(g, line, (size_t)(p - line), 0, &r, &col), AS_ERR_SYNTAX);
    assert_int_equal(col, 12 + 128 + 1);
    p = line;
    put_str(&p, "<34>1 - h a - - [i ");
    put_run(&p, 'n', PSR_SYSLOG_SDNAME_MAX + 1);
    put_str(&p, "=\"v\"]");
    assert_int_equal(scan_guarded(g, line, (size_t)(p - line), 0, &r, &col), AS_ERR_SYNTAX);
    assert_int_equal(col, 19 + 32 + 1);
}

static void test_psr_syslog_starts_record(void **state)
{
    (void)state;
    static const struct { const char *s; int want; } k[] = {
        { "<34>1 - - - - - -", 1 }, { "Oct 11 22:14:15 h", 1 }, { "Apr 4 03:39:57 ---", 1 },
        { "2018-08-14T14:30:02Z h", 1 }, { "\t\tticketStore=", 0 }, { "syslog", 0 }, { "", 0 },
        { "<x", 0 }, { "Foo 11", 0 }, { "  Oct 11", 0 }, { "2018", 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++)
        if (psr_syslog_starts_record(as_slice_cstr(k[i].s)) != k[i].want)
            fail_msg("starts_record(\"%s\") != %d", k[i].s, k[i].want);
}

/* ---- STRUCTURED-DATA ---- */

static void test_psr_syslog_sd_iterates_and_unescapes(void **state)
{
    guard *g = *state;
    const char *line = "<14>1 - h a - - [x@1 a=\"q\\\"uote\" b=\"back\\\\slash\" c=\"br\\]acket\" d=\"un]esc\" "
                       "e=\"\" f=\"keep\\n\"][id][o ip=\"10.0.0.1\"] m";
    psr_syslog r;
    uint64_t col = 0;
    assert_int_equal(scan_guarded(g, line, strlen(line), 0, &r, &col), AS_OK);
    static const struct { const char *id, *name, *raw, *value; } want[] = {
        { "x@1", "a", "q\\\"uote", "q\"uote" },   { "x@1", "b", "back\\\\slash", "back\\slash" },
        { "x@1", "c", "br\\]acket", "br]acket" }, { "x@1", "d", "un]esc", "un]esc" },
        { "x@1", "e", "", "" },                   { "x@1", "f", "keep\\n", "keep\\n" },
        { "id", "", "", "" },                     { "o", "ip", "10.0.0.1", "10.0.0.1" },
    };
    psr_syslog_sd_iter it;
    psr_syslog_sd_iter_init(&it, r.sd);
    psr_syslog_sd_param p;
    for (size_t i = 0; i < AS_ARRAY_LEN(want); i++) {
        if (!psr_syslog_sd_next(&it, &p))
            fail_msg("SD ended after %zu parameters", i);
        expect_slice("sd", "id", p.id, want[i].id);
        expect_slice("sd", "name", p.name, want[i].name);
        expect_slice("sd", "raw value", p.value, want[i].raw);
        char buf[64];
        size_t n = psr_syslog_sd_unescape(p.value, buf);
        expect_slice("sd", "value", as_slice_make(buf, n), want[i].value);
    }
    assert_int_equal(psr_syslog_sd_next(&it, &p), 0);
    assert_int_equal(psr_syslog_sd_next(&it, &p), 0);
    psr_syslog_sd_iter_init(&it, as_slice_make(NULL, 0));
    assert_int_equal(psr_syslog_sd_next(&it, &p), 0);
}

/* ---- RFC 3164 year inference ---- */

typedef struct ystep {
    unsigned month, day;
    uint32_t sod;
    as_code code;
    int64_t year;
    unsigned yflags;
} ystep;

#define HMS(h, m, s) ((uint32_t)((h) * 3600 + (m) * 60 + (s)))
#define Y_ROLL PSR_SYSLOG_Y_ROLLOVER
#define Y_BACK PSR_SYSLOG_Y_BACKSTEP
#define Y_LATE PSR_SYSLOG_Y_LATE

static void run_steps(psr_syslog_year *ys, const ystep *s, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        psr_syslog_year before = *ys;
        int64_t y = 0;
        unsigned fl = 0;
        as_code rc = psr_syslog_year_resolve(ys, s[i].month, s[i].day, s[i].sod, &y, &fl);
        if (rc != s[i].code)
            fail_msg("%s step %zu: %s, expected %s", what, i, as_err_name(rc), as_err_name(s[i].code));
        if (rc != AS_OK) {
            if (memcmp(&before, ys, sizeof before) != 0)
                fail_msg("%s step %zu: a rejected record changed the state", what, i);
            continue;
        }
        if (y != s[i].year || fl != s[i].yflags)
            fail_msg("%s step %zu (%02u-%02u): year %lld flags %#x, expected %lld flags %#x", what, i, s[i].month,
                     s[i].day, (long long)y, fl, (long long)s[i].year, s[i].yflags);
    }
}

static void test_psr_syslog_year_dec_to_jan_rolls_over(void **state)
{
    (void)state;
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, 2024, 0);
    static const ystep s[] = {
        { 12, 30, HMS(10, 0, 0), AS_OK, 2024, 0 },
        { 12, 31, HMS(23, 59, 59), AS_OK, 2024, 0 },
        { 1, 1, HMS(0, 0, 1), AS_OK, 2025, Y_ROLL },
        { 1, 1, HMS(0, 0, 0), AS_OK, 2025, Y_BACK },     /* a 1 s back-step is not a rollover */
        { 3, 1, HMS(0, 0, 0), AS_OK, 2025, 0 },
        { 12, 31, HMS(12, 0, 0), AS_OK, 2025, 0 },
        { 1, 2, HMS(0, 0, 0), AS_OK, 2026, Y_ROLL },
    };
    run_steps(&ys, s, AS_ARRAY_LEN(s), "dec-jan");
    assert_int_equal(ys.n_rollover, 2);
    assert_int_equal(ys.n_backstep, 1);
}

static void test_psr_syslog_year_month_drop_threshold(void **state)
{
    (void)state;
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, 2005, 0);
    static const ystep s[] = {
        { 6, 30, HMS(12, 0, 0), AS_OK, 2005, 0 },
        { 1, 5, HMS(12, 0, 0), AS_OK, 2005, Y_BACK },    /* a drop of 5 months stays */
        { 7, 1, HMS(0, 0, 0), AS_OK, 2005, 0 },
        { 1, 1, HMS(0, 0, 0), AS_OK, 2006, Y_ROLL },     /* a drop of 6 adds a year */
        { 12, 13, HMS(11, 35, 28), AS_OK, 2006, 0 },      /* a long gap forward, same year */
        { 4, 4, HMS(3, 39, 57), AS_OK, 2007, Y_ROLL },    /* darwin-syslog-sample.log: Dec 13 -> Apr 4 */
    };
    run_steps(&ys, s, AS_ARRAY_LEN(s), "threshold");
}

static void test_psr_syslog_year_late_line_over_new_year(void **state)
{
    (void)state;
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, 2025, 0);
    static const ystep s[] = {
        { 1, 1, HMS(0, 0, 2), AS_OK, 2025, 0 },
        { 12, 31, HMS(23, 59, 58), AS_OK, 2024, Y_BACK | Y_LATE },  /* 4 s late: the old year */
        { 1, 1, HMS(0, 0, 3), AS_OK, 2025, Y_ROLL },
        { 1, 20, HMS(0, 0, 0), AS_OK, 2025, 0 },
        { 12, 31, HMS(23, 0, 0), AS_OK, 2025, 0 },                   /* 20 days back: a gap forward instead */
    };
    run_steps(&ys, s, AS_ARRAY_LEN(s), "late");
}

static void test_psr_syslog_year_feb_29(void **state)
{
    (void)state;
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, 2023, 0);
    static const ystep a[] = {
        { 2, 29, HMS(12, 0, 0), AS_ERR_BAD_TIME, 0, 0 },  /* 2023 is not leap; the state stays empty */
        { 3, 1, HMS(0, 0, 0), AS_OK, 2023, 0 },
        { 12, 31, HMS(0, 0, 0), AS_OK, 2023, 0 },
        { 2, 29, HMS(1, 0, 0), AS_OK, 2024, Y_ROLL },      /* rolled into a leap year */
        { 12, 1, HMS(0, 0, 0), AS_OK, 2024, 0 },
        { 2, 29, HMS(1, 0, 0), AS_ERR_BAD_TIME, 0, 0 },    /* 2025 is not */
        { 3, 1, HMS(0, 0, 0), AS_OK, 2025, Y_ROLL },
        { 2, 30, HMS(0, 0, 0), AS_ERR_BAD_TIME, 0, 0 },    /* never a date */
        { 13, 1, HMS(0, 0, 0), AS_ERR_BAD_TIME, 0, 0 },
        { 3, 1, 86401, AS_ERR_BAD_TIME, 0, 0 },
    };
    run_steps(&ys, a, AS_ARRAY_LEN(a), "feb29");
    psr_syslog_year_init_fixed(&ys, 2024, 0);
    static const ystep b[] = { { 2, 29, HMS(12, 0, 0), AS_OK, 2024, 0 } };
    run_steps(&ys, b, AS_ARRAY_LEN(b), "feb29-leap");
}

static void test_psr_syslog_year_range(void **state)
{
    (void)state;
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, 0, 0);       /* no anchor: nothing resolves */
    static const ystep a[] = { { 1, 1, 0, AS_ERR_BAD_TIME, 0, 0 }, { 6, 1, 0, AS_ERR_BAD_TIME, 0, 0 } };
    run_steps(&ys, a, AS_ARRAY_LEN(a), "anchor-0");
    psr_syslog_year_init_fixed(&ys, 10000, 0);
    run_steps(&ys, a, 1, "anchor-10000");
    psr_syslog_year_init_fixed(&ys, -5, 0);
    run_steps(&ys, a, 1, "anchor-negative");
    psr_syslog_year_init_fixed(&ys, INT64_MAX, 0);
    run_steps(&ys, a, 1, "anchor-int64-max");
    psr_syslog_year_init_fixed(&ys, 9999, 0);
    static const ystep b[] = {
        { 12, 31, HMS(23, 0, 0), AS_OK, 9999, 0 },
        { 1, 1, 0, AS_ERR_BAD_TIME, 0, 0 },      /* would be 10000 */
    };
    run_steps(&ys, b, AS_ARRAY_LEN(b), "rollover-10000");
    psr_syslog_year_init_fixed(&ys, 1, 0);
    static const ystep c[] = {
        { 1, 1, HMS(0, 0, 5), AS_OK, 1, 0 },
        { 12, 31, HMS(23, 59, 59), AS_ERR_BAD_TIME, 0, 0 },   /* a late line would be year 0 */
    };
    run_steps(&ys, c, AS_ARRAY_LEN(c), "late-0");
}

static as_time utc(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
    as_time t;
    assert_int_equal(as_time_from_civil(y, mo, d, h, mi, s, 0, 0, 0, &t), 0);
    return t;
}

static void test_psr_syslog_year_period_anchor(void **state)
{
    (void)state;
    psr_syslog_year ys;
    /* a calendar-year period */
    psr_syslog_year_init_period(&ys, utc(2025, 1, 1, 0, 0, 0), utc(2025, 12, 31, 23, 59, 59), 0, 0);
    static const ystep a[] = { { 6, 15, HMS(0, 0, 0), AS_OK, 2025, 0 }, { 12, 31, 0, AS_OK, 2025, 0 },
                               { 1, 2, 0, AS_OK, 2026, Y_ROLL } };
    run_steps(&ys, a, AS_ARRAY_LEN(a), "period-2025");
    /* a fiscal period across New Year: Mar falls in 2025, Sep in 2024 */
    psr_syslog_year_init_period(&ys, utc(2024, 7, 1, 0, 0, 0), utc(2025, 6, 30, 23, 59, 59), 0, 0);
    static const ystep b[] = { { 3, 3, 0, AS_OK, 2025, 0 } };
    run_steps(&ys, b, AS_ARRAY_LEN(b), "fiscal-mar");
    psr_syslog_year_init_period(&ys, utc(2024, 7, 1, 0, 0, 0), utc(2025, 6, 30, 23, 59, 59), 0, 0);
    static const ystep c[] = { { 9, 9, 0, AS_OK, 2024, 0 } };
    run_steps(&ys, c, AS_ARRAY_LEN(c), "fiscal-sep");
    /* slack: a file starting half an hour before the period belongs to the old year */
    psr_syslog_year_init_period(&ys, utc(2025, 1, 1, 0, 0, 0), utc(2025, 12, 31, 23, 59, 59), 86400, 0);
    static const ystep d[] = { { 12, 31, HMS(23, 30, 0), AS_OK, 2024, 0 } };
    run_steps(&ys, d, AS_ARRAY_LEN(d), "slack");
    /* the zone the stamps are written in counts: 2025-01-01T00:30 at +01:00 is still 2024 in UTC */
    psr_syslog_year_init_period(&ys, utc(2025, 1, 1, 0, 0, 0), utc(2025, 1, 31, 0, 0, 0), 0, 60);
    static const ystep e[] = { { 1, 1, HMS(0, 30, 0), AS_ERR_BAD_TIME, 0, 0 }, { 1, 1, HMS(1, 30, 0), AS_OK, 2025, 0 } };
    run_steps(&ys, e, AS_ARRAY_LEN(e), "zone");
    /* nothing in the period: rejected, the state stays unanchored */
    psr_syslog_year_init_period(&ys, utc(2025, 3, 1, 0, 0, 0), utc(2025, 3, 31, 23, 59, 59), 0, 0);
    static const ystep f[] = { { 6, 1, 0, AS_ERR_BAD_TIME, 0, 0 }, { 3, 2, 0, AS_OK, 2025, 0 } };
    run_steps(&ys, f, AS_ARRAY_LEN(f), "outside");
    /* 29 Feb picks the leap year of a multi-year period */
    psr_syslog_year_init_period(&ys, utc(2025, 1, 1, 0, 0, 0), utc(2028, 12, 31, 0, 0, 0), 0, 0);
    static const ystep g2[] = { { 2, 29, 0, AS_OK, 2028, 0 } };
    run_steps(&ys, g2, AS_ARRAY_LEN(g2), "feb29-period");
}

static void test_psr_syslog_year_apply_fills_time(void **state)
{
    guard *g = *state;
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, 2000, -300);
    const char *lines[] = {
        "2018-12-31T23:00:00-05:00 h a: full stamp re-anchors",  /* the state moves to 2018-12-31 */
        "Jan  1 00:00:05 h a: b",
        "<14>1 - h a - - - nil time changes nothing",
        "Jan  1 00:00:06 h a: c",
    };
    static const char *want[] = { "2018-12-31T23:00:00-05:00", "2019-01-01T00:00:05-05:00", NULL,
                                  "2019-01-01T00:00:06-05:00" };
    static const unsigned want_fl[] = { 0, Y_ROLL, 0, 0 };
    for (size_t i = 0; i < AS_ARRAY_LEN(lines); i++) {
        psr_syslog r;
        uint64_t col;
        assert_int_equal(scan_guarded(g, lines[i], strlen(lines[i]), -300, &r, &col), AS_OK);
        unsigned fl = 99;
        assert_int_equal(psr_syslog_year_apply(&ys, &r, &fl), AS_OK);
        assert_int_equal(fl, want_fl[i]);
        if (want[i] == NULL) {
            assert_false(as_time_is_valid(r.time));
            continue;
        }
        char buf[AS_TIME_RFC3339_MAX];
        as_time_format_local(r.time, buf);
        assert_string_equal(buf, want[i]);
        if (i != 0)
            assert_int_equal(r.time.flags, AS_TIME_VALID | AS_TIME_NAIVE | AS_TIME_YEAR_INFERRED);
    }
    /* a leap second */
    as_time t;
    assert_int_equal(psr_syslog_time_from_year(12, 31, 86400, 2016, 0, &t), AS_OK);
    char buf[AS_TIME_RFC3339_MAX];
    as_time_format_utc(t, buf);
    assert_string_equal(buf, "2017-01-01T00:00:00Z");
    assert_int_equal(psr_syslog_time_from_year(2, 29, 0, 2017, 0, &t), AS_ERR_BAD_TIME);
    assert_int_equal(psr_syslog_time_from_year(2, 1, 86401, 2017, 0, &t), AS_ERR_BAD_TIME);
}

/* ---- the real samples ---- */

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

/* The next line (without LF), as the engine's splitter gives it; a last line
 * without a newline counts. Returns 0 at the end. */
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

/* Original line numbers of an excerpt (tests/data/real/loghub-syslog/README.md). */
static size_t read_line_numbers(const char *path, unsigned *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    size_t n = 0;
    while (n < cap && fscanf(f, "%u", &out[n]) == 1)
        n++;
    fclose(f);
    return n;
}

#define REAL "tests/data/real/"

/* Filebeat system_auth and system_syslog: every line, accepted or rejected
 * where the expected errors say. */
static void test_psr_syslog_real_filebeat_files(void **state)
{
    guard *g = *state;
    static const struct { const char *file; unsigned lines, accepted; uint32_t flags_line1; } k[] = {
        { REAL "elastic-beats-syslog/system_auth/test.log", 10, 10, F_NY },
        { REAL "elastic-beats-syslog/system_auth/timestamp.log", 2, 2, 0 },
        { REAL "elastic-beats-syslog/system_syslog/darwin-syslog-sample.log", 21, 3, F_NY },
        { REAL "elastic-beats-syslog/system_syslog/suse-syslog.log", 2, 2, 0 },
        { REAL "elastic-beats-syslog/system_syslog/test-syslog.log", 2, 1, F_NOT },
        { REAL "elastic-beats-syslog/system_syslog/tz-offset.log", 3, 3, 0 },
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(k); i++) {
        text t;
        read_text(k[i].file, &t);
        size_t pos = 0;
        as_slice line;
        unsigned n = 0, ok = 0;
        while (next_line(&t, &pos, &line)) {
            n++;
            psr_syslog r;
            uint64_t col = 0;
            as_code rc = scan_guarded(g, line.ptr, line.len, 0, &r, &col);
            if (rc == AS_OK) {
                ok++;
                if (n == 1 && r.flags != k[i].flags_line1)
                    fail_msg("%s:1: flags %#x", k[i].file, r.flags);
            } else if (rc != AS_ERR_SYNTAX || col != 1 || psr_syslog_starts_record(line)) {
                fail_msg("%s:%u: %s at column %llu (only continuation lines may fail, at column 1)", k[i].file,
                         n, as_err_name(rc), (unsigned long long)col);
            }
        }
        if (n != k[i].lines || ok != k[i].accepted)
            fail_msg("%s: %u lines, %u accepted; expected %u, %u", k[i].file, n, ok, k[i].lines, k[i].accepted);
        free(t.data);
    }
}

/* system_auth/test.log with a period anchor: out of order (Feb 19-24), all
 * in one year, back-steps flagged. */
static void test_psr_syslog_real_out_of_order_auth_log(void **state)
{
    guard *g = *state;
    text t;
    read_text(REAL "elastic-beats-syslog/system_auth/test.log", &t);
    psr_syslog_year ys;
    psr_syslog_year_init_period(&ys, utc(2017, 1, 1, 0, 0, 0), utc(2017, 12, 31, 23, 59, 59), 0, 0);
    static const unsigned want_fl[] = { 0, 0, Y_BACK, Y_BACK, 0, Y_BACK, 0, 0, Y_BACK, 0 };
    size_t pos = 0, i = 0;
    as_slice line;
    while (next_line(&t, &pos, &line)) {
        psr_syslog r;
        uint64_t col;
        assert_int_equal(scan_guarded(g, line.ptr, line.len, 0, &r, &col), AS_OK);
        unsigned fl;
        assert_int_equal(psr_syslog_year_apply(&ys, &r, &fl), AS_OK);
        if (fl != want_fl[i])
            fail_msg("test.log:%zu: year flags %#x, expected %#x", i + 1, fl, want_fl[i]);
        int64_t y;
        unsigned m, d;
        as_civil_from_days(as_time_day(r.time, 0), &y, &m, &d);
        assert_int_equal(y, 2017);
        i++;
    }
    assert_int_equal(i, 10);
    free(t.data);
}

/* darwin-syslog-sample.log: Dec 13 then Apr 4 is a new year. */
static void test_psr_syslog_real_darwin_year_change(void **state)
{
    guard *g = *state;
    text t;
    read_text(REAL "elastic-beats-syslog/system_syslog/darwin-syslog-sample.log", &t);
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, 2016, 0);   /* :1 embeds 2016-12-13 */
    size_t pos = 0;
    unsigned n = 0;
    as_slice line;
    char last[AS_TIME_RFC3339_MAX] = "";
    unsigned last_fl = 0;
    while (next_line(&t, &pos, &line)) {
        n++;
        psr_syslog r;
        uint64_t col;
        if (scan_guarded(g, line.ptr, line.len, 0, &r, &col) != AS_OK)
            continue;
        assert_int_equal(psr_syslog_year_apply(&ys, &r, &last_fl), AS_OK);
        as_time_format_utc(r.time, last);
    }
    assert_int_equal(n, 21);
    assert_string_equal(last, "2017-04-04T03:39:57Z");
    assert_int_equal(last_fl, Y_ROLL);
    free(t.data);
}

/* loghub Linux_2k excerpt: every line accepted; the real quirks at their
 * original lines; year 2005 from the period, confirmed by the ftpd lines'
 * own dates and the audit epoch at :1986; back-steps only at 1983, 1987,
 * 1991; two-phase resolution equals one pass. */
static void test_psr_syslog_real_loghub_linux(void **state)
{
    guard *g = *state;
    text t;
    read_text(REAL "loghub-syslog/Linux_2k.excerpt", &t);
    static unsigned orig[400];
    size_t n_orig = read_line_numbers(REAL "loghub-syslog/Linux_2k.excerpt.lines", orig, AS_ARRAY_LEN(orig));
    assert_int_equal(n_orig, 222);

    /* phase 1: scan every line (the engine does this in parallel blocks) */
    static psr_syslog recs[400];
    size_t pos = 0, n = 0;
    as_slice line;
    while (next_line(&t, &pos, &line)) {
        assert_true(n < n_orig);
        uint64_t col = 0;
        as_code rc = scan_guarded(g, line.ptr, line.len, 0, &recs[n], &col);
        if (rc != AS_OK)
            fail_msg("Linux_2k.log:%u: %s at column %llu", orig[n], as_err_name(rc), (unsigned long long)col);
        /* slices must point into t, not into the guard copy: rescan in place */
        assert_int_equal(psr_syslog_scan(line, NULL, &recs[n], &col), AS_OK);
        n++;
    }
    assert_int_equal(n, n_orig);
    assert_int_not_equal(t.data[t.len - 1], '\n');   /* the last line has no terminator, as in the original */

    /* phase 2: years in file order; checkpoint the state halfway and replay */
    psr_syslog_year ys, half;
    psr_syslog_year_init_period(&ys, utc(2005, 6, 1, 0, 0, 0), utc(2005, 7, 31, 23, 59, 59), 0, 0);
    static as_time first_pass[400];
    unsigned backsteps[8] = { 0 }, n_back = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == n / 2)
            half = ys;
        unsigned fl;
        psr_syslog r = recs[i];
        assert_int_equal(psr_syslog_year_apply(&ys, &r, &fl), AS_OK);
        first_pass[i] = r.time;
        assert_int_equal(fl & (Y_ROLL | Y_LATE), 0);
        if (fl & Y_BACK) {
            assert_true(n_back < AS_ARRAY_LEN(backsteps));
            backsteps[n_back++] = orig[i];
        }
    }
    assert_int_equal(n_back, 3);
    assert_int_equal(backsteps[0], 1983);
    assert_int_equal(backsteps[1], 1987);
    assert_int_equal(backsteps[2], 1991);
    assert_int_equal(ys.n_backstep, 3);
    for (size_t i = n / 2; i < n; i++) {
        unsigned fl;
        psr_syslog r = recs[i];
        assert_int_equal(psr_syslog_year_apply(&half, &r, &fl), AS_OK);
        assert_int_equal(as_time_cmp(r.time, first_pass[i]), 0);
    }

    for (size_t i = 0; i < n; i++) {
        const psr_syslog *r = &recs[i];
        int64_t y;
        unsigned m, d;
        as_civil_from_days(as_time_day(first_pass[i], 0), &y, &m, &d);
        assert_int_equal(y, 2005);
        /* ftpd: `... at Fri Jun 17 07:07:00 2005` names the year the inference chose */
        if (as_slice_eq_cstr(r->app, "ftpd")) {
            const char *at = memmem(r->msg.ptr, r->msg.len, " at ", 4);
            if (at != NULL && r->msg.ptr + r->msg.len - at >= 29) {
                char buf[AS_TIME_RFC3339_MAX];
                as_time_format_utc(first_pass[i], buf);
                /* `Fri Jun 17 07:07:00 2005` vs `2005-06-17T07:07:00Z` */
                assert_memory_equal(at + 24, buf, 4);
                assert_memory_equal(at + 15, buf + 11, 8);
            }
        }
        switch (orig[i]) {
        case 1:
            expect_slice("Linux_2k.log:1", "app", r->app, "sshd(pam_unix)");
            assert_int_equal(r->pid, 19939);
            break;
        case 146:
            expect_slice("Linux_2k.log:146", "app", r->app, "syslogd 1.4.1");
            assert_int_equal(r->pid, -1);
            assert_int_equal(r->flags, F_NY | F_TSP);
            break;
        case 899:
            expect_slice("Linux_2k.log:899", "app", r->app, "-- root");
            assert_int_equal(r->pid, 2421);
            assert_int_equal(r->flags, F_NY | F_XSP | F_TSP);
            break;
        case 1913:
            expect_slice("Linux_2k.log:1913", "msg", r->msg, " BIOS-e820: 0000000000000000 - 00000000000a0000 (usable)");
            break;
        case 1986: {
            /* audit(1122475266...) = 2005-07-27T14:41:06Z, 53 s before the stamp (boot) */
            expect_slice("Linux_2k.log:1986", "msg", r->msg, "audit(1122475266.4294965305:0): initialized");
            int64_t diff = first_pass[i].sec - 1122475266;
            assert_true(diff >= 0 && diff < 120);
            break;
        }
        case 2000:
            expect_slice("Linux_2k.log:2000", "app", r->app, "kernel");
            break;
        default:
            break;
        }
    }
    free(t.data);
}

/* loghub OpenSSH_2k excerpt: every line accepted, host LabSZ, all on Dec 10. */
static void test_psr_syslog_real_loghub_openssh(void **state)
{
    guard *g = *state;
    text t;
    read_text(REAL "loghub-syslog/OpenSSH_2k.excerpt", &t);
    static unsigned orig[400];
    size_t n_orig = read_line_numbers(REAL "loghub-syslog/OpenSSH_2k.excerpt.lines", orig, AS_ARRAY_LEN(orig));
    assert_int_equal(n_orig, 189);
    size_t pos = 0, n = 0;
    as_slice line;
    unsigned trailing_space = 0;
    while (next_line(&t, &pos, &line)) {
        psr_syslog r;
        uint64_t col = 0;
        as_code rc = scan_guarded(g, line.ptr, line.len, 0, &r, &col);
        if (rc != AS_OK)
            fail_msg("OpenSSH_2k.log:%u: %s at column %llu", orig[n], as_err_name(rc), (unsigned long long)col);
        assert_int_equal(r.flags, F_NY);
        expect_slice("OpenSSH_2k.log", "host", r.host, "LabSZ");
        expect_slice("OpenSSH_2k.log", "app", r.app, "sshd");
        assert_int_equal(r.month, 12);
        assert_int_equal(r.day, 10);
        assert_true(r.pid > 0);
        assert_true(r.msg.len > 0 && r.msg.ptr[r.msg.len - 1] != '\r');
        trailing_space += r.msg.ptr[r.msg.len - 1] == ' ';
        if (orig[n] == 185)
            expect_slice("OpenSSH_2k.log:185", "msg", r.msg, "Invalid user  0101 from 5.188.10.180");
        n++;
    }
    assert_int_equal(n, n_orig);
    assert_true(trailing_space > 0);   /* the messages keep loghub's trailing spaces */
    free(t.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psr_syslog_valid_lines),
        cmocka_unit_test(test_psr_syslog_prefixes_stay_in_bounds),
        cmocka_unit_test(test_psr_syslog_malformed_lines_give_columns),
        cmocka_unit_test(test_psr_syslog_length_limits_are_inclusive),
        cmocka_unit_test(test_psr_syslog_starts_record),
        cmocka_unit_test(test_psr_syslog_sd_iterates_and_unescapes),
        cmocka_unit_test(test_psr_syslog_year_dec_to_jan_rolls_over),
        cmocka_unit_test(test_psr_syslog_year_month_drop_threshold),
        cmocka_unit_test(test_psr_syslog_year_late_line_over_new_year),
        cmocka_unit_test(test_psr_syslog_year_feb_29),
        cmocka_unit_test(test_psr_syslog_year_period_anchor),
        cmocka_unit_test(test_psr_syslog_year_range),
        cmocka_unit_test(test_psr_syslog_year_apply_fills_time),
        cmocka_unit_test(test_psr_syslog_real_filebeat_files),
        cmocka_unit_test(test_psr_syslog_real_out_of_order_auth_log),
        cmocka_unit_test(test_psr_syslog_real_darwin_year_change),
        cmocka_unit_test(test_psr_syslog_real_loghub_linux),
        cmocka_unit_test(test_psr_syslog_real_loghub_openssh),
    };
    return cmocka_run_group_tests(tests, setup_guard, teardown_guard);
}
