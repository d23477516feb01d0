/* gen_incident.h: incidents/incidents.csv: a PagerDuty-like incident export
 * with P1 acknowledgement and postmortem deviations and one ragged row.
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_INCIDENT_H
#define ASSAY_GEN_INCIDENT_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_incident_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
