/* psr_syslog.h: syslog line tokenizer (RFC 3164, RFC 3339-stamped traditional
 * lines, RFC 5424) and the RFC 3164 year inference.
 *
 * psr_syslog_scan() finds the fields of one line; it copies nothing and
 * allocates nothing. Field values are slices into the line and live as long
 * as the line's block. The three layouts (docs/formats.md, "syslog"):
 *
 *   [<PRI>]Mmm dd hh:mm:ss HOST TAG: MSG                       RFC 3164 (BSD)
 *   [<PRI>]2018-08-14T14:30:02.203151+02:00 HOST TAG: MSG       rsyslog RFC 3339 template
 *   <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]            RFC 5424
 *
 * An RFC 3164 stamp has no year: the scan gives month, day and second of day
 * and sets PSR_SYSLOG_F_NO_YEAR; the year comes from psr_syslog_year_*, a
 * small state machine applied to the records in file order. The two steps
 * are separate so the engine can scan blocks in parallel and resolve years
 * in its ordered merge.
 *
 * Thread-safety: every function is pure or works on caller-owned state; the
 * only shared data are static const tables. One psr_syslog_year per input.
 */
#ifndef ASSAY_PSR_SYSLOG_H
#define ASSAY_PSR_SYSLOG_H

#include "core/as.h"  /* as_slice, as_time, as_code */

/* ---- limits (RFC 5424 section 6) ---- */
#define PSR_SYSLOG_PRI_MAX      191  /* facility 23 * 8 + severity 7 */
#define PSR_SYSLOG_HOST_MAX     255  /* RFC 5424 HOSTNAME, bytes */
#define PSR_SYSLOG_APP_MAX      48   /* RFC 5424 APP-NAME, bytes */
#define PSR_SYSLOG_PROCID_MAX   128  /* RFC 5424 PROCID, bytes */
#define PSR_SYSLOG_MSGID_MAX    32   /* RFC 5424 MSGID, bytes */
#define PSR_SYSLOG_SDNAME_MAX   32   /* RFC 5424 SD-ID and PARAM-NAME, bytes */

/* Which layout a line had. */
typedef enum psr_syslog_variant {
    PSR_SYSLOG_BSD  = 1,  /* RFC 3164 stamp `Mmm dd hh:mm:ss`, no year, no zone */
    PSR_SYSLOG_ISO  = 2,  /* traditional layout with an RFC 3339 stamp (rsyslog, Fedora/SUSE default) */
    PSR_SYSLOG_5424 = 3,  /* RFC 5424 `<PRI>1 ...` */
} psr_syslog_variant;

/* What the line looked like; several may be set. Quirks are accepted and
 * flagged, never silently normalised. */
enum {
    PSR_SYSLOG_F_PRI          = 1u << 0,  /* began with <PRI> */
    PSR_SYSLOG_F_NO_YEAR      = 1u << 1,  /* RFC 3164 stamp: month/day/sod are set, time is not */
    PSR_SYSLOG_F_DAY_UNPADDED = 1u << 2,  /* `Apr 4` instead of `Apr  4` */
    PSR_SYSLOG_F_NO_HOST      = 1u << 3,  /* no host: `--- last message repeated ---`, `prog:` right after the stamp, 5424 `-` */
    PSR_SYSLOG_F_NO_TAG       = 1u << 4,  /* BSD/ISO: no `TAG: `; the message is all that follows the host */
    PSR_SYSLOG_F_TAG_SPACE    = 1u << 5,  /* the tag holds a space (`syslogd 1.4.1`, `-- root[2421]`) */
    PSR_SYSLOG_F_EXTRA_SPACE  = 1u << 6,  /* more than one space between stamp, host and tag (Linux_2k.log:899) */
    PSR_SYSLOG_F_BOM          = 1u << 7,  /* 5424 MSG began with a UTF-8 BOM (not part of msg) */
    PSR_SYSLOG_F_NIL_TIME     = 1u << 8,  /* 5424 TIMESTAMP was `-`: time is not valid */
    PSR_SYSLOG_F_SD           = 1u << 9,  /* 5424 STRUCTURED-DATA present (not `-`) */
};

/* One scanned line. Slices point into the line; an absent field is an empty
 * slice (ptr may be NULL). For RFC 5424 a nil `-` field is empty too. */
typedef struct psr_syslog {
    psr_syslog_variant variant; /* layout */
    uint32_t flags;             /* PSR_SYSLOG_F_* */
    int16_t  pri;               /* 0..191, or -1 without <PRI> */
    int8_t   facility;          /* pri / 8, or -1 */
    int8_t   severity;          /* pri % 8, or -1 */
    uint16_t version;           /* RFC 5424 VERSION (1), else 0 */
    as_time  time;              /* ISO/5424: the instant (naive stamps flagged AS_TIME_NAIVE, in
                                   opts->default_offset_min); BSD: not valid until the year is known */
    uint8_t  month;             /* BSD: 1..12; else 0 */
    uint8_t  day;               /* BSD: 1..31; else 0 */
    uint32_t sod;               /* BSD: second of day as written, 0..86400 (86400 = leap second 23:59:60) */
    int64_t  pid;               /* numeric PID from `tag[pid]` or a numeric 5424 PROCID, else -1 */
    as_slice host;              /* HOSTNAME */
    as_slice tag;               /* BSD/ISO: the raw tag, `sshd[3402]`; 5424: empty */
    as_slice app;               /* program: the tag without `[pid]`, or 5424 APP-NAME */
    as_slice procid;            /* the pid text, or 5424 PROCID */
    as_slice msgid;             /* 5424 MSGID */
    as_slice sd;                /* 5424 STRUCTURED-DATA, raw (`[id k="v"]...`), escapes kept */
    as_slice msg;               /* MSG: verbatim, leading and trailing spaces kept (without a 5424 BOM) */
} psr_syslog;

typedef struct psr_syslog_opts {
    int default_offset_min;     /* zone of naive RFC 3339 stamps (--tz), minutes east of UTC */
} psr_syslog_opts;

/* Scans one line (without its line feed; one trailing CR is ignored).
 * o may be NULL (naive stamps in UTC). Returns
 *   AS_OK            *out filled;
 *   AS_ERR_SYNTAX    the line is not syslog in any of the three layouts;
 *   AS_ERR_BAD_TIME  the stamp has the right shape but an impossible value
 *                    (Apr 31, 24:00:00, month 13, offset +25:00);
 * and on an error sets *err_col to the 1-based byte column of the first byte
 * that does not fit (len + 1 for a line that ends too early). *out is
 * unspecified after an error. Reads only line.ptr[0 .. line.len). */
as_code psr_syslog_scan(as_slice line, const psr_syslog_opts *o, psr_syslog *out,
                        uint64_t *err_col) AS_MUST_USE;

/* 1 when the line can begin a syslog record (`<digit`, `Mmm ` with a month,
 * or `dddd-`), 0 for a continuation (TAB-indented or a bare word as in
 * darwin-syslog-sample.log:2-19, test-syslog.log:2). For the engine's optional
 * multi-line joining; psr_syslog_scan still decides whether the line parses. */
int psr_syslog_starts_record(as_slice line);

/* ---- RFC 5424 STRUCTURED-DATA ---- */

/* One parameter of an SD element. value is raw (escapes kept); unescape it
 * with psr_syslog_sd_unescape. An element without parameters yields one item
 * with an empty name and value. */
typedef struct psr_syslog_sd_param {
    as_slice id;     /* SD-ID, e.g. `origin` or `exampleSDID@32473` */
    as_slice name;   /* PARAM-NAME */
    as_slice value;  /* PARAM-VALUE without the quotes, escapes kept */
} psr_syslog_sd_param;

/* Iterator over a psr_syslog.sd that psr_syslog_scan accepted. Private
 * fields; start it with psr_syslog_sd_iter_init. */
typedef struct psr_syslog_sd_iter {
    as_slice _sd;   /* the whole STRUCTURED-DATA */
    size_t   _pos;  /* next byte to read */
    as_slice _id;   /* SD-ID of the element being read; empty between elements */
} psr_syslog_sd_iter;

void psr_syslog_sd_iter_init(psr_syslog_sd_iter *it, as_slice sd);
/* Fills *p with the next parameter and returns 1, or returns 0 at the end
 * (or at bytes that are not valid SD, which a scanned sd never has). */
int psr_syslog_sd_next(psr_syslog_sd_iter *it, psr_syslog_sd_param *p);

/* Writes value with `\"`, `\\`, `\]` unescaped into dst (room for value.len
 * bytes) and returns the length; any other backslash is kept (RFC 5424 6.3.3). */
size_t psr_syslog_sd_unescape(as_slice value, char *dst);

/* ---- RFC 3164 year inference (docs/domain.md 3.2) ----
 *
 * Usage, in file order (the engine: during its ordered merge):
 *     psr_syslog_year ys;
 *     psr_syslog_year_init_fixed(&ys, 2025, tz);          // --year
 *  or psr_syslog_year_init_period(&ys, start, end, slack, tz);
 *     for each record r with PSR_SYSLOG_F_NO_YEAR:
 *         rc = psr_syslog_year_apply(&ys, &r, &yflags);   // fills r.time
 *
 * Rules: the first record takes the --year anchor, else the first year that
 * puts it inside [start - slack, end + slack]. Then each record is placed
 * relative to the previous one: a month drop of 6 or more (Dec -> Jan, or
 * Dec 13 -> Apr 4) adds a year; any smaller step back (Linux_2k.log steps
 * back 5 s) stays in the year and is flagged; a step back over New Year
 * (Jan 1 00:00:02 then Dec 31 23:59:58, at most PSR_SYSLOG_YEAR_LATE_MAX)
 * puts the record in the old year. 29 Feb in a non-leap year is an error.
 * The state is a plain value: resolving is a pure function (state, record)
 * -> (state', year), so it can be replayed, copied or checkpointed. */
#define PSR_SYSLOG_YEAR_LATE_MAX 86400  /* s: a late line from the old year is at most a day behind */
#define PSR_SYSLOG_YEAR_MIN      1      /* years resolved outside 1..9999 are rejected (RFC 3339 range) */
#define PSR_SYSLOG_YEAR_MAX      9999
#define PSR_SYSLOG_SLACK_MAX     (86400ll * 3660)  /* s: a period's slack is capped at ~10 years */

enum {
    PSR_SYSLOG_Y_ROLLOVER = 1u << 0,  /* this record started a new year (month drop >= 6) */
    PSR_SYSLOG_Y_BACKSTEP = 1u << 1,  /* earlier than the previous record, not a rollover */
    PSR_SYSLOG_Y_LATE     = 1u << 2,  /* a back-step over New Year: placed in the previous year */
};

typedef struct psr_syslog_year {
    int64_t  year;        /* year of the last resolved record */
    uint8_t  month;       /* its month; 0 = no record resolved yet */
    uint8_t  day;         /* its day */
    uint32_t sod;         /* its second of day */
    int64_t  anchor_year; /* --year for the first record; 0 = use the period */
    int64_t  lo_sec;      /* period start - slack, UTC seconds (when anchor_year is 0) */
    int64_t  hi_sec;      /* period end + slack, UTC seconds */
    int32_t  offset_min;  /* zone the stamps were written in (--tz), minutes east of UTC */
    uint64_t n_rollover;  /* records flagged PSR_SYSLOG_Y_ROLLOVER so far (for the manifest) */
    uint64_t n_backstep;  /* records flagged PSR_SYSLOG_Y_BACKSTEP so far */
} psr_syslog_year;

/* The first record is in `year` (--year; 0 means no anchor, so every
 * record is rejected until the caller re-initialises). */
void psr_syslog_year_init_fixed(psr_syslog_year *ys, int64_t year, int offset_min);
/* The first record is in the first year that puts it inside the observation
 * period [start, end] widened by slack_sec on both sides. */
void psr_syslog_year_init_period(psr_syslog_year *ys, as_time start, as_time end, int64_t slack_sec,
                                 int offset_min);

/* Resolves the year of the next record (month 1..12, day 1..31, sod as
 * scanned) and advances *ys. Returns AS_OK with *year and *yflags
 * (PSR_SYSLOG_Y_*), or AS_ERR_BAD_TIME with *ys unchanged: 29 Feb in a
 * non-leap year, a day the month does not have, a year outside
 * PSR_SYSLOG_YEAR_MIN..MAX (a --year of 0 or 12345), or (first record,
 * period anchor) no year puts the record in the period. */
as_code psr_syslog_year_resolve(psr_syslog_year *ys, unsigned month, unsigned day, uint32_t sod,
                                int64_t *year, unsigned *yflags) AS_MUST_USE;

/* The instant of an RFC 3164 stamp in `year`, written in offset_min:
 * flagged AS_TIME_VALID | AS_TIME_NAIVE | AS_TIME_YEAR_INFERRED. AS_OK or
 * AS_ERR_BAD_TIME. */
as_code psr_syslog_time_from_year(unsigned month, unsigned day, uint32_t sod, int64_t year,
                                  int offset_min, as_time *out) AS_MUST_USE;

/* psr_syslog_year_resolve + psr_syslog_time_from_year on a scanned record
 * with PSR_SYSLOG_F_NO_YEAR: fills r->time. A record with a full stamp (ISO,
 * 5424) is left as it is (AS_OK, *yflags 0) but re-anchors the state to its
 * date as written, so a file mixing the forms needs no guess after it. A 5424
 * record with a nil time changes nothing. */
as_code psr_syslog_year_apply(psr_syslog_year *ys, psr_syslog *r, unsigned *yflags) AS_MUST_USE;

#endif
