/* gen_cloudtrail.h: cloudtrail/AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/...json.gz:
 * CloudTrail delivery files, each one gzip member holding {"Records":[...]},
 * most on one line and some pretty-printed; console sign-ins, IAM user and
 * assumed-role API calls, and planted root activity.
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_CLOUDTRAIL_H
#define ASSAY_GEN_CLOUDTRAIL_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_cloudtrail_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
