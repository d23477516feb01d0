/* gen_review.h: access_reviews/access_reviews.csv (one campaign per system per
 * quarter, one missing) and the inventory: inventory/admins.csv (approved
 * admin roster) and inventory/hosts.csv.
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_REVIEW_H
#define ASSAY_GEN_REVIEW_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_review_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
