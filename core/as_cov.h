/* as_cov.h: time coverage of a population: how many records fall in each
 * bucket (a day by default, or --gap's width) and which buckets inside a
 * range have none. This is the completeness evidence of `assay scan` (a day
 * without a single log line from a source is seen at a glance) and what
 * cadence tests and the report's coverage chart read.
 *
 * Buckets are aligned to the Unix epoch in UTC (a day bucket is a UTC day),
 * kept sparse in a sorted array, so a stray timestamp decades away costs one
 * entry, not a gap of millions. Times are added in stream order so that the
 * out-of-order count means "earlier than the record before it".
 * Thread-safety: one accumulator per thread or per input; merge them after.
 */
#ifndef ASSAY_AS_COV_H
#define ASSAY_AS_COV_H

#include "core/as_def.h"
#include "core/as_time.h"

#define AS_COV_DAY 86400  /* s: the default bucket */

typedef struct as_cov_bucket {
    int64_t  idx;    /* floor(sec / width) */
    uint64_t count;  /* records in it */
} as_cov_bucket;

typedef struct as_cov {
    int64_t        width;        /* bucket width, seconds (>= 1) */
    uint64_t       n;            /* times added */
    as_time        first, last;  /* earliest and latest (not the first and last added) */
    int64_t        prev_sec;     /* the last added, for out_of_order */
    int32_t        prev_nsec;
    uint64_t       out_of_order; /* added times earlier than the one added before */
    as_cov_bucket *b;            /* sorted by idx; owned */
    size_t         n_b, cap_b;
    size_t         hint;         /* index of the last bucket hit (logs are mostly in order) */
} as_cov;

/* A run of consecutive empty buckets: [from, to) in seconds. */
typedef struct as_cov_gap {
    int64_t  from, to;
    uint64_t buckets;  /* (to - from) / width */
} as_cov_gap;

void as_cov_init(as_cov *c, int64_t width_sec);
void as_cov_fini(as_cov *c);
/* Adds one valid time; 0, or -1 when memory runs out (nothing changed). */
int  as_cov_add(as_cov *c, as_time t) AS_MUST_USE;
/* Adds src's buckets and extremes to dst (same width); out-of-order counts
 * add up. 0 or -1 (out of memory). */
int  as_cov_merge(as_cov *dst, const as_cov *src) AS_MUST_USE;
/* Records in buckets whose start lies in [from_sec, to_sec). */
uint64_t as_cov_count_in(const as_cov *c, int64_t from_sec, int64_t to_sec);
/* The empty runs of buckets between the bucket holding from_sec and the one
 * holding to_sec, both included: writes the first cap runs to out and
 * returns how many runs there are; *n_empty (may be NULL) gets the number of
 * empty buckets. With no records at all the whole range is one gap. */
size_t as_cov_gaps(const as_cov *c, int64_t from_sec, int64_t to_sec, as_cov_gap *out, size_t cap,
                   uint64_t *n_empty);
/* floor(sec / width) * width: the start of sec's bucket. */
int64_t as_cov_bucket_start(const as_cov *c, int64_t sec);

#endif
