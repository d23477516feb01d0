/* gen_change.h: changes/pull_requests.jsonl (pull request merges and git pushes)
 * and changes/deploys.log (deploy lines): self-approved and unreviewed
 * merges, direct pushes to main and production deploys of unapproved code.
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_CHANGE_H
#define ASSAY_GEN_CHANGE_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_change_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
