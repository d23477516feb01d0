/* rul_int.h: what the run (rul_run.c), the tests (rul_test.c) and the
 * writers (rul_out.c) share: feeds, facts, cadence cells, the run state.
 */
#ifndef ASSAY_RUL_INT_H
#define ASSAY_RUL_INT_H

#include "parsers/psr.h"
#include "rules/rul.h"
#include "rules/rul_map.h"

/* A feed: one record-set of one control (or set), offered every record of
 * the inputs its sources claim. */
typedef enum feed_role { F_POP = 0, F_OTHER, F_RESET, F_SET } feed_role;

typedef struct feed {
    const rul_recset *rs;
    uint32_t  owner;       /* control index (set index for F_SET) */
    feed_role role;
    int       cadence;     /* population of a cadence test: folded into cells */
    const rul_expr *test;  /* each: assert; cadence: ok; aggregate: sum */
    const rul_expr *on;    /* the instance match key (correlations, reconcile) */
    uint64_t  mask;        /* the record-set's sources */
    int       key_const;   /* the key reads no record field ($dir, "x"): one value per input */
    int       fast_cells;  /* cadence over every record with a per-input key: counted without facts */
} feed;

enum { T_NONE = 0, T_TIME, T_PENDING, T_BAD };

/* A matching record, as collected. */
typedef struct fact {
    uint64_t offset, line;
    int64_t  sec;
    int32_t  nsec;
    uint32_t input;
    uint32_t stamp;        /* T_PENDING: its RFC 3164 stamp in the block's list */
    uint8_t  tkind;        /* T_* */
    int8_t   res;          /* test: 1 true, 0 false, -1 untestable */
    uint8_t  src;          /* source id it came through */
    uint8_t  keybad;       /* the key (or match key) is untestable */
    const char *why;       /* static: why untestable (test, key or time) */
    as_slice note;         /* a missing field's path, or a measured text */
    as_slice key, on, uniq;
    double   num;          /* aggregate: the value */
} fact;

typedef struct stamp {
    uint8_t  month, day;
    uint32_t sod;
} stamp;

/* A cadence cell (group, bucket) or a group's range in one input
 * (bucket == CELL_RANGE). */
#define CELL_RANGE INT64_MIN
typedef struct cell {
    as_slice  group;
    int64_t   bucket;
    uint64_t  n_ok, n_all;
    rul_where bad;         /* the first record of the cell that did not count (ok false) */
    int64_t   bad_sec;
    int64_t   min_sec, max_sec; /* CELL_RANGE: the group's times in the input */
    uint32_t  input;
} cell;

typedef struct cellset {
    rul_map  map;
    as_buf   v;            /* cell[] */
    int64_t  last[2];      /* the cell (0) and range (1) entries used last, + 1 (0 = none): records of
                              one input mostly hit the same cell again */
} cellset;

/* Per input, per feed. */
typedef struct ifeed {
    uint32_t feed;         /* index into run->feeds */
    as_buf   facts;        /* fact[] (strings in the input's arena) */
    cellset  cells;
} ifeed;

/* Records per UTC day (a run of equal days in a block is one pair). */
typedef rul_daycount daycnt;

typedef struct iacc {
    as_arena        ar;
    rul_map         daymap;  /* day -> index into days */
    as_buf          days;    /* daycnt[]: the input's records per day (coverage) */
    ifeed          *f;
    size_t          n_f;
    psr_syslog_year ys;
    uint64_t        mask;  /* sources, after detection */
    int             ctx;   /* parser context (source id) used, -1 = none */
    const char     *format;
    int             oom;
    int             detected; /* `detect` was tested on its first record */
} iacc;

struct rul_run {
    const rul_set     *s;
    const rul_binding *b;
    rul_run_opts       o;
    as_slice          *srcname;  /* per source: its name ($source) */
    feed              *feeds;
    size_t             n_feeds;
    psr_ctx          **ctx;      /* per source (its format and zone) */
    psr_ctx           *ctx_auto; /* detection */
    psr_input        **pin;      /* per input */
    iacc              *acc;      /* per input */
    eng_stat          *stat;     /* per input (copied from the job that read it) */
    int               *read;     /* per input: read by a job */
    int                phase;    /* 0 sets, 1 controls */
    /* sets */
    rul_map           *setmap;   /* per set: members */
    as_arena           setar;
    /* results */
    rul_cresult       *res;
    as_arena           resar;
    as_time            pstart, pend;
    int                period_given;
    eng_job *volatile  job;
    volatile int       cancelled;
};

/* rul_test.c: builds every control's result from the collected facts. */
as_code rul_finish(rul_run *r);


#endif
