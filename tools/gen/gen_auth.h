/* gen_auth.h: auth/<host>/auth.log (RFC 3164, no year) for six hosts and
 * auth/<host>/auth-rfc5424.log (RFC 5424) for two: sshd, sudo, CRON,
 * useradd/userdel and a daily logrotate heartbeat, one file per host for the
 * whole period (so the RFC 3164 files cross Dec -> Jan without a year).
 * Formats and planted deviations: docs/dataset.md.
 */
#ifndef ASSAY_GEN_AUTH_H
#define ASSAY_GEN_AUTH_H

#include "tools/gen/gen_job.h"

/* Adds this source's jobs. 0, or -1 when memory runs out. */
int gen_auth_add_jobs(gen_jobs *js, const gen_world *w) AS_MUST_USE;

#endif
