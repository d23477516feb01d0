/* gen_okta.h: okta/okta-YYYY-MM.jsonl[.zst]: Okta System Log events, one JSON
 * object per line, one file per month: sign-ins with MFA, lifecycle
 * (create/activate/deactivate/suspend), group membership and privilege
 * grants with change tickets.
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_OKTA_H
#define ASSAY_GEN_OKTA_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_okta_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
