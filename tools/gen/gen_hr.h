/* gen_hr.h: hr/hr_export.csv: the HR export (UTF-8 BOM, CRLF rows, quoted
 * fields with commas, quotes and embedded newlines): every employee with hire
 * and termination dates. Its leaver rows carry the leaver-deactivated-24h
 * deviations (the occurrence is the leaver).
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_HR_H
#define ASSAY_GEN_HR_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_hr_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
