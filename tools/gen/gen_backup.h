/* gen_backup.h: backup/<host>/backup-YYYY-MM.log: restic-like nightly backup
 * job lines per host and month, with failures, retries and missed days.
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_BACKUP_H
#define ASSAY_GEN_BACKUP_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_backup_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
