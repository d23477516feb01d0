/* cli_outdir.h: an evidence folder written atomically (cli_outdir.c).
 *
 * Files are written into a temporary folder beside DIR (DIR.assay-tmp-PID)
 * and the folder is renamed to DIR only when every file is complete; an
 * interrupted or failed run removes the temporary folder, so DIR is either
 * absent, the previous evidence, or complete. An existing DIR is replaced
 * only with --force. Relative paths inside DIR are checked: no absolute
 * paths, no "..", no empty or hidden components.
 */
#ifndef ASSAY_CLI_OUTDIR_H
#define ASSAY_CLI_OUTDIR_H

#include <stdio.h>

#include "core/as.h"

typedef struct cli_outfile {
    char    *rel;                    /* path inside DIR */
    uint64_t bytes;
    uint8_t  sha256[AS_SHA256_LEN];
} cli_outfile;

typedef struct cli_outdir {
    char        *dir;    /* the final folder */
    char        *tmp;    /* the folder being written */
    int          force;
    cli_outfile *files;  /* every file written, in order, with its digest */
    size_t       n_files;
} cli_outdir;

/* Checks DIR (exists without force: error) and creates the temporary
 * folder. Returns 0, or -1 after reporting the problem. */
int   cli_outdir_begin(cli_outdir *o, const char *dir, int force);
/* Opens rel (e.g. "okta-admin-mfa/population.csv") for writing inside the
 * temporary folder, creating its parent folder; NULL after reporting. */
FILE *cli_outdir_open(cli_outdir *o, const char *rel);
/* Closes f (flushed and synced), reports a write error, and records the
 * file's size and SHA-256 (read back from disk); 0 or -1. */
int   cli_outdir_close(cli_outdir *o, FILE *f, const char *rel);
/* The recorded digest of rel, or NULL. */
const cli_outfile *cli_outdir_find(const cli_outdir *o, const char *rel);
/* Writes SHA256SUMS (sha256sum format, every file written so far, sorted by
 * path) as the last file; 0 or -1. */
int   cli_outdir_sums(cli_outdir *o);
/* Renames the temporary folder to DIR (replacing it with force). 0 or -1. */
int   cli_outdir_commit(cli_outdir *o);
/* Removes the temporary folder and everything in it. */
void  cli_outdir_abort(cli_outdir *o);
/* 1 when rel is a safe relative path (exported for tests). */
int   cli_outdir_safe(const char *rel);

#endif
