/* as_cov.c: sparse time-bucket coverage (see as_cov.h). Insertion keeps the
 * array sorted; the hint makes the common case (the same or the next bucket
 * as the record before) O(1). */
#include "core/as_cov.h"

#include <string.h>  /* memmove, memset */

#include "core/as_alloc.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void as_cov_init(as_cov *c, int64_t width_sec)
{
    memset(c, 0, sizeof *c);
    c->width = width_sec > 0 ? width_sec : AS_COV_DAY;
}

void as_cov_fini(as_cov *c)
{
    as_free(c->b);
    memset(c, 0, sizeof *c);
}

int64_t as_cov_bucket_start(const as_cov *c, int64_t sec)
{
    return floor_div(sec, c->width) * c->width;
}

/* Index of the first bucket with idx >= key. */
static size_t lower_bound(const as_cov *c, int64_t key)
{
    size_t lo = 0, hi = c->n_b;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->b[mid].idx < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int add_count(as_cov *c, int64_t idx, uint64_t count)
{
    size_t i;
    if (c->n_b && c->hint < c->n_b && c->b[c->hint].idx == idx) {
        i = c->hint;
    } else if (c->n_b && c->hint + 1 < c->n_b && c->b[c->hint + 1].idx == idx) {
        i = c->hint + 1;
    } else {
        i = lower_bound(c, idx);
        if (i == c->n_b || c->b[i].idx != idx) {
            if (c->n_b == c->cap_b) {
                size_t ncap = c->cap_b ? c->cap_b * 2 : 64;
                as_cov_bucket *nb = as_realloc(c->b, ncap * sizeof *nb);
                if (nb == NULL)
                    return -1;
                c->b = nb;
                c->cap_b = ncap;
            }
            memmove(c->b + i + 1, c->b + i, (c->n_b - i) * sizeof *c->b);
            c->b[i] = (as_cov_bucket){ idx, 0 };
            c->n_b++;
        }
    }
    c->b[i].count += count;
    c->hint = i;
    return 0;
}

static void extremes(as_cov *c, as_time t)
{
    if (c->n == 0 || as_time_cmp(t, c->first) < 0)
        c->first = t;
    if (c->n == 0 || as_time_cmp(t, c->last) > 0)
        c->last = t;
}

int as_cov_add(as_cov *c, as_time t)
{
    if (add_count(c, floor_div(t.sec, c->width), 1) != 0)
        return -1;
    if (c->n && (t.sec < c->prev_sec || (t.sec == c->prev_sec && t.nsec < c->prev_nsec)))
        c->out_of_order++;
    extremes(c, t);
    c->prev_sec = t.sec;
    c->prev_nsec = t.nsec;
    c->n++;
    return 0;
}

int as_cov_merge(as_cov *dst, const as_cov *src)
{
    for (size_t i = 0; i < src->n_b; i++)
        if (add_count(dst, src->b[i].idx, src->b[i].count) != 0)
            return -1;
    if (src->n) {
        if (dst->n == 0) {
            dst->first = src->first;
            dst->last = src->last;
            dst->prev_sec = src->prev_sec;
            dst->prev_nsec = src->prev_nsec;
        } else {
            extremes(dst, src->first);
            extremes(dst, src->last);
        }
        dst->n += src->n;
    }
    dst->out_of_order += src->out_of_order;
    return 0;
}

uint64_t as_cov_count_in(const as_cov *c, int64_t from_sec, int64_t to_sec)
{
    uint64_t n = 0;
    for (size_t i = lower_bound(c, floor_div(from_sec, c->width) + (from_sec % c->width != 0));
         i < c->n_b && c->b[i].idx * c->width < to_sec; i++)
        n += c->b[i].count;
    return n;
}

size_t as_cov_gaps(const as_cov *c, int64_t from_sec, int64_t to_sec, as_cov_gap *out, size_t cap,
                   uint64_t *n_empty)
{
    int64_t lo = floor_div(from_sec, c->width), hi = floor_div(to_sec, c->width);
    size_t runs = 0;
    uint64_t empty = 0;
    int64_t next = lo;  /* first bucket not yet accounted for */
    for (size_t i = lower_bound(c, lo); next <= hi; i++) {
        int64_t stop = (i < c->n_b && c->b[i].idx <= hi) ? c->b[i].idx : hi + 1;
        if (stop > next) {
            if (runs < cap)
                out[runs] = (as_cov_gap){ next * c->width, stop * c->width, (uint64_t)(stop - next) };
            runs++;
            empty += (uint64_t)(stop - next);
        }
        next = stop + 1;
        if (i >= c->n_b)
            break;
    }
    if (n_empty)
        *n_empty = empty;
    return runs;
}
