/* gen_web.h: web access logs, web/<vhost>/access-YYYY-MM-DD.log[.gz|.zst].
 *
 * Three virtual hosts (www and api behind nginx, admin behind Apache httpd,
 * all in the "combined" format), one file per vhost per day, plain, gzip or
 * zstd by a seeded choice. This is the bulk of the data set and its hot
 * path: lines are assembled by hand into the sink's buffer (gen_fmt.h).
 * It also plants the web malformed records, hostile values, the special
 * compressed files and the web source gap (docs/dataset.md).
 */
#ifndef ASSAY_GEN_WEB_H
#define ASSAY_GEN_WEB_H

#include "tools/gen/gen_job.h"

/* Adds one job per (vhost, day) sharing `budget` decompressed bytes. The
 * shared context is freed by gen_jobs_fini. 0, or -1 on OOM. */
int gen_web_add_jobs(gen_jobs *js, const gen_world *w, uint64_t budget) AS_MUST_USE;

#endif
