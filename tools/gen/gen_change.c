/* gen_change.c: pull requests, pushes and deploys (see gen_change.h).
 *
 * One job. Pull requests are merged on business days into main (90%) or
 * develop, each approved by one or two colleagues and preceded by pushes to
 * its feature branch. About half of the approved merges into main are
 * deployed to production 10-120 minutes later (the deploy's sha is the merge
 * commit); develop merges go to staging. Planted at fixed fractions of the
 * period: three self-approved and two unapproved merges into main (plus two
 * unapproved merges into develop, which are not deviations), three direct
 * pushes to main (one forced), production deploys of two of those pushed
 * commits and of one sha that exists nowhere else. */
#include "tools/gen/gen_change.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_evl.h"
#include "tools/gen/gen_fmt.h"
#include "tools/gen/gen_json.h"

static const char *const k_repos[] = { "northwind/web", "northwind/api", "northwind/admin", "northwind/worker",
                                       "northwind/infra" };
static const char *const k_verbs[] = { "Add", "Fix", "Refactor", "Remove", "Speed up", "Document", "Harden" };
static const char *const k_things[] = {
    "cohort export", "billing alerts", "retention dashboard", "SSO login flow", "rate limiter", "CSV importer",
    "metrics query cache", "audit log pagination", "webhook retries", "invoice PDF", "search ranking",
    "session timeout", "Kafka consumer lag", "TLS config", "feature flags",
};

enum { PLAN_NONE, PLAN_SELF_APPROVED, PLAN_NO_APPROVER, PLAN_DEVELOP_NO_APPROVER };

typedef struct chg_job {
    const gen_world *w;
    gen_rng  r;
    gen_evl  prs;      /* pull_requests.jsonl lines */
    gen_evl  deploys;  /* deploys.log lines */
    gen_json j;
    int     *gh;       /* employees with GitHub access */
    size_t   n_gh;
    unsigned next_number[AS_ARRAY_LEN(k_repos)];
} chg_job;

static void sha(gen_rng *r, char out[41])
{
    char *p = out;
    for (int i = 0; i < 5; i++)
        p = gen_put_hex(p, gen_rng_next(r), 8);
    *p = '\0';
}

static const char *service_of(int repo) { return strchr(k_repos[repo], '/') + 1; }

static int pick_gh(chg_job *c, int64_t t, int not1, int not2)
{
    for (int tries = 0; tries < 200; tries++) {
        int e = c->gh[gen_rng_below(&c->r, c->n_gh)];
        if (e != not1 && e != not2 && gen_emp_active(&c->w->emp[e], t) && t < c->w->emp[e].term_ms - GEN_MS_PER_HOUR)
            return e;
    }
    return -1;
}

static void push_event(chg_job *c, int64_t t, int repo, const char *ref, const char *actor, const char *before,
                       const char *after, int forced, unsigned commits)
{
    char ts[GEN_FMT_TIME_MAX];
    if (t < c->w->start_ms)
        return;  /* before the period: not in the export */
    gen_fmt_iso_s(ts, t);
    size_t start = c->prs.text.len;
    gen_json_begin(&c->j, &c->prs.text);
    gen_json_obj(&c->j);
    gen_json_kstr(&c->j, "event", "git.push");
    gen_json_kstr(&c->j, "repo", k_repos[repo]);
    gen_json_kstr(&c->j, "ref", ref);
    gen_json_kstr(&c->j, "actor", actor);
    gen_json_kstr(&c->j, "pushed_at", ts);
    gen_json_kstr(&c->j, "before", before);
    gen_json_kstr(&c->j, "after", after);
    gen_json_kbool(&c->j, "forced", forced);
    gen_json_kint(&c->j, "commits", commits);
    gen_json_end_obj(&c->j);
    if (c->j.failed)
        c->prs.failed = 1;
    gen_evl_push(&c->prs, t, start, 0);
}

static void deploy(chg_job *c, int64_t t, const char *env, int repo, const char *commit, const char *deployer)
{
    char line[256], ts[GEN_FMT_TIME_MAX];
    t -= t % 1000;
    if (t >= c->w->end_ms)
        return;  /* after the period: not in the export */
    gen_fmt_iso_s(ts, t);
    int n = snprintf(line, sizeof line, "%s environment=%s service=%s sha=%s deployer=%s status=succeeded",
                     ts, env, service_of(repo), commit, deployer);
    gen_evl_add(&c->deploys, t, line, (size_t)n, 0);
}

/* One merged pull request with its pushes and deploys. */
static void pull_request(chg_job *c, int64_t merged, int plan)
{
    const gen_world *w = c->w;
    int repo = (int)gen_rng_below(&c->r, AS_ARRAY_LEN(k_repos));
    int author = pick_gh(c, merged - 4 * GEN_MS_PER_DAY, -1, -1);
    if (author < 0 || !gen_emp_active(&w->emp[author], merged))
        return;
    int a1 = pick_gh(c, merged, author, -1);
    int a2 = gen_rng_permille(&c->r, 300) ? pick_gh(c, merged, author, a1) : -1;
    if (plan == PLAN_NONE && a1 < 0)
        return;  /* nobody to approve: no unplanned deviation */
    const char *base = plan == PLAN_DEVELOP_NO_APPROVER ? "develop"
                     : plan != PLAN_NONE ? "main" : gen_rng_permille(&c->r, 100) ? "develop" : "main";
    const gen_emp *ea = &w->emp[author];
    unsigned number = c->next_number[repo]++;
    int64_t created = merged - gen_rng_range(&c->r, GEN_MS_PER_HOUR, 3 * GEN_MS_PER_DAY);
    created -= created % 1000;
    merged -= merged % 1000;
    char head_sha[41], merge_sha[41], before[41], branch[96], ref[128], title[128];
    sha(&c->r, head_sha);
    sha(&c->r, merge_sha);
    sha(&c->r, before);
    const char *thing = k_things[gen_rng_below(&c->r, AS_ARRAY_LEN(k_things))];
    snprintf(title, sizeof title, "%s %s", k_verbs[gen_rng_below(&c->r, AS_ARRAY_LEN(k_verbs))], thing);
    snprintf(branch, sizeof branch, "%s/%s-%u", gen_rng_permille(&c->r, 300) ? "fix" : "feature", ea->login, number);
    for (char *p = branch; *p; p++)
        if (*p == ' ')
            *p = '-';
    snprintf(ref, sizeof ref, "refs/heads/%s", branch);
    /* pushes to the feature branch between creation and merge */
    unsigned pushes = (unsigned)gen_rng_range(&c->r, 1, 3);
    for (unsigned k = 0; k < pushes; k++) {
        char after[41];
        sha(&c->r, after);
        int64_t tp = created + (merged - created) * (int64_t)(k + 1) / (int64_t)(pushes + 2);
        if (k + 1 == pushes)
            memcpy(after, head_sha, sizeof after);
        push_event(c, tp - tp % 1000, repo, ref, ea->login, before, after, 0, (unsigned)gen_rng_range(&c->r, 1, 6));
        memcpy(before, after, sizeof before);
    }

    char ts_c[GEN_FMT_TIME_MAX], ts_m[GEN_FMT_TIME_MAX];
    gen_fmt_iso_s(ts_c, created);
    gen_fmt_iso_s(ts_m, merged);
    size_t start = c->prs.text.len;
    gen_json *j = &c->j;
    gen_json_begin(j, &c->prs.text);
    gen_json_obj(j);
    gen_json_kstr(j, "event", "pull_request.merged");
    gen_json_kstr(j, "repo", k_repos[repo]);
    gen_json_kint(j, "number", number);
    gen_json_kstr(j, "title", title);
    gen_json_kstr(j, "author", ea->login);
    gen_json_karr(j, "approvers");
    if (plan == PLAN_SELF_APPROVED)
        gen_json_str(j, ea->login);
    else if (plan == PLAN_NONE) {
        if (a1 >= 0)
            gen_json_str(j, w->emp[a1].login);
        if (a2 >= 0)
            gen_json_str(j, w->emp[a2].login);
    }
    gen_json_end_arr(j);
    gen_json_kstr(j, "merged_by", plan == PLAN_NONE && a1 >= 0 && gen_rng_permille(&c->r, 300) ? w->emp[a1].login : ea->login);
    gen_json_kstr(j, "created_at", ts_c);
    gen_json_kstr(j, "merged_at", ts_m);
    gen_json_kstr(j, "base_branch", base);
    gen_json_kstr(j, "head_branch", branch);
    gen_json_kstr(j, "head_sha", head_sha);
    gen_json_kstr(j, "merge_commit_sha", merge_sha);
    gen_json_kint(j, "additions", gen_rng_range(&c->r, 1, 900));
    gen_json_kint(j, "deletions", gen_rng_range(&c->r, 0, 400));
    gen_json_end_obj(j);
    if (j->failed)
        c->prs.failed = 1;
    gen_evl_push(&c->prs, merged, start, 0);
    char key[96];
    snprintf(key, sizeof key, "%s#%u", k_repos[repo], number);
    if (plan == PLAN_SELF_APPROVED)
        gen_evl_note(&c->prs, GEN_NOTE_DEV, "pr-reviewed-by-other", key,
                     "%s merged into main approved only by its author %s", key, ea->login);
    else if (plan == PLAN_NO_APPROVER)
        gen_evl_note(&c->prs, GEN_NOTE_DEV, "pr-reviewed-by-other", key, "%s merged into main with no approver", key);
    else if (plan == PLAN_DEVELOP_NO_APPROVER)
        gen_evl_note(&c->prs, GEN_NOTE_EDGE, "pr-reviewed-by-other", key,
                     "%s merged with no approver into develop, not main: out of scope", key);

    /* deploys: only properly approved main merges reach production */
    int approved = plan == PLAN_NONE && a1 >= 0;
    if (strcmp(base, "develop") == 0 || gen_rng_permille(&c->r, 300))
        deploy(c, merged + gen_rng_range(&c->r, 3, 9) * GEN_MS_PER_MIN, "staging", repo, merge_sha, "deploy-bot");
    if (strcmp(base, "main") == 0 && approved && gen_rng_permille(&c->r, 500))
        deploy(c, merged + gen_rng_range(&c->r, 10, 120) * GEN_MS_PER_MIN, "production", repo, merge_sha,
               gen_rng_permille(&c->r, 700) ? "deploy-bot" : ea->login);
}

static int64_t work_time(chg_job *c, int64_t day)
{
    return day * GEN_MS_PER_DAY + gen_rng_range(&c->r, 13 * GEN_MS_PER_HOUR, 21 * GEN_MS_PER_HOUR);
}

static int github_admin(chg_job *c, int64_t t)
{
    for (size_t k = 0; k < c->n_gh; k++) {
        const gen_emp *e = &c->w->emp[c->gh[(k + gen_rng_below(&c->r, c->n_gh)) % c->n_gh]];
        if ((e->admin >> GEN_SYS_GITHUB) & 1 && gen_emp_active(e, t))
            return (int)(e - c->w->emp);
    }
    return c->gh[0];
}

static void direct_push(chg_job *c, int64_t t, int forced, int deploy_it)
{
    const gen_world *w = c->w;
    int repo = 4; /* northwind/infra: the hotfix path */
    if (forced)
        repo = 1;
    const gen_emp *e = &w->emp[github_admin(c, t)];
    char before[41], after[41], key[96];
    sha(&c->r, before);
    sha(&c->r, after);
    t -= t % 1000;
    push_event(c, t, repo, "refs/heads/main", e->login, before, after, forced, forced ? 1 : 2);
    snprintf(key, sizeof key, "%s@%.12s", k_repos[repo], after);
    gen_evl_note(&c->prs, GEN_NOTE_DEV, "no-direct-push", key, "%spush to refs/heads/main of %s by %s, not via a pull request",
                 forced ? "forced " : "", k_repos[repo], e->login);
    if (deploy_it) {
        deploy(c, t + 23 * GEN_MS_PER_MIN, "production", repo, after, e->login);
        snprintf(key, sizeof key, "%s@%.12s", service_of(repo), after);
        gen_evl_note(&c->deploys, GEN_NOTE_DEV, "deploy-after-approved-merge", key,
                     "production deploy of %s sha %s, which was pushed directly to main (no approved merge)",
                     service_of(repo), after);
    }
}

static as_code write_list(const gen_job *job, gen_res *res, gen_evl *l, const char *rel, const char *source,
                          const char *format, as_err *err)
{
    gen_evl_sort(l);
    gen_file f;
    AS_TRY(gen_file_open(&f, job, rel, source, format, GEN_COMP_NONE, err));
    for (size_t k = 0; k < l->n; k++) {
        const gen_ev *e = &l->ev[k];
        uint64_t line = e->note ? gen_file_line(&f) : 0, off = gen_out_pos(&f.out);
        gen_out_put(&f.out, gen_evl_text(l, e), e->len);
        gen_out_put(&f.out, "\n", 1);
        gen_evl_account(l, e, &f, res, line, off, -1);
        as_code rc = gen_out_maybe_flush(&f.out, err);
        if (rc != AS_OK) {
            gen_file_abort(&f);
            return rc;
        }
    }
    return gen_file_close(&f, res, err);
}

static as_code change_job(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    chg_job c;
    memset(&c, 0, sizeof c);
    c.w = w;
    gen_rng_seed(&c.r, w->seed, "changes", 0);
    gen_evl_init(&c.prs);
    gen_evl_init(&c.deploys);
    c.gh = as_calloc(w->n_emp, sizeof *c.gh);
    as_code rc = AS_OK;
    if (c.gh == NULL)
        rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    else
        for (size_t i = 0; i < w->n_emp; i++)
            if ((w->emp[i].access >> GEN_SYS_GITHUB) & 1)
                c.gh[c.n_gh++] = (int)i;
    for (size_t k = 0; k < AS_ARRAY_LEN(k_repos); k++)
        c.next_number[k] = 100 + (unsigned)gen_rng_below(&c.r, 800);

    static const struct { unsigned at; int plan; } k_plan[] = {
        { 150, PLAN_SELF_APPROVED }, { 250, PLAN_NO_APPROVER }, { 350, PLAN_SELF_APPROVED },
        { 450, PLAN_DEVELOP_NO_APPROVER }, { 550, PLAN_SELF_APPROVED }, { 750, PLAN_NO_APPROVER },
        { 850, PLAN_DEVELOP_NO_APPROVER },
    };
    for (unsigned d = 0; rc == AS_OK && d < w->days; d++) {
        int64_t day = w->start_day + d;
        unsigned n = gen_is_weekend(day) ? (unsigned)gen_rng_below(&c.r, 2) : (unsigned)gen_rng_range(&c.r, 2, 8);
        n = n * w->mild_milli / 1000;
        for (unsigned k = 0; k < n; k++)
            pull_request(&c, work_time(&c, day), PLAN_NONE);
        for (size_t k = 0; k < AS_ARRAY_LEN(k_plan); k++)
            if ((int64_t)w->days * k_plan[k].at / 1000 == d)
                pull_request(&c, work_time(&c, day), k_plan[k].plan);
        if (d == w->days * 300 / 1000)
            direct_push(&c, work_time(&c, day), 0, 1);
        if (d == w->days * 500 / 1000)
            direct_push(&c, work_time(&c, day), 1, 1);
        if (d == w->days * 700 / 1000)
            direct_push(&c, work_time(&c, day), 0, 0);
        if (d == w->days * 600 / 1000) {
            char unknown[41], key[64];
            sha(&c.r, unknown);
            deploy(&c, work_time(&c, day), "production", 1, unknown, "deploy-bot");
            snprintf(key, sizeof key, "api@%.12s", unknown);
            gen_evl_note(&c.deploys, GEN_NOTE_DEV, "deploy-after-approved-merge", key,
                         "production deploy of api sha %s, which matches no merge_commit_sha", unknown);
        }
    }
    if (rc == AS_OK && (c.prs.failed || c.deploys.failed))
        rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    if (rc == AS_OK)
        rc = write_list(job, res, &c.prs, "changes/pull_requests.jsonl", "changes", "jsonl", err);
    if (rc == AS_OK)
        rc = write_list(job, res, &c.deploys, "changes/deploys.log", "changes", "deploy", err);
    as_free(c.gh);
    gen_evl_fini(&c.prs);
    gen_evl_fini(&c.deploys);
    return rc;
}

int gen_change_add_jobs(gen_jobs *js, const gen_world *w)
{
    (void)w;
    return gen_jobs_add(js, change_job, NULL, 0, 0, 2u << 20);
}
