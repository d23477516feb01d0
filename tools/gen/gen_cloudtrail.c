/* gen_cloudtrail.c: CloudTrail delivery files (see gen_cloudtrail.h).
 *
 * One job per (region, day). The day's records (IAM users' console sign-ins
 * and API calls, SSO role sign-ins, automation roles, and the world's planned
 * records) are built as compact JSON in a gen_evl, cut into delivery windows
 * (3 h in us-east-1, 12 h in eu-west-1) and written one gzip file per window,
 * named by its delivery time, 5-14 minutes after the window ends, so every
 * record is earlier than its file name. Records are sorted and then lightly
 * shuffled; about 10% of files are pretty-printed with 2-space indentation
 * and about half end with a newline. A record's location is the line of its
 * opening '{', its 0-based index in Records and the decompressed offset of
 * that '{'. */
#include "tools/gen/gen_cloudtrail.h"

#include <stdio.h>  /* snprintf */

#include "tools/gen/gen_evl.h"
#include "tools/gen/gen_fmt.h"
#include "tools/gen/gen_json.h"

#define CT_PRETTY_PERMILLE   100
#define CT_NEWLINE_PERMILLE  500

typedef struct ct_region {
    const char *name;
    int64_t     window_ms;    /* delivery window */
    unsigned    auto_lo, auto_hi; /* automation records per window */
    int         console;      /* console sign-ins are delivered here */
} ct_region;

static const ct_region k_regions[] = {
    { "us-east-1", 3 * GEN_MS_PER_HOUR, 5, 16, 1 },
    { "eu-west-1", 12 * GEN_MS_PER_HOUR, 3, 9, 0 },
};

typedef struct ct_call {
    const char *source, *name;
    int         read_only;
} ct_call;

static const ct_call k_user_calls[] = {
    { "ec2.amazonaws.com", "DescribeInstances", 1 }, { "s3.amazonaws.com", "ListBuckets", 1 },
    { "sts.amazonaws.com", "GetCallerIdentity", 1 }, { "rds.amazonaws.com", "DescribeDBInstances", 1 },
    { "iam.amazonaws.com", "ListUsers", 1 }, { "monitoring.amazonaws.com", "GetMetricData", 1 },
    { "logs.amazonaws.com", "DescribeLogGroups", 1 }, { "ec2.amazonaws.com", "DescribeSecurityGroups", 1 },
    { "lambda.amazonaws.com", "ListFunctions20150331", 1 }, { "ecs.amazonaws.com", "DescribeServices", 1 },
    { "ec2.amazonaws.com", "StopInstances", 0 }, { "s3.amazonaws.com", "PutBucketTagging", 0 },
};

typedef struct ct_role {
    const char *name;
    const char *agent;
    ct_call     calls[3];
} ct_role;

static const ct_role k_roles[] = {
    { "terraform", "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.173.0",
      { { "ec2.amazonaws.com", "DescribeInstances", 1 }, { "ec2.amazonaws.com", "CreateTags", 0 },
        { "iam.amazonaws.com", "GetRole", 1 } } },
    { "ci-deployer", "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.9",
      { { "ecs.amazonaws.com", "UpdateService", 0 }, { "ecs.amazonaws.com", "RegisterTaskDefinition", 0 },
        { "ecr.amazonaws.com", "PutImage", 0 } } },
    { "datadog-integration", "aws-sdk-go/1.54.19 (go1.22.5; linux; amd64)",
      { { "monitoring.amazonaws.com", "GetMetricData", 1 }, { "ec2.amazonaws.com", "DescribeInstances", 1 },
        { "tag.amazonaws.com", "GetResources", 1 } } },
    { "backup-service", "aws-internal/3 aws-sdk-java/1.12.770",
      { { "rds.amazonaws.com", "CreateDBSnapshot", 0 }, { "ec2.amazonaws.com", "CreateSnapshot", 0 },
        { "s3.amazonaws.com", "GetBucketLocation", 1 } } },
};

static const ct_call k_root_calls[] = {
    { "iam.amazonaws.com", "GetAccountSummary", 1 },
    { "iam.amazonaws.com", "CreateAccessKey", 0 },
    { "s3.amazonaws.com", "PutBucketPublicAccessBlock", 0 },
};

typedef struct ct_job {
    const gen_world *w;
    const ct_region *rg;
    gen_rng  r;
    gen_evl  l;
    gen_json j;
} ct_job;

static void uuid(gen_rng *r, char out[37])
{
    uint64_t a = gen_rng_next(r), b = gen_rng_next(r);
    char *p = out;
    p = gen_put_hex(p, a >> 32, 8);
    *p++ = '-';
    p = gen_put_hex(p, a >> 16, 4);
    *p++ = '-';
    p = gen_put_hex(p, 0x4000 | (a & 0x0fff), 4);
    *p++ = '-';
    p = gen_put_hex(p, 0x8000 | (b >> 48 & 0x3fff), 4);
    *p++ = '-';
    p = gen_put_hex(p, b, 12);
    *p = '\0';
}

static void upper_alnum(gen_rng *r, char *out, size_t n)
{
    static const char k_set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (size_t i = 0; i < n; i++)
        out[i] = k_set[gen_rng_below(r, sizeof k_set - 1)];
    out[n] = '\0';
}

typedef enum { WHO_IAM, WHO_ROOT, WHO_ROLE, WHO_SSO } ct_who_kind;

typedef struct ct_who {
    ct_who_kind     kind;
    const gen_emp  *e;      /* IAM user / SSO user */
    const ct_role  *role;   /* WHO_ROLE */
    int             mfa;    /* session MFA (API calls) */
} ct_who;

static void put_identity(ct_job *c, const ct_who *who)
{
    gen_json *j = &c->j;
    char tmp[256], key[24];
    gen_json_kobj(j, "userIdentity");
    switch (who->kind) {
    case WHO_IAM:
        gen_json_kstr(j, "type", "IAMUser");
        gen_json_kstr(j, "principalId", who->e->aws_id);
        snprintf(tmp, sizeof tmp, "arn:aws:iam::" GEN_AWS_ACCT ":user/%s", who->e->login);
        gen_json_kstr(j, "arn", tmp);
        gen_json_kstr(j, "accountId", GEN_AWS_ACCT);
        gen_json_kstr(j, "userName", who->e->login);
        break;
    case WHO_ROOT:
        gen_json_kstr(j, "type", "Root");
        gen_json_kstr(j, "principalId", GEN_AWS_ACCT);
        gen_json_kstr(j, "arn", "arn:aws:iam::" GEN_AWS_ACCT ":root");
        gen_json_kstr(j, "accountId", GEN_AWS_ACCT);
        break;
    case WHO_ROLE:
    case WHO_SSO: {
        const char *role = who->kind == WHO_ROLE ? who->role->name : "AWSReservedSSO_ReadOnlyAccess_4c1e2a9b77d0f3e5";
        const char *session = who->kind == WHO_ROLE ? "aws-go-sdk-1727" : who->e->email;
        gen_json_kstr(j, "type", "AssumedRole");
        snprintf(tmp, sizeof tmp, "AROAXQ2M7HW3KC5QZ4N6T:%s", session);
        gen_json_kstr(j, "principalId", tmp);
        snprintf(tmp, sizeof tmp, "arn:aws:sts::" GEN_AWS_ACCT ":assumed-role/%s/%s", role, session);
        gen_json_kstr(j, "arn", tmp);
        gen_json_kstr(j, "accountId", GEN_AWS_ACCT);
        upper_alnum(&c->r, key, 16);
        snprintf(tmp, sizeof tmp, "ASIA%s", key);
        gen_json_kstr(j, "accessKeyId", tmp);
        gen_json_kobj(j, "sessionContext");
        gen_json_kobj(j, "sessionIssuer");
        gen_json_kstr(j, "type", "Role");
        gen_json_kstr(j, "principalId", "AROAXQ2M7HW3KC5QZ4N6T");
        snprintf(tmp, sizeof tmp, "arn:aws:iam::" GEN_AWS_ACCT ":role/%s", role);
        gen_json_kstr(j, "arn", tmp);
        gen_json_kstr(j, "accountId", GEN_AWS_ACCT);
        gen_json_kstr(j, "userName", role);
        gen_json_end_obj(j);
        gen_json_kobj(j, "attributes");
        gen_json_kstr(j, "mfaAuthenticated", "false");
        gen_json_end_obj(j);
        gen_json_end_obj(j);
        break;
    }
    }
    gen_json_end_obj(j);
}

static void put_common_tail(ct_job *c, const char *event_type, int read_only, const char *event_id)
{
    gen_json *j = &c->j;
    gen_json_kstr(j, "eventID", event_id);
    gen_json_kbool(j, "readOnly", read_only);
    gen_json_kstr(j, "eventType", event_type);
    gen_json_kbool(j, "managementEvent", 1);
    gen_json_kstr(j, "recipientAccountId", GEN_AWS_ACCT);
    gen_json_kstr(j, "eventCategory", "Management");
}

/* A ConsoleLogin record. mfa: "Yes", "No", "YES". Returns its eventID in id. */
static void console_login(ct_job *c, int64_t t, const ct_who *who, const char *mfa, int success, char id[37])
{
    gen_json *j = &c->j;
    char ts[GEN_FMT_TIME_MAX];
    size_t start = c->l.text.len;
    t -= t % 1000;
    gen_fmt_iso_s(ts, t);
    uuid(&c->r, id);
    const gen_world *w = c->w;
    const char *ip = who->e ? who->e->ip : "185.220.101.34";
    const char *ua = who->e ? w->browsers[who->e->browser].ua : w->browsers[0].ua;
    gen_json_begin(j, &c->l.text);
    gen_json_obj(j);
    gen_json_kstr(j, "eventVersion", "1.09");
    put_identity(c, who);
    gen_json_kstr(j, "eventTime", ts);
    gen_json_kstr(j, "eventSource", "signin.amazonaws.com");
    gen_json_kstr(j, "eventName", "ConsoleLogin");
    gen_json_kstr(j, "awsRegion", c->rg->name);
    gen_json_kstr(j, "sourceIPAddress", ip);
    gen_json_kstr(j, "userAgent", ua);
    if (!success)
        gen_json_kstr(j, "errorMessage", "Failed authentication");
    gen_json_knull(j, "requestParameters");
    gen_json_kobj(j, "responseElements");
    gen_json_kstr(j, "ConsoleLogin", success ? "Success" : "Failure");
    gen_json_end_obj(j);
    gen_json_kobj(j, "additionalEventData");
    gen_json_kstr(j, "LoginTo", "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true");
    gen_json_kstr(j, "MobileVersion", "No");
    gen_json_kstr(j, "MFAUsed", mfa);
    if (who->kind == WHO_IAM || who->kind == WHO_ROOT)
        gen_json_kstr(j, "MFAIdentifier", strcmp(mfa, "No") == 0 ? NULL : "arn:aws:iam::" GEN_AWS_ACCT ":mfa/device");
    gen_json_end_obj(j);
    put_common_tail(c, "AwsConsoleSignIn", 0, id);
    gen_json_end_obj(j);
    if (j->failed)
        c->l.failed = 1;
    gen_evl_push(&c->l, t, start, 0);
}

static void api_call(ct_job *c, int64_t t, const ct_who *who, const ct_call *call, char id[37])
{
    gen_json *j = &c->j;
    char ts[GEN_FMT_TIME_MAX], req[37];
    size_t start = c->l.text.len;
    t -= t % 1000;
    gen_fmt_iso_s(ts, t);
    uuid(&c->r, id);
    uuid(&c->r, req);
    const gen_world *w = c->w;
    const char *ip, *ua;
    if (who->kind == WHO_ROLE) {
        ip = "10.10.4.41";
        ua = who->role->agent;
    } else if (who->e != NULL) {
        ip = who->e->ip;
        ua = "AWS Internal";
    } else {
        ip = "185.220.101.34";
        ua = w->browsers[0].ua;
    }
    gen_json_begin(j, &c->l.text);
    gen_json_obj(j);
    gen_json_kstr(j, "eventVersion", "1.09");
    put_identity(c, who);
    gen_json_kstr(j, "eventTime", ts);
    gen_json_kstr(j, "eventSource", call->source);
    gen_json_kstr(j, "eventName", call->name);
    gen_json_kstr(j, "awsRegion", c->rg->name);
    gen_json_kstr(j, "sourceIPAddress", ip);
    gen_json_kstr(j, "userAgent", ua);
    if (call->read_only) {
        gen_json_knull(j, "requestParameters");
        gen_json_knull(j, "responseElements");
    } else {
        gen_json_kobj(j, "requestParameters");
        if (strcmp(call->name, "CreateAccessKey") == 0) {
            gen_json_end_obj(j);
            gen_json_kobj(j, "responseElements");
            gen_json_kobj(j, "accessKey");
            gen_json_kstr(j, "accessKeyId", "AKIAXQ2M7HW3ROOTKEY7");
            gen_json_kstr(j, "status", "Active");
            gen_json_end_obj(j);
            gen_json_end_obj(j);
        } else {
            char res[64];
            snprintf(res, sizeof res, "%s-%u", gen_rng_below(&c->r, 2) ? "prod" : "staging",
                     (unsigned)gen_rng_range(&c->r, 1, 40));
            gen_json_kstr(j, "resourceId", res);
            gen_json_end_obj(j);
            gen_json_knull(j, "responseElements");
        }
    }
    gen_json_kstr(j, "requestID", req);
    put_common_tail(c, "AwsApiCall", call->read_only, id);
    gen_json_kobj(j, "tlsDetails");
    gen_json_kstr(j, "tlsVersion", "TLSv1.3");
    gen_json_kstr(j, "cipherSuite", "TLS_AES_128_GCM_SHA256");
    char host[96];
    const char *dot = strchr(call->source, '.');
    snprintf(host, sizeof host, "%.*s.%s.amazonaws.com", (int)(dot - call->source), call->source, c->rg->name);
    gen_json_kstr(j, "clientProvidedHostHeader", host);
    gen_json_end_obj(j);
    if (who->kind == WHO_IAM || who->kind == WHO_ROOT)
        gen_json_kstr(j, "sessionCredentialFromConsole", "true");
    gen_json_end_obj(j);
    if (j->failed)
        c->l.failed = 1;
    gen_evl_push(&c->l, t, start, 0);
}

static void build_day(ct_job *c, int64_t day)
{
    const gen_world *w = c->w;
    const int64_t day_ms = day * GEN_MS_PER_DAY, day_end = day_ms + GEN_MS_PER_DAY;
    char id[37];
    /* automation, every window */
    for (int64_t t0 = day_ms; t0 < day_end; t0 += c->rg->window_ms) {
        unsigned n = (unsigned)gen_rng_range(&c->r, c->rg->auto_lo, c->rg->auto_hi) * w->mild_milli / 1000 + 1;
        for (unsigned k = 0; k < n; k++) {
            const ct_role *role = &k_roles[gen_rng_below(&c->r, AS_ARRAY_LEN(k_roles))];
            ct_who who = { WHO_ROLE, NULL, role, 0 };
            api_call(c, t0 + (int64_t)gen_rng_below(&c->r, (uint64_t)c->rg->window_ms), &who, &role->calls[gen_rng_below(&c->r, 3)],
                     id);
        }
    }
    if (!c->rg->console)
        return;
    /* people: IAM users with console sessions, SSO users */
    for (size_t i = 0; i < w->n_emp; i++) {
        const gen_emp *e = &w->emp[i];
        if (!((e->access >> GEN_SYS_AWS) & 1))
            continue;
        unsigned p = gen_is_weekend(day) ? 20 : 250;
        if (!gen_rng_permille(&c->r, p))
            continue;
        int64_t t = day_ms + gen_rng_range(&c->r, 13 * GEN_MS_PER_HOUR, 22 * GEN_MS_PER_HOUR);
        if (!gen_emp_active(e, t) || t >= e->term_ms - GEN_MS_PER_HOUR)
            continue;
        ct_who who = { WHO_IAM, e, NULL, 1 };
        if (gen_rng_permille(&c->r, 300)) {
            who.kind = WHO_SSO;   /* federated: MFAUsed No, excluded from aws-console-mfa */
            console_login(c, t, &who, "No", 1, id);
        } else {
            if (gen_rng_permille(&c->r, 40))
                console_login(c, t - gen_rng_range(&c->r, 20000, 120000), &who, "No", 0, id);
            console_login(c, t, &who, "Yes", 1, id);
        }
        unsigned calls = (unsigned)gen_rng_range(&c->r, 1, 8);
        for (unsigned k = 0; k < calls; k++)
            api_call(c, t + gen_rng_range(&c->r, 30000, 40 * GEN_MS_PER_MIN), &who,
                     &k_user_calls[gen_rng_below(&c->r, AS_ARRAY_LEN(k_user_calls))], id);
    }
    /* planned records */
    for (size_t k = 0; k < w->ct.n; k++) {
        const gen_plan_ev *p = &w->ct.v[k];
        if (p->t_ms < day_ms || p->t_ms >= day_end)
            continue;
        const gen_emp *e = p->emp >= 0 ? &w->emp[p->emp] : NULL;
        if (e == NULL && (p->kind == GEN_CT_IAM_NO_MFA || p->kind == GEN_CT_IAM_MFA_UPPER))
            continue;   /* never: gen_world plans the IAM kinds with an employee */
        ct_who who = { p->emp >= 0 ? WHO_IAM : WHO_ROOT, e, NULL, 0 };
        switch (p->kind) {
        case GEN_CT_IAM_NO_MFA:
            console_login(c, p->t_ms, &who, "No", 1, id);
            gen_evl_note(&c->l, GEN_NOTE_DEV, "aws-console-mfa", e->login,
                         "IAM user %s signed in to the console without MFA", e->login);
            break;
        case GEN_CT_ROOT_NO_MFA:
            console_login(c, p->t_ms, &who, "No", 1, id);
            gen_evl_note(&c->l, GEN_NOTE_DEV, "aws-console-mfa", "root",
                         "root user signed in to the console without MFA");
            break;
        case GEN_CT_ROOT_MFA:
            console_login(c, p->t_ms, &who, "Yes", 1, id);
            gen_evl_note(&c->l, GEN_NOTE_EDGE, "aws-console-mfa", "root", "root console sign-in with MFAUsed Yes");
            break;
        case GEN_CT_IAM_MFA_UPPER:
            console_login(c, p->t_ms, &who, "YES", 1, id);
            gen_evl_note(&c->l, GEN_NOTE_EDGE, "aws-console-mfa", e->login,
                         "MFAUsed \"YES\" (upper case): MFA was used; compare case-insensitively");
            break;
        case GEN_CT_ROOT_API: {
            const ct_call *call = &k_root_calls[p->aux % (int)AS_ARRAY_LEN(k_root_calls)];
            api_call(c, p->t_ms, &who, call, id);
            gen_evl_note(&c->l, GEN_NOTE_DEV, "aws-no-root", id, "root user API call %s:%s", call->source, call->name);
            break;
        }
        default:
            break;
        }
    }
}

/* Writes records ev[from..to) as one delivery file. */
static as_code write_file(ct_job *c, const gen_job *job, gen_res *res, size_t from, size_t to, int64_t deliver,
                          as_err *err)
{
    char rel[256], name_time[20], suffix[17];
    gen_tm tm = gen_tm_from_ms(deliver);
    snprintf(name_time, sizeof name_time, "%04lld%02u%02uT%02u%02uZ", (long long)tm.year, tm.mon, tm.day, tm.hour,
             tm.min);
    static const char k_alnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int i = 0; i < 16; i++)
        suffix[i] = k_alnum[gen_rng_below(&c->r, sizeof k_alnum - 1)];
    suffix[16] = '\0';
    snprintf(rel, sizeof rel, "cloudtrail/AWSLogs/" GEN_AWS_ACCT "/CloudTrail/%s/%04lld/%02u/%02u/" GEN_AWS_ACCT
             "_CloudTrail_%s_%s_%s.json%s", c->rg->name, (long long)tm.year, tm.mon, tm.day, c->rg->name, name_time,
             suffix, c->w->plain ? "" : ".gz");
    int pretty = gen_rng_permille(&c->r, CT_PRETTY_PERMILLE);
    int newline = gen_rng_permille(&c->r, CT_NEWLINE_PERMILLE);
    gen_file f;
    AS_TRY(gen_file_open(&f, job, rel, "cloudtrail", "cloudtrail", c->w->plain ? GEN_COMP_NONE : GEN_COMP_GZIP, err));
    gen_out_puts(&f.out, pretty ? "{\n  \"Records\": [" : "{\"Records\":[");
    for (size_t k = from; k < to; k++) {
        const gen_ev *e = &c->l.ev[k];
        if (k > from)
            gen_out_put(&f.out, ",", 1);
        if (pretty)
            gen_out_puts(&f.out, "\n    ");
        uint64_t line = gen_file_line(&f), off = gen_out_pos(&f.out);
        if (pretty) {
            uint64_t lines = 0;
            if (gen_json_pretty(gen_evl_text(&c->l, e), e->len, 2, &f.out.buf, &lines) != 0)
                f.out.failed = 1;
        } else {
            gen_out_put(&f.out, gen_evl_text(&c->l, e), e->len);
        }
        gen_evl_account(&c->l, e, &f, res, line, off, (int64_t)(k - from));
    }
    gen_out_puts(&f.out, pretty ? "\n  ]\n}" : "]}");
    if (newline)
        gen_out_put(&f.out, "\n", 1);
    return gen_file_close(&f, res, err);
}

static as_code ct_job_run(const gen_job *job, gen_res *res, as_err *err)
{
    const gen_world *w = job->world;
    ct_job c;
    memset(&c, 0, sizeof c);
    c.w = w;
    c.rg = &k_regions[job->a];
    const int64_t day = job->b;
    gen_rng_seed(&c.r, w->seed, c.rg->name, (uint64_t)day);
    gen_evl_init(&c.l);
    build_day(&c, day);
    gen_evl_sort(&c.l);
    as_code rc = c.l.failed ? as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL) : AS_OK;
    const int64_t day_ms = day * GEN_MS_PER_DAY;
    size_t k = 0;
    for (int64_t t0 = day_ms; t0 < day_ms + GEN_MS_PER_DAY && rc == AS_OK; t0 += c.rg->window_ms) {
        int64_t t1 = t0 + c.rg->window_ms;
        size_t from = k;
        while (k < c.l.n && c.l.ev[k].t_ms < t1)
            k++;
        if (k == from)
            continue;
        /* light disorder inside the file: swap some neighbours */
        for (size_t i = from + 1; i < k; i++)
            if (gen_rng_permille(&c.r, 200)) {
                gen_ev t = c.l.ev[i];
                c.l.ev[i] = c.l.ev[i - 1];
                c.l.ev[i - 1] = t;
            }
        int64_t deliver = t1 + gen_rng_range(&c.r, 5 * GEN_MS_PER_MIN, 14 * GEN_MS_PER_MIN);
        rc = write_file(&c, job, res, from, k, deliver, err);
    }
    gen_evl_fini(&c.l);
    return rc;
}

int gen_cloudtrail_add_jobs(gen_jobs *js, const gen_world *w)
{
    for (size_t r = 0; r < AS_ARRAY_LEN(k_regions); r++)
        for (unsigned d = 0; d < w->days; d++)
            if (gen_jobs_add(js, ct_job_run, NULL, (int64_t)r, w->start_day + d, 200u << 10) != 0)
                return -1;
    return 0;
}
