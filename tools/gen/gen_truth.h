/* gen_truth.h: the ground truth of a generated data set and its writer.
 *
 * Each job fills its own gen_res with what it wrote: one entry per file
 * (sizes, hash, counts, time span), the malformed records it planted, the
 * control deviations, source gaps and hostile values, each with the exact
 * location (file, 1-based line, decompressed byte offset). After the pool has
 * run, gen_truth_write merges every gen_res, sorts each array by a total
 * order (so neither job order nor thread count shows) and writes
 * DIR/truth.json (schema "assay.truth/1", documented in docs/dataset.md).
 * Thread-safety: a gen_res belongs to one job; the writer runs alone.
 */
#ifndef ASSAY_GEN_TRUTH_H
#define ASSAY_GEN_TRUTH_H

#include "tools/gen/gen_out.h"
#include "tools/gen/gen_fmt.h"

typedef struct gen_file_rec {
    const char   *path;       /* relative to DIR */
    const char   *source;     /* "web", "auth", "okta", ... */
    const char   *format;     /* combined|syslog|syslog5424|jsonl|cloudtrail|csv|backup|deploy */
    gen_comp      comp;       /* stored compression */
    gen_out_stats st;         /* sizes, hash, lines */
    uint64_t      records;    /* accepted + rejected */
    uint64_t      rejected;   /* malformed records in the file */
    int           complete;   /* 0 when the stream is cut short */
    int64_t       first_ms;   /* earliest accepted record time, GEN_NO_TIME if none */
    int64_t       last_ms;    /* latest accepted record time */
} gen_file_rec;

typedef struct gen_malformed {
    const char *file;          /* relative path */
    uint64_t    line;          /* 1-based line of the record's first byte */
    uint64_t    offset;        /* decompressed offset of that byte */
    const char *reason;        /* as_err_name: syntax, invalid_utf8, nul_byte, too_long, truncated */
    int         is_stream;     /* 1: a stream fault (truncated), not a record */
    uint64_t    comp_offset;   /* stream faults: compressed offset where the data ends */
    uint64_t    records_before;/* stream faults: records read before the fault */
} gen_malformed;

typedef struct gen_dev {
    const char *control;   /* control id, e.g. "okta-admin-mfa" */
    const char *key;       /* the occurrence: a user, host/day, PR, eventID ... */
    const char *file;      /* the record that shows it (or where it is missing) */
    uint64_t    line;      /* 0 = no record (an absence) */
    uint64_t    offset;    /* decompressed offset of the record's first byte */
    int64_t     index;     /* CloudTrail: index in Records, else -1 */
    int64_t     time_ms;   /* when */
    const char *detail;    /* human explanation */
    int         is_edge;   /* 1: a near miss that is NOT a deviation (edge_cases[]) */
} gen_dev;

typedef struct gen_gap {
    const char *source;    /* "auth", "web" */
    const char *entity;    /* host or vhost */
    int64_t     day;       /* day number of the silent UTC day */
} gen_gap;

typedef struct gen_hostile {
    const char *file;
    uint64_t    line;
    uint64_t    offset;    /* of the record */
    const char *field;     /* "user_agent", "referer", "actor.displayName" */
    const char *value;     /* the decoded value */
    const char *raw;       /* as written in the file (escapes kept) */
} gen_hostile;

typedef struct gen_special {
    const char *file;      /* a file built in an unusual way */
    const char *kind;      /* gzip_multi_member, zstd_skippable_two_frames, gzip_truncated */
    const char *detail;
} gen_special;

#define GEN_VEC(T) struct { T *v; size_t n, cap; }

typedef struct gen_res {
    as_arena ar;                       /* strings of this job */
    GEN_VEC(gen_file_rec)  files;
    GEN_VEC(gen_malformed) malformed;
    GEN_VEC(gen_dev)       devs;
    GEN_VEC(gen_gap)       gaps;
    GEN_VEC(gen_hostile)   hostile;
    GEN_VEC(gen_special)   special;
    int failed;                        /* sticky out-of-memory flag */
} gen_res;

void gen_res_init(gen_res *r);
void gen_res_fini(gen_res *r);

/* Copies s into the result's arena ("" on OOM, with r->failed set). */
const char *gen_res_str(gen_res *r, const char *s);
const char *gen_res_strf(gen_res *r, const char *fmt, ...) AS_PRINTF(2, 3);

void gen_res_file(gen_res *r, const gen_file_rec *f);
void gen_res_malformed(gen_res *r, const char *file, uint64_t line, uint64_t offset, const char *reason);
void gen_res_stream_fault(gen_res *r, const char *file, uint64_t line, uint64_t offset, uint64_t comp_offset,
                          uint64_t records_before, const char *reason);
/* A deviation at a record (line >= 1) or an absence (line 0). detail is a
 * printf format. */
void gen_res_dev(gen_res *r, const char *control, const char *key, const char *file, uint64_t line,
                 uint64_t offset, int64_t index, int64_t time_ms, const char *fmt, ...) AS_PRINTF(9, 10);
/* A record right at a control's boundary that is NOT a deviation (the
 * on-time side of an edge); listed in edge_cases[] so tests can check for
 * false positives. Same arguments as gen_res_dev. */
void gen_res_edge(gen_res *r, const char *control, const char *key, const char *file, uint64_t line,
                  uint64_t offset, int64_t index, int64_t time_ms, const char *fmt, ...) AS_PRINTF(9, 10);
void gen_res_gap(gen_res *r, const char *source, const char *entity, int64_t day);
void gen_res_hostile(gen_res *r, const char *file, uint64_t line, uint64_t offset, const char *field,
                     const char *value, const char *raw);

void gen_res_special(gen_res *r, const char *file, const char *kind, const char *detail);

/* What truth.json says about the run besides the per-job results. */
typedef struct gen_truth_meta {
    uint64_t    seed;
    int64_t     start_day;      /* period start (day number) */
    unsigned    days;           /* period length */
    uint32_t    scale_milli;    /* --scale x 1000 */
    uint64_t    size_bytes;     /* --size, 0 when not given */
    uint64_t    web_budget;     /* bytes planned for web logs */
    int         plain;          /* --plain */
    const char *version;        /* generator version */
    const char *world_json;     /* a pre-made JSON object describing the world */
} gen_truth_meta;

/* Totals over all results (also printed by the CLI). */
typedef struct gen_totals {
    uint64_t files, bytes_stored, bytes_decompressed, records, rejected;
} gen_totals;

void gen_truth_totals(gen_res *const *res, size_t n_res, gen_totals *t);

/* Writes root/truth.json. AS_OK, AS_ERR_NOMEM, AS_ERR_OPEN or AS_ERR_WRITE. */
as_code gen_truth_write(const char *root, const gen_truth_meta *meta, gen_res *const *res, size_t n_res,
                        as_err *err) AS_MUST_USE;

#endif
