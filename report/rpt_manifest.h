/* rpt_manifest.h: manifest.json (schema assay.manifest/1, docs/evidence.md)
 * from a plain model: the tool, the command, the times, the period, every
 * input, rule file, seed and output with its SHA-256. report/ knows nothing
 * of runs or samples: cli/ fills the model (cli_evidence.c, cmd_sample.c).
 * Every string is escaped (paths and seeds may hold anything).
 */
#ifndef ASSAY_RPT_MANIFEST_H
#define ASSAY_RPT_MANIFEST_H

#include "core/as.h"

typedef struct rpt_mfile {
    as_slice path;
    uint64_t bytes;
    as_slice sha256;        /* hex; empty = null (not read whole) */
    int      with_read;     /* inputs: write "read" (and the counts when read) */
    int      read;
    uint64_t records, rejected;
    int      complete;
} rpt_mfile;

typedef struct rpt_mseed {
    const char *kind;       /* "seed" or "start" */
    as_slice    value;
    int         drawn_from_os;
    as_slice    used_for;
} rpt_mseed;

typedef struct rpt_manifest {
    as_slice           version, build;
    const char *const *argv;   /* the command after "assay" */
    int                argc;
    as_slice           cwd;    /* empty = null */
    as_time            started, finished;
    int                has_period;  /* 0: "period": null */
    as_time            period_start, period_end;  /* end exclusive */
    int                period_given;
    const rpt_mfile   *inputs;  size_t n_inputs;
    const rpt_mfile   *rules;   size_t n_rules;
    const rpt_mseed   *seeds;   size_t n_seeds;
    const rpt_mfile   *outputs; size_t n_outputs;
    as_slice           not_listed;  /* a note on files written after the manifest; empty = none */
} rpt_manifest;

/* Appends the manifest (pretty JSON, one member per line) to out. */
as_code rpt_manifest_json(as_buf *out, const rpt_manifest *m) AS_MUST_USE;

#endif
