/* gen_backup.c: nightly backup job logs (see gen_backup.h).
 *
 * One job per (host with backups, month). Every day has a `job=nightly` run
 * at 01:00-01:09 UTC; Sundays also a `job=prune` run at 03:30. Required
 * hosts (inventory/hosts.csv backup_required=yes) follow the world's backup
 * plan: a day with only a failed run, a missed day (no nightly line; a
 * Sunday keeps its prune line), a failure followed by a successful retry,
 * and a run that starts at 23:58 and ends after midnight (it counts for the
 * day it started). The optional host skips about 5% of days and fails now
 * and then; none of that is a deviation. A line's time is the run's start. */
#include "tools/gen/gen_backup.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_fmt.h"

static const char *const k_errors[] = {
    "repository is already locked by PID 4411 on backup-01 by root (UID 0, GID 0)",
    "Fatal: unable to open config file: Stat: The specified key does not exist.",
    "ssh: connect to host backup-01 port 22: Connection timed out",
    "error: lock timeout after 300s",
};

typedef struct bk_line_ctx {
    gen_file        *f;
    gen_res         *res;
    const gen_host  *h;
    gen_rng         *r;
} bk_line_ctx;

/* Writes one job line; returns its line number and offset through the out parameters. */
static void put_run(bk_line_ctx *c, int64_t t, const char *job, int ok, uint64_t *line, uint64_t *off)
{
    char buf[512], ts[GEN_FMT_TIME_MAX];
    gen_fmt_iso_s(ts, t);
    int n;
    if (!ok)
        n = snprintf(buf, sizeof buf, "%s host=%s job=%s status=failure error=\"%s\" duration=%us\n", ts, c->h->name,
                     job, k_errors[gen_rng_below(c->r, AS_ARRAY_LEN(k_errors))],
                     (unsigned)gen_rng_range(c->r, 1, 300));
    else if (strcmp(job, "prune") == 0)
        n = snprintf(buf, sizeof buf, "%s host=%s job=prune status=success removed_snapshots=%u duration=%us\n", ts,
                     c->h->name, (unsigned)gen_rng_range(c->r, 5, 9), (unsigned)gen_rng_range(c->r, 30, 200));
    else
        n = snprintf(buf, sizeof buf,
                     "%s host=%s job=%s status=success files=%u bytes=%llu duration=%us snapshot=%08llx\n", ts,
                     c->h->name, job, (unsigned)gen_rng_range(c->r, 40000, 400000),
                     (unsigned long long)gen_rng_range(c->r, 2000000000LL, 90000000000LL),
                     (unsigned)gen_rng_range(c->r, 120, 1800), (unsigned long long)(gen_rng_next(c->r) >> 32));
    *line = gen_file_line(c->f);
    *off = gen_out_pos(&c->f->out);
    gen_out_put(&c->f->out, buf, (size_t)n);
    gen_file_record(c->f, t);
}

static int plan_for(const gen_world *w, int host, int64_t day)
{
    for (size_t k = 0; k < w->backup.n; k++)
        if (w->backup.v[k].host == host && w->backup.v[k].t_ms / GEN_MS_PER_DAY == day)
            return w->backup.v[k].kind;
    return 0;
}

static as_code backup_job(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    const int hi = (int)job->a;
    const gen_host *h = &w->hosts[hi];
    int64_t y = job->b / 12;                 /* b = year * 12 + month - 1 */
    unsigned mo = (unsigned)(job->b % 12) + 1;
    int64_t d0 = as_days_from_civil(y, mo, 1), d1 = d0 + as_days_in_month(y, mo);
    if (d0 < w->start_day)
        d0 = w->start_day;
    if (d1 > w->start_day + (int64_t)w->days)
        d1 = w->start_day + w->days;
    char rel[128], ident[64];
    snprintf(rel, sizeof rel, "backup/%s/backup-%04lld-%02u.log", h->name, (long long)y, mo);
    snprintf(ident, sizeof ident, "backup/%s", h->name);
    gen_rng r;
    gen_rng_seed(&r, w->seed, ident, (uint64_t)(y * 12 + mo));
    gen_file f;
    AS_TRY(gen_file_open(&f, job, rel, "backup", "backup", GEN_COMP_NONE, err));
    bk_line_ctx c = { &f, res, h, &r };
    uint64_t line, off;
    char key[64], date[GEN_FMT_TIME_MAX];
    for (int64_t day = d0; day < d1; day++) {
        const int64_t day_ms = day * GEN_MS_PER_DAY;
        int64_t t = day_ms + GEN_MS_PER_HOUR + gen_rng_range(&r, 0, (int64_t)9 * 60) * 1000;
        int kind = h->backup == 1 ? plan_for(w, hi, day) : 0;
        gen_fmt_date(date, day);
        snprintf(key, sizeof key, "%s/%s", h->name, date);
        switch (kind) {
        case GEN_BACKUP_FAIL_ONLY:
            put_run(&c, t, "nightly", 0, &line, &off);
            gen_res_dev(res, "backup-daily", key, rel, line, off, -1, day_ms,
                        "no successful nightly backup of %s on %s: the only run failed", h->name, date);
            break;
        case GEN_BACKUP_MISSED:
            gen_res_dev(res, "backup-daily", key, rel, 0, 0, -1, day_ms,
                        "no nightly backup run of %s on %s (no line that day)", h->name, date);
            break;
        case GEN_BACKUP_FAIL_RETRY:
            put_run(&c, t, "nightly", 0, &line, &off);
            put_run(&c, t + 75 * GEN_MS_PER_MIN, "nightly", 1, &line, &off);
            gen_res_edge(res, "backup-daily", key, rel, line, off, -1, day_ms,
                         "the nightly run of %s on %s failed, the retry at this line succeeded", h->name, date);
            break;
        case GEN_BACKUP_LATE_START:
            break; /* the run comes at 23:58, below */
        default:
            if (h->backup == 2 && gen_rng_permille(&r, 50))
                break;  /* optional host: skipped night */
            if (gen_rng_permille(&r, 20)) {
                put_run(&c, t, "nightly", 0, &line, &off);
                t += gen_rng_range(&r, 30, 90) * GEN_MS_PER_MIN;
            }
            put_run(&c, t, "nightly", 1, &line, &off);
            break;
        }
        if (gen_is_weekend(day) && as_weekday_from_days(day) == 6)
            put_run(&c, day_ms + 3 * GEN_MS_PER_HOUR + 30 * GEN_MS_PER_MIN + gen_rng_range(&r, 0, 59) * 1000, "prune", 1,
                    &line, &off);
        if (kind == GEN_BACKUP_LATE_START) {
            put_run(&c, day_ms + 23 * GEN_MS_PER_HOUR + 58 * GEN_MS_PER_MIN + 10 * GEN_MS_PER_SEC, "nightly", 1, &line,
                    &off);
            gen_res_edge(res, "backup-daily", key, rel, line, off, -1, day_ms,
                         "the only nightly run of %s on %s starts 23:58:10 and ends the next day: it counts for %s",
                         h->name, date, date);
        }
        as_code rc = gen_out_maybe_flush(&f.out, err);
        if (rc != AS_OK) {
            gen_file_abort(&f);
            return rc;
        }
    }
    return gen_file_close(&f, res, err);
}

int gen_backup_add_jobs(gen_jobs *js, const gen_world *w)
{
    for (size_t h = 0; h < w->n_hosts; h++) {
        if (w->hosts[h].backup == 0)
            continue;
        int64_t y;
        unsigned mo, d;
        as_civil_from_days(w->start_day, &y, &mo, &d);
        while (as_days_from_civil(y, mo, 1) < w->start_day + (int64_t)w->days) {
            int64_t month_key = y * 12 + (mo - 1);
            if (gen_jobs_add(js, backup_job, NULL, (int64_t)h, month_key, 16u << 10) != 0)
                return -1;
            if (++mo > 12) {
                mo = 1;
                y++;
            }
        }
    }
    return 0;
}
