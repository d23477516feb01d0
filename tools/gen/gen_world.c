/* gen_world.c: builds the fictional company and the cross-source plan (see
 * gen_world.h).
 *
 * Everything is drawn from one stream seeded with (seed, "world") in a fixed
 * order. Deviations are placed at fixed fractions of the period (plus seeded
 * jitter), so every kind exists for any period of at least GEN_MIN_DAYS days
 * and none falls outside it. */
#include "tools/gen/gen_world.h"

#include <stdio.h>   /* snprintf */
#include <stdlib.h>  /* qsort */

#include "tools/gen/gen_json.h"

#define GEN_BASE_EMPLOYEES 120  /* head count at --scale 1 */
#define GEN_MIN_EMPLOYEES  48   /* enough people for every planned deviation */

typedef struct name_pair { const char *display, *ascii; } name_pair;

static const name_pair k_first[] = {
    { "James", "james" }, { "Mary", "mary" }, { "Robert", "robert" }, { "Patricia", "patricia" },
    { "John", "john" }, { "Jennifer", "jennifer" }, { "Michael", "michael" }, { "Linda", "linda" },
    { "David", "david" }, { "Elizabeth", "elizabeth" }, { "William", "william" }, { "Barbara", "barbara" },
    { "Richard", "richard" }, { "Susan", "susan" }, { "Joseph", "joseph" }, { "Jessica", "jessica" },
    { "Thomas", "thomas" }, { "Sarah", "sarah" }, { "Charles", "charles" }, { "Karen", "karen" },
    { "Daniel", "daniel" }, { "Nancy", "nancy" }, { "Matthew", "matthew" }, { "Lisa", "lisa" },
    { "Anthony", "anthony" }, { "Priya", "priya" }, { "Mark", "mark" }, { "Ashley", "ashley" },
    { "Kevin", "kevin" }, { "Emily", "emily" }, { "Wei", "wei" }, { "Aisha", "aisha" },
    { "Olusegun", "olusegun" }, { "Mei", "mei" }, { "Hiroshi", "hiroshi" }, { "Fatima", "fatima" },
    { "Carlos", "carlos" }, { "Ingrid", "ingrid" }, { "Dmitri", "dmitri" }, { "Amara", "amara" },
    { "José", "jose" }, { "Zoë", "zoe" }, { "Björn", "bjorn" }, { "Chloé", "chloe" },
    { "Siobhán", "siobhan" }, { "Łukasz", "lukasz" }, { "Renée", "renee" }, { "Raúl", "raul" },
    { "Nikhil", "nikhil" }, { "Grace", "grace" }, { "Omar", "omar" }, { "Hannah", "hannah" },
    { "Tariq", "tariq" }, { "Yuki", "yuki" }, { "Elena", "elena" }, { "Kwame", "kwame" },
};

static const name_pair k_last[] = {
    { "Smith", "smith" }, { "Johnson", "johnson" }, { "Williams", "williams" }, { "Brown", "brown" },
    { "Jones", "jones" }, { "Garcia", "garcia" }, { "Miller", "miller" }, { "Davis", "davis" },
    { "Rodriguez", "rodriguez" }, { "Martinez", "martinez" }, { "Hernandez", "hernandez" },
    { "Lopez", "lopez" }, { "Gonzalez", "gonzalez" }, { "Wilson", "wilson" }, { "Anderson", "anderson" },
    { "Thomas", "thomas" }, { "Taylor", "taylor" }, { "Moore", "moore" }, { "Jackson", "jackson" },
    { "Martin", "martin" }, { "Lee", "lee" }, { "Perez", "perez" }, { "Thompson", "thompson" },
    { "White", "white" }, { "Harris", "harris" }, { "Clark", "clark" }, { "Lewis", "lewis" },
    { "Robinson", "robinson" }, { "Walker", "walker" }, { "Young", "young" }, { "Allen", "allen" },
    { "Nguyen", "nguyen" }, { "Patel", "patel" }, { "Kim", "kim" }, { "Chen", "chen" },
    { "Okafor", "okafor" }, { "Tanaka", "tanaka" }, { "Kowalski", "kowalski" }, { "Novak", "novak" },
    { "O'Brien", "obrien" }, { "Núñez", "nunez" }, { "Ødegaard", "odegaard" }, { "Müller", "muller" },
    { "Çelik", "celik" }, { "Dubois", "dubois" }, { "Rossi", "rossi" }, { "Singh", "singh" },
    { "Haddad", "haddad" }, { "Ivanova", "ivanova" }, { "Mensah", "mensah" }, { "Larsen", "larsen" },
};

typedef struct dept_def {
    const char *name;
    unsigned    weight;       /* share of the rest of the staff, per mille */
    const char *head_title;
    const char *titles[3];
    unsigned    access;       /* systems everyone in the department has */
    unsigned    access_some;  /* systems about half of them have */
} dept_def;

#define S(x) (1u << (x))
static const dept_def k_depts[] = {
    { "Executive", 0, "Chief Executive Officer", { "Chief of Staff", "Executive Assistant", "Chief of Staff" },
      S(GEN_SYS_OKTA), 0 },
    { "Engineering", 330, "VP Engineering", { "Software Engineer", "Senior Software Engineer", "Staff Engineer" },
      S(GEN_SYS_OKTA) | S(GEN_SYS_GITHUB), S(GEN_SYS_LINUX) | S(GEN_SYS_AWS) },
    { "Site Reliability", 70, "Head of SRE", { "Site Reliability Engineer", "Senior SRE", "Platform Engineer" },
      S(GEN_SYS_OKTA) | S(GEN_SYS_GITHUB) | S(GEN_SYS_LINUX) | S(GEN_SYS_AWS) | S(GEN_SYS_DATABASE), 0 },
    { "Security & IT", 50, "Chief Information Security Officer", { "IT Administrator", "Security Engineer", "IT Support Specialist" },
      S(GEN_SYS_OKTA) | S(GEN_SYS_AWS), S(GEN_SYS_LINUX) },
    { "Product", 80, "VP Product", { "Product Manager", "Product Designer", "UX Researcher" },
      S(GEN_SYS_OKTA) | S(GEN_SYS_GITHUB), 0 },
    { "Sales", 180, "VP Sales", { "Account Executive", "Sales Development Rep", "Sales Engineer" },
      S(GEN_SYS_OKTA), 0 },
    { "Customer Success", 120, "Head of Customer Success", { "Customer Success Manager", "Support Engineer", "Onboarding Specialist" },
      S(GEN_SYS_OKTA), 0 },
    { "Marketing", 80, "VP Marketing", { "Content Marketer", "Growth Marketer", "Marketing Ops Analyst" },
      S(GEN_SYS_OKTA), 0 },
    { "Finance", 50, "Chief Financial Officer", { "Accountant", "Financial Analyst", "Controller" },
      S(GEN_SYS_OKTA), 0 },
    { "People", 40, "Head of People", { "People Partner", "Recruiter", "People Ops Coordinator" },
      S(GEN_SYS_OKTA), 0 },
};
#define GEN_N_DEPTS AS_ARRAY_LEN(k_depts)
enum { D_EXEC, D_ENG, D_SRE, D_SECIT, D_PRODUCT };

static const gen_host k_hosts[] = {
    { "web-01",      "web",        0, 1, 2, "10.10.1.11" },
    { "web-02",      "web",        0, 1, 0, "10.10.1.12" },
    { "api-01",      "api",        0, 0, 0, "10.10.2.21" },
    { "db-01",       "database",   0, 0, 1, "10.10.3.31" },
    { "bastion-01",  "bastion",    0, 1, 1, "10.10.0.5" },
    { "build-01",    "ci",         0, 0, 1, "10.10.4.41" },
    { "k8s-node-01", "kubernetes", 1, 0, 0, "10.10.5.51" },
    { "log-01",      "logging",    1, 0, 1, "10.10.6.61" },
};

static const gen_city k_cities[GEN_N_CITIES] = {
    { "Boston", "Massachusetts", "United States", "02108" },
    { "New York", "New York", "United States", "10001" },
    { "Austin", "Texas", "United States", "78701" },
    { "Denver", "Colorado", "United States", "80202" },
    { "Seattle", "Washington", "United States", "98101" },
    { "Chicago", "Illinois", "United States", "60601" },
    { "Dublin", "Leinster", "Ireland", "D02" },
    { "Toronto", "Ontario", "Canada", "M5H" },
};

static const gen_browser k_browsers[GEN_N_BROWSERS] = {
    { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
      "Mac OS X", "CHROME" },
    { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
      "Windows 10", "CHROME" },
    { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
      "Mac OS X", "SAFARI" },
    { "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
      "Windows 10", "FIREFOX" },
    { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0",
      "Windows 10", "EDGE" },
    { "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
      "Linux", "CHROME" },
};

static const struct { const char *name; int privileged; } k_groups[GEN_N_GROUPS] = {
    { "Okta Admins", 1 }, { "AWS-Prod-Admins", 1 }, { "GitHub-Org-Owners", 1 }, { "DB-Admins", 1 },
    { "Everyone", 0 }, { "Engineering", 0 }, { "Sales", 0 }, { "Customer Success", 0 },
    { "Marketing", 0 }, { "Finance", 0 }, { "VPN-Users", 0 }, { "Slack-Users", 0 },
};
enum { G_OKTA_ADMINS, G_AWS_ADMINS, G_GH_OWNERS, G_DB_ADMINS };

static const char *const k_notes[] = {
    "Transferred from Sales, 2023-04",
    "Prefers \"Liz\"; badge reissued",
    "Contractor converted to FTE\nBackground check on file",
    "Relocated to Dublin office\nVisa sponsorship, renewal due 2026",
    "Part-time (80%), Mon-Thu",
    "Parental leave 2024-06 to 2024-09\nReturned to same role",
};

const char *gen_sys_name(gen_sys s)
{
    static const char *const k_names[GEN_SYS_N] = { "okta", "aws", "linux", "github", "database" };
    return (unsigned)s < GEN_SYS_N ? k_names[s] : "?";
}

int gen_world_host(const gen_world *w, const char *name)
{
    for (size_t i = 0; i < w->n_hosts; i++)
        if (strcmp(w->hosts[i].name, name) == 0)
            return (int)i;
    return -1;
}

static const char *wstr(gen_world *w, const char *s, int *failed)
{
    char *p = as_arena_strndup(&w->ar, s, strlen(s));
    if (p == NULL) {
        *failed = 1;
        return "";
    }
    return p;
}

/* An Okta-style id: prefix + alphanumerics, total length 20. */
static void okta_id(gen_rng *r, const char *prefix, char out[21])
{
    static const char k_alnum[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    size_t n = strlen(prefix);
    memcpy(out, prefix, n);
    for (size_t i = n; i < 20; i++)
        out[i] = k_alnum[gen_rng_below(r, sizeof k_alnum - 1)];
    out[20] = '\0';
}

/* A public-looking IPv4 address (skips private, loopback and multicast). */
static void public_ip(gen_rng *r, char out[16])
{
    unsigned a;
    do
        a = (unsigned)gen_rng_range(r, 11, 223);
    while (a == 127 || a == 10 || a == 100 || a == 169 || a == 172 || a == 192 || a == 198 || a == 203);
    snprintf(out, 16, "%u.%u.%u.%u", a, (unsigned)gen_rng_below(r, 256), (unsigned)gen_rng_below(r, 256),
             (unsigned)gen_rng_range(r, 1, 254));
}

static int push_plan(gen_plan_vec *v, gen_plan_ev ev)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        gen_plan_ev *p = as_realloc(v->v, nc * sizeof *p);
        if (p == NULL)
            return -1;
        v->v = p;
        v->cap = nc;
    }
    v->v[v->n++] = ev;
    return 0;
}

static int cmp_plan(const void *a, const void *b)
{
    const gen_plan_ev *x = a, *y = b;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return (x->emp > y->emp) - (x->emp < y->emp);
}

/* Day at permille of the period, clamped inside it. */
static int64_t frac_day(const gen_world *w, unsigned permille)
{
    int64_t d = (int64_t)w->days * permille / 1000;
    if (d >= (int64_t)w->days)
        d = w->days - 1;
    return w->start_day + d;
}

/* An instant on day `day` in business hours (13:00-20:59 UTC = 9-5 Boston),
 * moved to the next weekday if day is a weekend and stays inside the period. */
static int64_t business_time(const gen_world *w, gen_rng *r, int64_t day)
{
    while (gen_is_weekend(day) && day + 1 < w->start_day + (int64_t)w->days)
        day++;
    return day * GEN_MS_PER_DAY + gen_rng_range(r, 13 * GEN_MS_PER_HOUR, 21 * GEN_MS_PER_HOUR - 1);
}

/* Picks an employee matching pred that is active over the whole period. */
typedef int (*emp_pred)(const gen_emp *e, unsigned arg);

static int stays_all_period(const gen_world *w, const gen_emp *e)
{
    return e->hire_ms <= w->start_ms && e->term_ms == GEN_NEVER;
}

static int pick_emp_(const gen_world *w, gen_rng *r, emp_pred pred, unsigned arg, int exclude)
{
    size_t n = w->n_emp, start = (size_t)gen_rng_below(r, n);
    for (size_t k = 0; k < n; k++) {
        size_t i = (start + k) % n;
        const gen_emp *e = &w->emp[i];
        if ((int)i != exclude && stays_all_period(w, e) && pred(e, arg))
            return (int)i;
    }
    return -1;
}

static int pred_staff(const gen_emp *e, unsigned unused)
{
    (void)unused;
    return e->manager > 0 && e->admin == 0;
}

/* As pick_emp_, falling back to any non-admin staff member (tiny worlds). */
static int pick_emp(const gen_world *w, gen_rng *r, emp_pred pred, unsigned arg, int exclude)
{
    int e = pick_emp_(w, r, pred, arg, exclude);
    if (e < 0)
        e = pick_emp_(w, r, pred_staff, 0, exclude);
    return e >= 0 ? e : 1;
}

static int pred_admin(const gen_emp *e, unsigned sys) { return (int)((e->admin >> sys) & 1); }
static int pred_access_not_admin(const gen_emp *e, unsigned sys)
{
    return ((e->access >> sys) & 1) && !((e->admin >> sys) & 1) && e->manager > 0;
}
static int pred_eng_not_admin(const gen_emp *e, unsigned unused)
{
    (void)unused;
    return strcmp(e->dept, "Engineering") == 0 && e->admin == 0 && e->manager > 0;
}

static const unsigned k_leave_order[] = {
    GEN_LEAVE_NO_DEACT, GEN_LEAVE_LATE_30H, GEN_LEAVE_EXACT_24H, GEN_LEAVE_FAILED_ONLY, GEN_LEAVE_LATE_1S,
    GEN_LEAVE_SUSPEND, GEN_LEAVE_NO_DEACT, GEN_LEAVE_EARLY, GEN_LEAVE_OK,
};

static int build_people(gen_world *w, gen_rng *r)
{
    int failed = 0;
    size_t n = (size_t)GEN_BASE_EMPLOYEES * w->mild_milli / 1000;
    if (n < GEN_MIN_EMPLOYEES)
        n = GEN_MIN_EMPLOYEES;
    w->emp = as_calloc(n, sizeof *w->emp);
    if (w->emp == NULL)
        return -1;
    w->n_emp = n;

    /* Departments: 0 = CEO, 1..9 heads, then 5 SRE and 4 Security & IT, then by weight. */
    unsigned dept_of[1024];
    if (n > AS_ARRAY_LEN(dept_of))
        return -1;
    unsigned wsum = 0;
    for (size_t d = 0; d < GEN_N_DEPTS; d++)
        wsum += k_depts[d].weight;
    int heads[GEN_N_DEPTS];
    for (size_t i = 0; i < n; i++) {
        unsigned d;
        if (i < GEN_N_DEPTS)
            d = (unsigned)i;
        else if (i < GEN_N_DEPTS + 5)
            d = D_SRE;
        else if (i < GEN_N_DEPTS + 9)
            d = D_SECIT;
        else {
            unsigned u = (unsigned)gen_rng_below(r, wsum);
            for (d = 1; d < GEN_N_DEPTS - 1 && u >= k_depts[d].weight; d++)
                u -= k_depts[d].weight;
        }
        dept_of[i] = d;
        if (i < GEN_N_DEPTS)
            heads[i] = (int)i;
    }

    const int64_t hist_lo = as_days_from_civil(2017, 1, 9);
    for (size_t i = 0; i < n; i++) {
        gen_emp *e = &w->emp[i];
        const dept_def *dd = &k_depts[dept_of[i]];
        snprintf(e->id, sizeof e->id, "E%04u", (unsigned)(1001 + i));
        /* a unique (first, last) pair; logins and emails deduplicated by suffix */
        char email[96], login[48], name[96];
        for (int attempt = 0;; attempt++) {
            const name_pair *f = &k_first[gen_rng_below(r, AS_ARRAY_LEN(k_first))];
            const name_pair *l = &k_last[gen_rng_below(r, AS_ARRAY_LEN(k_last))];
            snprintf(name, sizeof name, "%s %s", f->display, l->display);
            snprintf(email, sizeof email, "%s.%s", f->ascii, l->ascii);
            snprintf(login, sizeof login, "%c%s", f->ascii[0], l->ascii);
            int clash = 0;
            for (size_t k = 0; k < i && !clash; k++)
                clash = strcmp(w->emp[k].name, name) == 0;
            if (!clash || attempt > 20)
                break;
        }
        char base_login[48], base_email[96];
        memcpy(base_login, login, sizeof login);
        memcpy(base_email, email, sizeof email);
        for (unsigned suffix = 2;; suffix++) {
            int clash = 0;
            for (size_t k = 0; k < i && !clash; k++)
                clash = strcmp(w->emp[k].login, login) == 0;
            if (!clash)
                break;
            snprintf(login, sizeof login, "%.36s%u", base_login, suffix);
        }
        for (unsigned suffix = 2;; suffix++) {
            char full[128];
            snprintf(full, sizeof full, "%s@" GEN_DOMAIN, email);
            int clash = 0;
            for (size_t k = 0; k < i && !clash; k++)
                clash = strcmp(w->emp[k].email, full) == 0;
            if (!clash) {
                e->email = wstr(w, full, &failed);
                break;
            }
            snprintf(email, sizeof email, "%.80s%u", base_email, suffix);
        }
        e->name = wstr(w, name, &failed);
        e->login = wstr(w, login, &failed);
        e->dept = dd->name;
        e->title = i < GEN_N_DEPTS ? dd->head_title : dd->titles[gen_rng_below(r, 3)];
        e->manager = i == 0 ? -1 : i < GEN_N_DEPTS ? 0 : heads[dept_of[i]];
        e->notes = gen_rng_permille(r, 80) ? k_notes[gen_rng_below(r, AS_ARRAY_LEN(k_notes))] : "";
        e->access = dd->access;
        if (dd->access_some && gen_rng_permille(r, 550))
            e->access |= dd->access_some;
        if (dept_of[i] == D_ENG && gen_rng_permille(r, 150))
            e->access |= S(GEN_SYS_DATABASE);
        e->uid = (uint32_t)(1001 + i);
        okta_id(r, "00u", e->okta_id);
        {
            char tmp[21];
            okta_id(r, "AIDA", tmp);
            for (char *c = tmp; *c; c++)
                if (*c >= 'a' && *c <= 'z')
                    *c = (char)(*c - 32);
            memcpy(e->aws_id, tmp, 21);
        }
        public_ip(r, e->ip);
        e->browser = (unsigned)gen_rng_below(r, GEN_N_BROWSERS);
        e->city = (unsigned)gen_rng_below(r, GEN_N_CITIES);
        /* hire: heads and the forced SRE/IT staff long before; 12% during the period */
        int64_t hire_day;
        if (i >= GEN_N_DEPTS + 9 && w->days >= 30 && gen_rng_permille(r, 120))
            hire_day = w->start_day + gen_rng_range(r, 2, (int64_t)w->days - 10);
        else
            hire_day = gen_rng_range(r, hist_lo, w->start_day - 30);
        e->hire_ms = hire_day * GEN_MS_PER_DAY + 13 * GEN_MS_PER_HOUR;
        e->term_ms = GEN_NEVER;
        e->deact_ms = GEN_NEVER;
        e->leave = GEN_LEAVE_NONE;
        e->ticket = "";
    }
    return failed ? -1 : 0;
}

static int build_roster(gen_world *w, gen_rng *r)
{
    /* admins among people who stay the whole period: SRE for linux/aws/database,
     * Security & IT for okta, Engineering/SRE leads for github */
    static const struct { unsigned sys, dept, count; } k_roster[] = {
        { GEN_SYS_OKTA, D_SECIT, 3 }, { GEN_SYS_AWS, D_SRE, 3 }, { GEN_SYS_LINUX, D_SRE, 5 },
        { GEN_SYS_GITHUB, D_SRE, 2 }, { GEN_SYS_GITHUB, D_ENG, 2 }, { GEN_SYS_DATABASE, D_SRE, 2 },
        { GEN_SYS_AWS, D_ENG, 1 },
    };
    unsigned ticket = 1000 + (unsigned)gen_rng_below(r, 200);
    int failed = 0;
    for (size_t k = 0; k < AS_ARRAY_LEN(k_roster); k++) {
        unsigned got = 0;
        for (size_t i = 1; i < w->n_emp && got < k_roster[k].count; i++) {
            gen_emp *e = &w->emp[i];
            if (strcmp(e->dept, k_depts[k_roster[k].dept].name) != 0 || ((e->admin >> k_roster[k].sys) & 1))
                continue;
            if (e->manager == 0)
                continue; /* department heads approve the roster; they are not on it */
            e->admin |= S(k_roster[k].sys);
            e->access |= S(k_roster[k].sys);
            got++;
        }
    }
    for (size_t i = 0; i < w->n_emp; i++)
        if (w->emp[i].admin) {
            char t[16];
            snprintf(t, sizeof t, "CHG-%u", ticket);
            ticket += 1 + (unsigned)gen_rng_below(r, 9);
            w->emp[i].ticket = wstr(w, t, &failed);
        }
    return failed ? -1 : 0;
}

static void build_leavers(gen_world *w, gen_rng *r)
{
    size_t n_leave = w->n_emp * 8 / 100;
    if (n_leave < AS_ARRAY_LEN(k_leave_order))
        n_leave = AS_ARRAY_LEN(k_leave_order);
    size_t n_before = w->n_emp * 5 / 100;
    if (n_before < 3)
        n_before = 3;
    /* candidates: not heads or the fixed SRE/IT staff, not admins, hired
     * well before the period; visited in a seeded random order */
    uint32_t order[1024];
    size_t n_cand = 0;
    for (size_t i = GEN_N_DEPTS + 9; i < w->n_emp && n_cand < AS_ARRAY_LEN(order); i++)
        order[n_cand++] = (uint32_t)i;
    gen_rng_shuffle(r, order, n_cand);
    size_t picked = 0, before = 0;
    for (size_t k = 0; k < n_cand && (picked < n_leave || before < n_before); k++) {
        gen_emp *e = &w->emp[order[k]];
        if (e->admin || e->leave != GEN_LEAVE_NONE || e->hire_ms > w->start_ms - 60 * GEN_MS_PER_DAY)
            continue;
        if (picked < n_leave) {
            e->leave = picked < AS_ARRAY_LEN(k_leave_order) ? (gen_leave)k_leave_order[picked] : GEN_LEAVE_OK;
            /* terminations spread over [start + 1, end - 4] days */
            int64_t span = (int64_t)w->days - 5;
            int64_t day = w->start_day + 1 + span * (int64_t)(picked + 1) / (int64_t)(n_leave + 1);
            unsigned hour = 12 + (unsigned)gen_rng_below(r, 10); /* 12:00 .. 21:00 UTC */
            e->term_ms = day * GEN_MS_PER_DAY + (int64_t)hour * GEN_MS_PER_HOUR +
                         (gen_rng_permille(r, 500) ? 30 * GEN_MS_PER_MIN : 0);
            switch (e->leave) {
            case GEN_LEAVE_OK: e->deact_ms = e->term_ms + gen_rng_range(r, 1 * GEN_MS_PER_HOUR, 20 * GEN_MS_PER_HOUR); break;
            case GEN_LEAVE_EARLY: e->deact_ms = e->term_ms - 2 * GEN_MS_PER_HOUR; break;
            case GEN_LEAVE_SUSPEND: e->deact_ms = e->term_ms + 3 * GEN_MS_PER_HOUR; break;
            case GEN_LEAVE_EXACT_24H: e->deact_ms = e->term_ms + 24 * GEN_MS_PER_HOUR; break;
            case GEN_LEAVE_LATE_1S: e->deact_ms = e->term_ms + 24 * GEN_MS_PER_HOUR + GEN_MS_PER_SEC; break;
            case GEN_LEAVE_LATE_30H: e->deact_ms = e->term_ms + 30 * GEN_MS_PER_HOUR; break;
            case GEN_LEAVE_FAILED_ONLY: e->deact_ms = e->term_ms + 4 * GEN_MS_PER_HOUR; break;
            default: e->deact_ms = GEN_NEVER; break;
            }
            picked++;
        } else {
            e->leave = GEN_LEAVE_BEFORE;
            int64_t lo = e->hire_ms / GEN_MS_PER_DAY + 30, hi = w->start_day - 20;
            int64_t day = lo < hi ? gen_rng_range(r, lo, hi) : hi;
            e->term_ms = day * GEN_MS_PER_DAY + 17 * GEN_MS_PER_HOUR;
            before++;
        }
    }
}

static int plan(gen_plan_vec *v, int kind, int64_t t, int emp, int host, int aux, const char *ticket, int *failed)
{
    gen_plan_ev ev = { kind, t, emp, host, aux, ticket };
    if (push_plan(v, ev) != 0)
        *failed = 1;
    return 0;
}

static int find_leaver(const gen_world *w, gen_leave kind, int nth)
{
    for (size_t i = 0; i < w->n_emp; i++)
        if (w->emp[i].leave == kind && nth-- == 0)
            return (int)i;
    return -1;
}

static void build_okta_plan(gen_world *w, gen_rng *r, int *failed)
{
    int e;
    if ((e = find_leaver(w, GEN_LEAVE_NO_DEACT, 0)) >= 0)
        plan(&w->okta, GEN_OKTA_LOGIN_AFTER_TERM, w->emp[e].term_ms + 2 * GEN_MS_PER_DAY - 3 * GEN_MS_PER_HOUR + 17123,
             e, -1, 0, NULL, failed);
    if ((e = find_leaver(w, GEN_LEAVE_LATE_30H, 0)) >= 0)
        plan(&w->okta, GEN_OKTA_LOGIN_AFTER_TERM, w->emp[e].term_ms + 26 * GEN_MS_PER_HOUR + 4321, e, -1, 0, NULL,
             failed);
    if ((e = find_leaver(w, GEN_LEAVE_LATE_1S, 0)) >= 0)
        plan(&w->okta, GEN_OKTA_LOGIN_AFTER_TERM, w->emp[e].term_ms + GEN_MS_PER_SEC, e, -1, 0, NULL, failed);
    if ((e = find_leaver(w, GEN_LEAVE_EXACT_24H, 0)) >= 0)
        plan(&w->okta, GEN_OKTA_LOGIN_AT_TERM, w->emp[e].term_ms, e, -1, 0, NULL, failed);

    static const unsigned k_nomfa_at[] = { 120, 370, 620, 870 };
    int okta_admins[8], n_okta_admins = 0;
    for (size_t i = 0; i < w->n_emp && n_okta_admins < 8; i++)
        if (pred_admin(&w->emp[i], GEN_SYS_OKTA) && stays_all_period(w, &w->emp[i]))
            okta_admins[n_okta_admins++] = (int)i;
    for (size_t k = 0; k < AS_ARRAY_LEN(k_nomfa_at) && n_okta_admins; k++) {
        int a = okta_admins[(k + gen_rng_below(r, 2)) % (size_t)n_okta_admins];
        plan(&w->okta, GEN_OKTA_ADMIN_NO_MFA, business_time(w, r, frac_day(w, k_nomfa_at[k])), a, -1, 0, NULL,
             failed);
    }
    /* privileged changes with the roster ticket: fine */
    static const struct { unsigned sys, group, at; } k_ok[] = {
        { GEN_SYS_OKTA, G_OKTA_ADMINS, 90 }, { GEN_SYS_AWS, G_AWS_ADMINS, 310 },
        { GEN_SYS_GITHUB, G_GH_OWNERS, 540 }, { GEN_SYS_DATABASE, G_DB_ADMINS, 760 },
    };
    for (size_t k = 0; k < AS_ARRAY_LEN(k_ok); k++) {
        int a = pick_emp(w, r, pred_admin, k_ok[k].sys, -1);
        if (a >= 0)
            plan(&w->okta, GEN_OKTA_PRIV_ADD, business_time(w, r, frac_day(w, k_ok[k].at)), a, -1, (int)k_ok[k].group,
                 w->emp[a].ticket, failed);
    }
    int a = pick_emp(w, r, pred_admin, GEN_SYS_OKTA, -1);
    plan(&w->okta, GEN_OKTA_PRIV_GRANT, business_time(w, r, frac_day(w, 450)), a, -1, 0, w->emp[a].ticket, failed);
    /* without a ticket: deviations (no key, an empty string, no key) */
    int x = pick_emp(w, r, pred_eng_not_admin, 0, -1);
    plan(&w->okta, GEN_OKTA_PRIV_ADD, business_time(w, r, frac_day(w, 230)), x, -1, G_AWS_ADMINS, NULL, failed);
    x = pick_emp(w, r, pred_eng_not_admin, 0, x);
    plan(&w->okta, GEN_OKTA_PRIV_ADD, business_time(w, r, frac_day(w, 680)), x, -1, G_OKTA_ADMINS, "", failed);
    x = pick_emp(w, r, pred_eng_not_admin, 0, x);
    plan(&w->okta, GEN_OKTA_PRIV_GRANT, business_time(w, r, frac_day(w, 820)), x, -1, 0, NULL, failed);
    /* the formula-named external user fails to sign in three times */
    static const unsigned k_hostile_at[] = { 200, 500, 800 };
    for (size_t k = 0; k < AS_ARRAY_LEN(k_hostile_at); k++)
        plan(&w->okta, GEN_OKTA_HOSTILE_FAIL, business_time(w, r, frac_day(w, k_hostile_at[k])), -1, -1, 0, NULL,
             failed);
}

static void build_ct_plan(gen_world *w, gen_rng *r, int *failed)
{
    static const unsigned k_at[] = { 200, 500, 800 };
    int prev = -1;
    for (size_t k = 0; k < AS_ARRAY_LEN(k_at); k++) {
        int e = pick_emp(w, r, pred_access_not_admin, GEN_SYS_AWS, prev);
        plan(&w->ct, GEN_CT_IAM_NO_MFA, business_time(w, r, frac_day(w, k_at[k])), e, -1, 0, NULL, failed);
        prev = e;
    }
    int64_t t = business_time(w, r, frac_day(w, 330));
    plan(&w->ct, GEN_CT_ROOT_NO_MFA, t, -1, -1, 0, NULL, failed);
    plan(&w->ct, GEN_CT_ROOT_API, t + 3 * GEN_MS_PER_MIN + 12000, -1, -1, 0, NULL, failed);
    plan(&w->ct, GEN_CT_ROOT_API, t + 7 * GEN_MS_PER_MIN + 41000, -1, -1, 1, NULL, failed);
    t = business_time(w, r, frac_day(w, 700));
    plan(&w->ct, GEN_CT_ROOT_MFA, t, -1, -1, 0, NULL, failed);
    plan(&w->ct, GEN_CT_ROOT_API, t + 5 * GEN_MS_PER_MIN + 3000, -1, -1, 2, NULL, failed);
    int e = pick_emp(w, r, pred_access_not_admin, GEN_SYS_AWS, -1);
    plan(&w->ct, GEN_CT_IAM_MFA_UPPER, business_time(w, r, frac_day(w, 450)), e, -1, 0, NULL, failed);
}

static void build_auth_plan(gen_world *w, gen_rng *r, int *failed)
{
    static const struct { const char *host; int kind; unsigned at; } k_auth[] = {
        { "build-01", GEN_AUTH_SUDO_NOT_IN_SUDOERS, 180 }, { "k8s-node-01", GEN_AUTH_SUDO_NOT_IN_SUDOERS, 580 },
        { "build-01", GEN_AUTH_SUDO_UNLISTED, 300 }, { "api-01", GEN_AUTH_SUDO_UNLISTED, 760 },
        { "bastion-01", GEN_AUTH_SSH_PASSWORD, 220 }, { "db-01", GEN_AUTH_SSH_PASSWORD, 500 },
        { "k8s-node-01", GEN_AUTH_SSH_PASSWORD, 680 }, { "log-01", GEN_AUTH_SSH_KBDINT, 410 },
        { "db-01", GEN_AUTH_SSH_ROOT, 350 }, { "web-02", GEN_AUTH_SSH_ROOT, 900 },
    };
    int prev = -1;
    for (size_t k = 0; k < AS_ARRAY_LEN(k_auth); k++) {
        int h = gen_world_host(w, k_auth[k].host);
        int64_t day = frac_day(w, k_auth[k].at);
        if (h == w->gap_auth_host && day == w->gap_auth_day)
            day = day + 1 < w->start_day + (int64_t)w->days ? day + 1 : day - 1;
        int e = -1;
        if (k_auth[k].kind == GEN_AUTH_SUDO_NOT_IN_SUDOERS || k_auth[k].kind == GEN_AUTH_SUDO_UNLISTED ||
            k_auth[k].kind == GEN_AUTH_SSH_PASSWORD || k_auth[k].kind == GEN_AUTH_SSH_KBDINT)
            e = prev = pick_emp(w, r, pred_access_not_admin, GEN_SYS_LINUX, prev);
        int64_t t = day * GEN_MS_PER_DAY + gen_rng_range(r, 14 * GEN_MS_PER_HOUR, 22 * GEN_MS_PER_HOUR);
        plan(&w->auth, k_auth[k].kind, t, e, h, 0, NULL, failed);
    }
}

static void build_backup_plan(gen_world *w, int *failed)
{
    static const struct { const char *host; int kind; unsigned at; } k_bk[] = {
        { "db-01", GEN_BACKUP_FAIL_ONLY, 150 }, { "bastion-01", GEN_BACKUP_FAIL_ONLY, 470 },
        { "log-01", GEN_BACKUP_FAIL_ONLY, 790 }, { "build-01", GEN_BACKUP_MISSED, 270 },
        { "db-01", GEN_BACKUP_MISSED, 610 }, { "bastion-01", GEN_BACKUP_MISSED, 900 },
        { "db-01", GEN_BACKUP_FAIL_RETRY, 330 }, { "build-01", GEN_BACKUP_FAIL_RETRY, 720 },
        { "log-01", GEN_BACKUP_LATE_START, 400 },
    };
    for (size_t k = 0; k < AS_ARRAY_LEN(k_bk); k++) {
        int h = gen_world_host(w, k_bk[k].host);
        int64_t day = frac_day(w, k_bk[k].at);
        for (int moved = 1; moved;) { /* one special day per host and day */
            moved = 0;
            for (size_t i = 0; i < w->backup.n; i++)
                if (w->backup.v[i].host == h && w->backup.v[i].t_ms / GEN_MS_PER_DAY == day) {
                    day = day + 1 < w->start_day + (int64_t)w->days ? day + 1 : w->start_day;
                    moved = 1;
                }
        }
        plan(&w->backup, k_bk[k].kind, day * GEN_MS_PER_DAY, -1, h, 0, NULL, failed);
    }
}

as_code gen_world_build(gen_world *w, uint64_t seed, int64_t start_day, unsigned days, uint32_t mild_milli,
                        as_err *err)
{
    memset(w, 0, sizeof *w);
    as_arena_init(&w->ar, 0);
    w->seed = seed;
    w->start_day = start_day;
    w->days = days;
    w->start_ms = start_day * GEN_MS_PER_DAY;
    w->end_ms = (start_day + days) * GEN_MS_PER_DAY;
    w->mild_milli = mild_milli;
    w->hosts = k_hosts;
    w->n_hosts = AS_ARRAY_LEN(k_hosts);
    w->cities = k_cities;
    w->browsers = k_browsers;
    w->hostile_name = "=cmd|' /C calc'!A0";
    w->hostile_login = "ext.audit@partner.example";

    gen_rng r;
    gen_rng_seed(&r, seed, "world", 0);
    for (size_t g = 0; g < GEN_N_GROUPS; g++) {
        w->groups[g].name = k_groups[g].name;
        w->groups[g].privileged = k_groups[g].privileged;
        okta_id(&r, "00g", w->groups[g].id);
    }
    int failed = 0;
    if (build_people(w, &r) != 0 || build_roster(w, &r) != 0) {
        gen_world_fini(w);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    }
    build_leavers(w, &r);
    w->gap_auth_host = gen_world_host(w, "web-02");
    w->gap_auth_day = frac_day(w, 550);
    w->gap_web_day = frac_day(w, 444);
    build_okta_plan(w, &r, &failed);
    build_ct_plan(w, &r, &failed);
    build_auth_plan(w, &r, &failed);
    build_backup_plan(w, &failed);
    if (failed) {
        gen_world_fini(w);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    }
    gen_plan_vec *vecs[] = { &w->okta, &w->ct, &w->auth, &w->backup };
    for (size_t k = 0; k < AS_ARRAY_LEN(vecs); k++)
        if (vecs[k]->n)
            qsort(vecs[k]->v, vecs[k]->n, sizeof *vecs[k]->v, cmp_plan);
    return AS_OK;
}

void gen_world_fini(gen_world *w)
{
    as_free(w->emp);
    as_free(w->okta.v);
    as_free(w->ct.v);
    as_free(w->auth.v);
    as_free(w->backup.v);
    as_arena_fini(&w->ar);
    memset(w, 0, sizeof *w);
}

static const char *leave_name(gen_leave l)
{
    switch (l) {
    case GEN_LEAVE_OK: return "deactivated";
    case GEN_LEAVE_EARLY: return "deactivated_before_termination";
    case GEN_LEAVE_SUSPEND: return "suspended";
    case GEN_LEAVE_EXACT_24H: return "deactivated_exactly_24h";
    case GEN_LEAVE_LATE_1S: return "deactivated_24h_plus_1s";
    case GEN_LEAVE_LATE_30H: return "deactivated_30h";
    case GEN_LEAVE_NO_DEACT: return "not_deactivated";
    case GEN_LEAVE_FAILED_ONLY: return "deactivation_failed";
    case GEN_LEAVE_BEFORE: return "left_before_period";
    default: return "none";
    }
}

const char *gen_world_json(gen_world *w)
{
    as_buf b = AS_BUF_INIT;
    gen_json j;
    char tmp[GEN_FMT_TIME_MAX];
    gen_json_begin(&j, &b);
    gen_json_obj(&j);
    gen_json_kstr(&j, "company", "Northwind Analytics");
    gen_json_kstr(&j, "domain", GEN_DOMAIN);
    gen_json_kstr(&j, "aws_account", GEN_AWS_ACCT);
    gen_json_kint(&j, "employees", (int64_t)w->n_emp);
    size_t hires = 0;
    for (size_t i = 0; i < w->n_emp; i++)
        hires += w->emp[i].hire_ms >= w->start_ms;
    gen_json_kint(&j, "hires_in_period", (int64_t)hires);
    gen_json_karr(&j, "hosts");
    for (size_t i = 0; i < w->n_hosts; i++)
        gen_json_str(&j, w->hosts[i].name);
    gen_json_end_arr(&j);
    gen_json_kobj(&j, "admins");
    for (unsigned s = 0; s < GEN_SYS_N; s++) {
        gen_json_karr(&j, gen_sys_name((gen_sys)s));
        for (size_t i = 0; i < w->n_emp; i++)
            if ((w->emp[i].admin >> s) & 1)
                gen_json_str(&j, s == GEN_SYS_OKTA ? w->emp[i].email : w->emp[i].login);
        gen_json_end_arr(&j);
    }
    gen_json_end_obj(&j);
    gen_json_karr(&j, "leavers");
    for (size_t i = 0; i < w->n_emp; i++) {
        const gen_emp *e = &w->emp[i];
        if (e->leave == GEN_LEAVE_NONE || e->leave == GEN_LEAVE_BEFORE)
            continue;
        gen_json_obj(&j);
        gen_json_kstr(&j, "email", e->email);
        gen_json_kstr(&j, "username", e->login);
        gen_fmt_iso_s(tmp, e->term_ms);
        gen_json_kstr(&j, "termination", tmp);
        gen_json_kstr(&j, "handling", leave_name(e->leave));
        gen_json_key(&j, "okta_event_time");
        if (e->deact_ms == GEN_NEVER)
            gen_json_null(&j);
        else {
            gen_fmt_iso_s(tmp, e->deact_ms);
            gen_json_str(&j, tmp);
        }
        gen_json_end_obj(&j);
    }
    gen_json_end_arr(&j);
    gen_json_end_obj(&j);
    const char *out = "{}";
    if (!j.failed) {
        char *p = as_arena_strndup(&w->ar, b.data, b.len);
        if (p != NULL)
            out = p;
    }
    as_buf_fini(&b);
    return out;
}
