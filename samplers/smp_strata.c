/* smp_strata.c: strata of a population (see smp.h "Strata"): period labels
 * (month, ISO week, quarter, in UTC), a tally of items per label, and the
 * allocation of a sample to strata: proportional with a minimum per stratum,
 * rounded by largest remainder, in exact integers.
 *
 * Allocation (docs/sampling.md "Stratified"):
 *   1. every stratum is owed min(m, N_h);
 *   2. the strata whose proportional share of what is left would fall below
 *      what they are owed keep that and leave the pool; repeat until none does;
 *   3. the pool's strata share the rest n' in proportion to N_h: floor of
 *      n' N_h / N', then one more to the largest remainders (n' N_h mod N'),
 *      ties to the stratum that sorts first.
 * A share never exceeds N_h (n' <= N'), so no stratum is asked for more items
 * than it has.
 */
#include "samplers/smp.h"

#include <stdio.h>   /* snprintf */
#include <stdlib.h>  /* qsort */
#include <string.h>  /* memcpy, memcmp */

/* "YYYY" + sep + the number in w digits, without printf (a label is made
 * for every record of a stratified pass); years outside 0..9999 go
 * through snprintf. */
static size_t label_fmt(char out[SMP_LABEL_MAX], int64_t y, const char *sep, unsigned v, unsigned w)
{
    if (y < 0 || y > 9999 || v >= 100)
        return 0;
    size_t n = 0;
    out[n++] = (char)('0' + y / 1000);
    out[n++] = (char)('0' + y / 100 % 10);
    out[n++] = (char)('0' + y / 10 % 10);
    out[n++] = (char)('0' + y % 10);
    while (*sep)
        out[n++] = *sep++;
    if (w == 2)
        out[n++] = (char)('0' + v / 10);
    out[n++] = (char)('0' + v % 10);
    out[n] = '\0';
    return n;
}

size_t smp_period_label(smp_period p, as_time t, char out[SMP_LABEL_MAX])
{
    int64_t y;
    unsigned m, d;
    int64_t days = as_time_day(t, 0);
    as_civil_from_days(days, &y, &m, &d);
    int n = 0;
    size_t q = 0;
    switch (p) {
    case SMP_PERIOD_MONTH:
        if ((q = label_fmt(out, y, "-", m, 2)) != 0)
            return q;
        n = snprintf(out, SMP_LABEL_MAX, "%04lld-%02u", (long long)y, m);
        break;
    case SMP_PERIOD_QUARTER:
        if ((q = label_fmt(out, y, "Q", (m - 1) / 3 + 1, 1)) != 0)
            return q;
        n = snprintf(out, SMP_LABEL_MAX, "%04lldQ%u", (long long)y, (m - 1) / 3 + 1);
        break;
    case SMP_PERIOD_WEEK: {
        /* ISO 8601: the week's Thursday decides the year */
        unsigned wd = as_weekday_from_days(days);   /* 0 = Monday */
        int64_t thu = days - wd + 3, ty;
        unsigned tm, td;
        as_civil_from_days(thu, &ty, &tm, &td);
        int64_t jan1 = as_days_from_civil(ty, 1, 1);
        unsigned week = (unsigned)((thu - jan1) / 7 + 1);
        if ((q = label_fmt(out, ty, "-W", week, 2)) != 0)
            return q;
        n = snprintf(out, SMP_LABEL_MAX, "%04lld-W%02u", (long long)ty, week);
        break;
    }
    }
    return n > 0 ? (size_t)n : 0;
}

int smp_period_from_name(const char *s, smp_period *out)
{
    static const char *const names[] = { "month", "week", "quarter" };
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (smp_period)i;
            return 0;
        }
    return -1;
}

/* ---- tally: label -> count, value; open addressing on an FNV-1a hash ---- */

static uint64_t fnv(as_slice s)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.len; i++)
        h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ull;
    return h;
}

void smp_tally_init(smp_tally *t)
{
    memset(t, 0, sizeof *t);
}

void smp_tally_fini(smp_tally *t)
{
    for (size_t i = 0; i < t->cap; i++)
        as_free(t->slot[i].label);
    as_free(t->slot);
    memset(t, 0, sizeof *t);
}

static smp_tally_ent *find(smp_tally *t, as_slice label, int *found)
{
    size_t mask = t->cap - 1, i = (size_t)fnv(label) & mask;
    for (;; i = (i + 1) & mask) {
        smp_tally_ent *e = &t->slot[i];
        if (e->label == NULL) {
            *found = 0;
            return e;
        }
        if (e->label_len == label.len && memcmp(e->label, label.ptr, label.len) == 0) {
            *found = 1;
            return e;
        }
    }
}

static int rehash(smp_tally *t, size_t cap)
{
    smp_tally_ent *old = t->slot;
    size_t ocap = t->cap;
    t->slot = as_calloc(cap, sizeof *t->slot);
    if (t->slot == NULL) {
        t->slot = old;
        return -1;
    }
    t->cap = cap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].label) {
            int f;
            *find(t, (as_slice){ old[i].label, old[i].label_len }, &f) = old[i];
        }
    as_free(old);
    return 0;
}

smp_tally_ent *smp_tally_get(smp_tally *t, as_slice label)
{
    if ((t->n + 1) * 2 > t->cap && rehash(t, t->cap ? 2 * t->cap : 16) != 0)
        return NULL;
    int f;
    smp_tally_ent *e = find(t, label, &f);
    if (!f) {
        e->label = as_malloc(label.len + 1);
        if (e->label == NULL)
            return NULL;
        memcpy(e->label, label.ptr, label.len);
        e->label[label.len] = '\0';
        e->label_len = label.len;
        e->count = 0;
        e->value = 0;
        e->index = 0;
        t->n++;
    }
    return e;
}

const smp_tally_ent *smp_tally_find(const smp_tally *t, as_slice label)
{
    if (t->cap == 0)
        return NULL;
    size_t mask = t->cap - 1, i = (size_t)fnv(label) & mask;
    for (;; i = (i + 1) & mask) {
        const smp_tally_ent *e = &t->slot[i];
        if (e->label == NULL)
            return NULL;
        if (e->label_len == label.len && memcmp(e->label, label.ptr, label.len) == 0)
            return e;
    }
}

as_code smp_tally_add(smp_tally *t, as_slice label, uint64_t count, unsigned __int128 value)
{
    smp_tally_ent *e = smp_tally_get(t, label);
    if (e == NULL)
        return AS_ERR_NOMEM;
    e->count += count;
    e->value += value;
    return AS_OK;
}

as_code smp_tally_merge(smp_tally *dst, const smp_tally *src)
{
    for (size_t i = 0; i < src->cap; i++)
        if (src->slot[i].label)
            AS_TRY(smp_tally_add(dst, (as_slice){ src->slot[i].label, src->slot[i].label_len },
                                 src->slot[i].count, src->slot[i].value));
    return AS_OK;
}

static int lab_cmp(const void *a, const void *b)
{
    const smp_tally_ent *x = *(const smp_tally_ent *const *)a, *y = *(const smp_tally_ent *const *)b;
    return as_slice_cmp((as_slice){ x->label, x->label_len }, (as_slice){ y->label, y->label_len });
}

smp_tally_ent **smp_tally_sorted(smp_tally *t)
{
    smp_tally_ent **v = as_calloc(t->n ? t->n : 1, sizeof(smp_tally_ent *));
    if (v == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].label)
            v[k++] = &t->slot[i];
    qsort(v, k, sizeof(smp_tally_ent *), lab_cmp);
    for (size_t i = 0; i < k; i++)
        v[i]->index = i;
    return v;
}

/* ---- allocation ---- */

as_code smp_allocate(const uint64_t *N_h, size_t S, uint64_t n, uint64_t min_h, uint64_t *n_h, as_err *err)
{
    uint64_t N = 0, owed_total = 0;
    for (size_t h = 0; h < S; h++) {
        N += N_h[h];
        owed_total += AS_MIN(min_h, N_h[h]);
    }
    if (n >= N) {                                   /* 100%: every item of every stratum */
        for (size_t h = 0; h < S; h++)
            n_h[h] = N_h[h];
        return AS_OK;
    }
    if (owed_total > n)
        return as_err_set(err, AS_ERR_USAGE, (as_loc){0},
                          "a sample of %llu cannot give %llu items to each of %zu strata (%llu needed): raise "
                          "--size or lower --min-per-stratum",
                          (unsigned long long)n, (unsigned long long)min_h, S, (unsigned long long)owed_total);
    uint8_t *fixed = as_calloc(S ? S : 1, 1);
    if (fixed == NULL)
        return AS_ERR_NOMEM;
    for (size_t h = 0; h < S; h++)
        n_h[h] = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        uint64_t pool_n = n, pool_N = 0;
        for (size_t h = 0; h < S; h++) {
            if (fixed[h])
                pool_n -= n_h[h];
            else
                pool_N += N_h[h];
        }
        for (size_t h = 0; h < S; h++) {
            if (fixed[h] || pool_N == 0)
                continue;
            uint64_t owed = AS_MIN(min_h, N_h[h]);
            unsigned __int128 share_num = (unsigned __int128)pool_n * N_h[h];  /* share = num / pool_N */
            if (share_num < (unsigned __int128)owed * pool_N) {
                fixed[h] = 1;
                n_h[h] = owed;
                changed = 1;
            }
        }
    }
    uint64_t pool_n = n, pool_N = 0, given = 0;
    for (size_t h = 0; h < S; h++) {
        if (fixed[h])
            pool_n -= n_h[h];
        else
            pool_N += N_h[h];
    }
    for (size_t h = 0; h < S; h++)
        if (!fixed[h] && pool_N) {
            n_h[h] = (uint64_t)((unsigned __int128)pool_n * N_h[h] / pool_N);
            given += n_h[h];
        }
    /* pool_N is never 0 here (the minimums fit in n, so some stratum with items
     * keeps its proportional share); the test makes that visible to the analyzer */
    while (given < pool_n && pool_N > 0) {            /* largest remainder, first stratum on a tie */
        size_t best = S;
        uint64_t best_r = 0;
        for (size_t h = 0; h < S; h++) {
            if (fixed[h])
                continue;
            uint64_t r = (uint64_t)((unsigned __int128)pool_n * N_h[h] % pool_N);
            if (best == S || r > best_r) {
                best = h;
                best_r = r;
            }
        }
        if (best == S)
            break;
        n_h[best]++;
        fixed[best] = 2;                              /* one extra at most */
        given++;
    }
    as_free(fixed);
    return AS_OK;
}
