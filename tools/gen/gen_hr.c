/* gen_hr.c: the HR export (see gen_hr.h).
 *
 * One row per employee in employee-id order, including people who left
 * before the period. termination_date/termination_time are UTC. The rows of
 * leavers whose Okta account was not deactivated or suspended (SUCCESS)
 * within 24 hours carry the leaver-deactivated-24h deviations. */
#include "tools/gen/gen_hr.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_csv.h"
#include "tools/gen/gen_fmt.h"

static const char *const k_header[] = {
    "employee_id", "name", "email", "username", "department", "title", "hire_date",
    "termination_date", "termination_time", "manager", "notes",
};

/* "30h00m00s" */
static void fmt_span(char *out, size_t cap, int64_t ms)
{
    int64_t s = ms / 1000;
    snprintf(out, cap, "%lldh%02lldm%02llds", (long long)(s / 3600), (long long)(s / 60 % 60), (long long)(s % 60));
}

static void leaver_deviation(const gen_emp *e, gen_file *f, gen_res *res, uint64_t line, uint64_t off)
{
    char ts[GEN_FMT_TIME_MAX], span[32];
    switch (e->leave) {
    case GEN_LEAVE_NO_DEACT:
        gen_res_dev(res, "leaver-deactivated-24h", e->email, f->rel, line, off, -1, e->term_ms,
                    "no Okta user.lifecycle.deactivate or suspend with outcome SUCCESS for %s", e->email);
        break;
    case GEN_LEAVE_FAILED_ONLY:
        gen_fmt_iso_s(ts, e->deact_ms);
        gen_res_dev(res, "leaver-deactivated-24h", e->email, f->rel, line, off, -1, e->term_ms,
                    "only a FAILURE user.lifecycle.deactivate (at %s) for %s", ts, e->email);
        break;
    case GEN_LEAVE_LATE_1S:
    case GEN_LEAVE_LATE_30H:
        gen_fmt_iso_s(ts, e->deact_ms);
        fmt_span(span, sizeof span, e->deact_ms - e->term_ms);
        gen_res_dev(res, "leaver-deactivated-24h", e->email, f->rel, line, off, -1, e->term_ms,
                    "deactivated at %s, %s after termination (deadline 24h00m00s)", ts, span);
        break;
    case GEN_LEAVE_EXACT_24H:
        gen_fmt_iso_s(ts, e->deact_ms);
        gen_res_edge(res, "leaver-deactivated-24h", e->email, f->rel, line, off, -1, e->term_ms,
                     "deactivated at %s, exactly 24h00m00s after termination: on time", ts);
        break;
    case GEN_LEAVE_EARLY:
        gen_fmt_iso_s(ts, e->deact_ms);
        gen_res_edge(res, "leaver-deactivated-24h", e->email, f->rel, line, off, -1, e->term_ms,
                     "deactivated at %s, 2 hours before termination: on time", ts);
        break;
    case GEN_LEAVE_SUSPEND:
        gen_fmt_iso_s(ts, e->deact_ms);
        gen_res_edge(res, "leaver-deactivated-24h", e->email, f->rel, line, off, -1, e->term_ms,
                     "suspended (user.lifecycle.suspend) at %s, 3 hours after termination: on time", ts);
        break;
    default:
        break;
    }
}

static as_code hr_job(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    gen_file f;
    AS_TRY(gen_file_open(&f, job, "hr/hr_export.csv", "hr", "csv", GEN_COMP_NONE, err));
    gen_out_put(&f.out, "\xef\xbb\xbf", 3);  /* UTF-8 BOM, as Excel's "CSV UTF-8" writes */
    gen_csv_row(&f.out, k_header, AS_ARRAY_LEN(k_header), "\r\n");
    for (size_t i = 0; i < w->n_emp; i++) {
        const gen_emp *e = &w->emp[i];
        char hire[GEN_FMT_TIME_MAX], tdate[GEN_FMT_TIME_MAX] = "", ttime[16] = "";
        gen_fmt_date(hire, e->hire_ms / GEN_MS_PER_DAY);
        if (e->term_ms != GEN_NEVER) {
            gen_tm tm = gen_tm_from_ms(e->term_ms);
            gen_fmt_date(tdate, e->term_ms / GEN_MS_PER_DAY);
            *gen_put_hms(ttime, &tm) = '\0';
        }
        const char *row[] = { e->id, e->name, e->email, e->login, e->dept, e->title, hire, tdate, ttime,
                              e->manager >= 0 ? w->emp[e->manager].email : "", e->notes };
        uint64_t line = gen_file_line(&f), off = gen_out_pos(&f.out);
        gen_csv_row(&f.out, row, AS_ARRAY_LEN(row), "\r\n");
        gen_file_record(&f, GEN_NO_TIME);
        leaver_deviation(e, &f, res, line, off);
    }
    return gen_file_close(&f, res, err);
}

int gen_hr_add_jobs(gen_jobs *js, const gen_world *w)
{
    (void)w;
    return gen_jobs_add(js, hr_job, NULL, 0, 0, 64u << 10);
}
