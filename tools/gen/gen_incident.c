/* gen_incident.c: the incident export (see gen_incident.h).
 *
 * Incidents spread over the period, numbered in creation order. Severities
 * P1..P4 (urgency high for P1/P2, low otherwise); every incident is resolved.
 * The P1s are laid out so that the ack and postmortem edge cases exist
 * whatever the seed: one acknowledged after exactly 15:00 (on time), one
 * after 15:01 and one after 47 minutes (late), one never acknowledged, two
 * without a postmortem. One P3 row lacks its service column (ragged: a
 * malformed record, not a deviation). Times are RFC 3339 UTC. */
#include "tools/gen/gen_incident.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_csv.h"
#include "tools/gen/gen_fmt.h"

#define INC_PER_DAY_MILLI 330   /* incidents per day x 1000 at scale 1 */
#define INC_MIN           40

static const char *const k_header[] = {
    "incident_number", "title", "severity", "urgency", "status", "created_at", "acknowledged_at",
    "resolved_at", "service", "assignee", "postmortem_url",
};

static const char *const k_services[] = { "api", "web", "admin", "database", "payments", "auth", "worker" };
static const char *const k_titles[] = {
    "Elevated 5xx rate on %s",
    "Latency > 2s on %s, EU customers affected",
    "\"disk almost full\" alert on %s",
    "Certificate expiry warning for %s",
    "Queue backlog growing on %s",
    "Error budget burn, %s (fast burn)",
    "Health check failing on %s",
    "Replication lag on %s",
};

/* The template with its "%s" replaced by svc (no printf with a variable format). */
static void fill_title(char *out, size_t cap, const char *tmpl, const char *svc)
{
    const char *hole = strstr(tmpl, "%s");
    size_t head = hole ? (size_t)(hole - tmpl) : strlen(tmpl);
    snprintf(out, cap, "%.*s%s%s", (int)head, tmpl, hole ? svc : "", hole ? hole + 2 : "");
}

/* What a P1 in the fixed layout does (index into the P1 list). */
enum { P1_ON_TIME_900S, P1_LATE_901S, P1_LATE_47MIN, P1_NO_ACK, P1_NO_PM_A, P1_NO_PM_B, P1_NORMAL };

static as_code incident_job(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    gen_rng r;
    gen_rng_seed(&r, w->seed, "incidents", 0);
    size_t n = (size_t)((uint64_t)w->days * INC_PER_DAY_MILLI * w->mild_milli / 1000000);
    if (n < INC_MIN)
        n = INC_MIN;
    /* severities: every 7th incident is a P1 (at least 8), the rest P2..P4 */
    size_t ragged = n / 2 + 1;
    if (ragged % 7 == 3)
        ragged++;
    const char *rel = "incidents/incidents.csv";
    gen_file f;
    AS_TRY(gen_file_open(&f, job, rel, "incidents", "csv", GEN_COMP_NONE, err));
    gen_csv_row(&f.out, k_header, AS_ARRAY_LEN(k_header), "\n");
    int64_t span = w->end_ms - w->start_ms - 2 * GEN_MS_PER_DAY;
    unsigned p1 = 0;
    size_t sre[64], n_sre = 0;
    for (size_t i = 0; i < w->n_emp && n_sre < 64; i++)
        if (strcmp(w->emp[i].dept, "Site Reliability") == 0)
            sre[n_sre++] = i;
    for (size_t i = 0; i < n; i++) {
        int64_t created = w->start_ms + span * (int64_t)i / (int64_t)n + gen_rng_range(&r, 0, span / (int64_t)n - 1);
        created -= created % 1000;
        unsigned sev = i % 7 == 3 ? 1 : (unsigned)gen_rng_range(&r, 2, 4);
        if (i == ragged)
            sev = 3;
        int role = -1;
        if (sev == 1) {
            role = p1 < P1_NORMAL ? (int)p1 : P1_NORMAL;
            p1++;
        }
        int64_t ack = created + (sev == 1 ? gen_rng_range(&r, 60, 600) : gen_rng_range(&r, 60, 3600)) * 1000;
        if (role == P1_ON_TIME_900S)
            ack = created + 900 * GEN_MS_PER_SEC;
        else if (role == P1_LATE_901S)
            ack = created + 901 * GEN_MS_PER_SEC;
        else if (role == P1_LATE_47MIN)
            ack = created + 47 * GEN_MS_PER_MIN + 12 * GEN_MS_PER_SEC;
        int64_t resolved = ack + gen_rng_range(&r, 10 * GEN_MS_PER_MIN / 1000, 18 * GEN_MS_PER_HOUR / 1000) * 1000;
        const char *svc = k_services[gen_rng_below(&r, AS_ARRAY_LEN(k_services))];
        char num[16], title[160], sevs[4], c_s[GEN_FMT_TIME_MAX], a_s[GEN_FMT_TIME_MAX] = "", r_s[GEN_FMT_TIME_MAX],
            pm[96] = "";
        snprintf(num, sizeof num, "%u", (unsigned)(1001 + i));
        fill_title(title, sizeof title, k_titles[gen_rng_below(&r, AS_ARRAY_LEN(k_titles))], svc);
        snprintf(sevs, sizeof sevs, "P%u", sev);
        gen_fmt_iso_s(c_s, created);
        if (role != P1_NO_ACK)
            gen_fmt_iso_s(a_s, ack);
        gen_fmt_iso_s(r_s, resolved);
        if (sev <= 2 && role != P1_NO_PM_A && role != P1_NO_PM_B)
            snprintf(pm, sizeof pm, "https://wiki.northwind.example/postmortems/INC-%s", num);
        const char *assignee = n_sre ? w->emp[sre[gen_rng_below(&r, n_sre)]].email : "";
        uint64_t line = gen_file_line(&f), off = gen_out_pos(&f.out);
        if (i == ragged) {
            /* ragged: the service column is missing (10 fields instead of 11) */
            const char *row[] = { num, title, sevs, "low", "resolved", c_s, a_s, r_s, assignee, pm };
            gen_csv_row(&f.out, row, AS_ARRAY_LEN(row), "\n");
            gen_file_rejected(&f, res, line, off, "syntax");
            continue;
        }
        const char *row[] = { num, title, sevs, sev <= 2 ? "high" : "low", "resolved", c_s, a_s, r_s, svc,
                              assignee, pm };
        gen_csv_row(&f.out, row, AS_ARRAY_LEN(row), "\n");
        gen_file_record(&f, created);
        switch (role) {
        case P1_ON_TIME_900S:
            gen_res_edge(res, "p1-ack-15min", num, rel, line, off, -1, created,
                         "P1 %s acknowledged exactly 15m00s after creation: on time", num);
            break;
        case P1_LATE_901S:
            gen_res_dev(res, "p1-ack-15min", num, rel, line, off, -1, created,
                        "P1 %s acknowledged 15m01s after creation (limit 15m00s)", num);
            break;
        case P1_LATE_47MIN:
            gen_res_dev(res, "p1-ack-15min", num, rel, line, off, -1, created,
                        "P1 %s acknowledged 47m12s after creation (limit 15m00s)", num);
            break;
        case P1_NO_ACK:
            gen_res_dev(res, "p1-ack-15min", num, rel, line, off, -1, created,
                        "P1 %s has no acknowledged_at (untestable = deviation)", num);
            break;
        case P1_NO_PM_A:
        case P1_NO_PM_B:
            gen_res_dev(res, "p1-postmortem", num, rel, line, off, -1, created,
                        "resolved P1 %s has an empty postmortem_url", num);
            break;
        default:
            break;
        }
    }
    return gen_file_close(&f, res, err);
}

int gen_incident_add_jobs(gen_jobs *js, const gen_world *w)
{
    (void)w;
    return gen_jobs_add(js, incident_job, NULL, 0, 0, 32u << 10);
}
