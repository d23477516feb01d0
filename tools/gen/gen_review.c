/* gen_review.c: access reviews and the inventory (see gen_review.h).
 *
 * inventory/admins.csv is the approved admin roster (user, system,
 * approved_by, ticket); user is the system's own account name: the Okta
 * login (email) for okta, the username for aws, linux, github and database.
 * inventory/hosts.csv lists the hosts and which need daily backups.
 * access_reviews/access_reviews.csv holds one campaign per system (the
 * systems of admins.csv) per calendar quarter overlapping the period, dated
 * inside quarter and period, listing every account active that day; the
 * github campaign of the last such quarter is missing (a deviation). */
#include "tools/gen/gen_review.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_csv.h"
#include "tools/gen/gen_fmt.h"

static const char *account(const gen_emp *e, gen_sys s) { return s == GEN_SYS_OKTA ? e->email : e->login; }

/* The department head who owns (approves and reviews) a system. */
static const gen_emp *owner(const gen_world *w, gen_sys s)
{
    const char *dept = s == GEN_SYS_OKTA ? "Security & IT" : s == GEN_SYS_GITHUB ? "Engineering" : "Site Reliability";
    for (size_t i = 0; i < w->n_emp; i++)
        if (w->emp[i].manager == 0 && strcmp(w->emp[i].dept, dept) == 0)
            return &w->emp[i];
    return &w->emp[0];
}

static as_code write_admins(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    gen_file f;
    AS_TRY(gen_file_open(&f, job, "inventory/admins.csv", "inventory", "csv", GEN_COMP_NONE, err));
    static const char *const k_hdr[] = { "user", "system", "approved_by", "ticket" };
    gen_csv_row(&f.out, k_hdr, 4, "\n");
    for (unsigned s = 0; s < GEN_SYS_N; s++)
        for (size_t i = 0; i < w->n_emp; i++) {
            const gen_emp *e = &w->emp[i];
            if (!((e->admin >> s) & 1))
                continue;
            const char *row[] = { account(e, (gen_sys)s), gen_sys_name((gen_sys)s), owner(w, (gen_sys)s)->email,
                                  e->ticket };
            gen_csv_row(&f.out, row, 4, "\n");
            gen_file_record(&f, GEN_NO_TIME);
        }
    return gen_file_close(&f, res, err);
}

static as_code write_hosts(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    gen_file f;
    AS_TRY(gen_file_open(&f, job, "inventory/hosts.csv", "inventory", "csv", GEN_COMP_NONE, err));
    static const char *const k_hdr[] = { "host", "role", "ip", "auth_log_format", "backup_required" };
    gen_csv_row(&f.out, k_hdr, 5, "\n");
    for (size_t h = 0; h < w->n_hosts; h++) {
        const gen_host *ho = &w->hosts[h];
        const char *row[] = { ho->name, ho->role, ho->ip, ho->rfc5424 ? "syslog5424" : "syslog",
                              ho->backup == 1 ? "yes" : "no" };
        gen_csv_row(&f.out, row, 5, "\n");
        gen_file_record(&f, GEN_NO_TIME);
    }
    return gen_file_close(&f, res, err);
}

static as_code write_reviews(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    gen_rng r;
    gen_rng_seed(&r, w->seed, "access_reviews", 0);
    gen_file f;
    const char *rel = "access_reviews/access_reviews.csv";
    AS_TRY(gen_file_open(&f, job, rel, "access_reviews", "csv", GEN_COMP_NONE, err));
    static const char *const k_hdr[] = { "reviewer", "user", "system", "decision", "review_date" };
    gen_csv_row(&f.out, k_hdr, 5, "\n");

    /* quarters overlapping the period */
    int64_t y;
    unsigned mo, d;
    as_civil_from_days(w->start_day, &y, &mo, &d);
    int64_t q_year = y;
    unsigned q = (mo - 1) / 3;  /* 0..3 */
    const int64_t end_day = w->start_day + w->days;
    for (;;) {
        int64_t qs = as_days_from_civil(q_year, q * 3 + 1, 1);
        if (qs >= end_day)
            break;
        int64_t qe = q == 3 ? as_days_from_civil(q_year + 1, 1, 1) : as_days_from_civil(q_year, q * 3 + 4, 1);
        int64_t lo = qs > w->start_day ? qs : w->start_day, hi = qe < end_day ? qe : end_day; /* [lo, hi) */
        int is_last = hi == end_day;
        for (unsigned s = 0; s < GEN_SYS_N; s++) {
            if (is_last && s == GEN_SYS_GITHUB) {
                char key[32], day[GEN_FMT_TIME_MAX];
                gen_fmt_date(day, lo);
                snprintf(key, sizeof key, "github/%lldQ%u", (long long)q_year, q + 1);
                gen_res_dev(res, "access-review-quarterly", key, rel, 0, 0, -1, lo * GEN_MS_PER_DAY,
                            "no github access review dated in %lld Q%u (reviews are due once per system per quarter)",
                            (long long)q_year, q + 1);
                continue;
            }
            /* about two thirds into the quarter's part of the period, a weekday */
            int64_t rd = lo + (hi - lo) * 2 / 3 + gen_rng_range(&r, -3, 3);
            if (rd < lo)
                rd = lo;
            if (rd >= hi)
                rd = hi - 1;
            while (gen_is_weekend(rd) && rd > lo)
                rd--;
            char date[GEN_FMT_TIME_MAX];
            gen_fmt_date(date, rd);
            const gen_emp *rev = owner(w, (gen_sys)s);
            int64_t when = rd * GEN_MS_PER_DAY + 15 * GEN_MS_PER_HOUR;
            for (size_t i = 0; i < w->n_emp; i++) {
                const gen_emp *e = &w->emp[i];
                if (!((e->access >> s) & 1) || !gen_emp_active(e, when))
                    continue;
                const char *decision = gen_rng_permille(&r, 20) ? "revoke" : "keep";
                const char *row[] = { account(rev, (gen_sys)s), account(e, (gen_sys)s), gen_sys_name((gen_sys)s),
                                      decision, date };
                gen_csv_row(&f.out, row, 5, "\n");
                gen_file_record(&f, rd * GEN_MS_PER_DAY);
            }
        }
        if (++q == 4) {
            q = 0;
            q_year++;
        }
    }
    return gen_file_close(&f, res, err);
}

static as_code review_job(const gen_job *job, gen_res *res, as_err *err)
{
    AS_TRY(write_admins(job, res, err));
    AS_TRY(write_hosts(job, res, err));
    return write_reviews(job, res, err);
}

int gen_review_add_jobs(gen_jobs *js, const gen_world *w)
{
    (void)w;
    return gen_jobs_add(js, review_job, NULL, 0, 0, 64u << 10);
}
