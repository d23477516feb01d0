/* cli_json.h: reading one small JSON document (a plan.json, a sample.json)
 * through the parsers layer, for the sampling commands: values by dotted
 * path ("population.inputs[0].sha256"), as psr's JSON format gives them.
 * Thread-safety: one document per thread.
 */
#ifndef ASSAY_CLI_JSON_H
#define ASSAY_CLI_JSON_H

#include "cli/cli.h"
#include "parsers/psr.h"

#define CLI_JSON_MAX (64u << 20)  /* 64 MiB: a sample.json of a very large sample */

typedef struct cli_json {
    char       *text;    /* the file, owned */
    size_t      len;
    psr_ctx    *ctx;
    psr_input  *in;
    psr_worker *w;
    as_arena    arena;   /* the parse state and decoded values */
    as_rec      rec;     /* the document's one record */
} cli_json;

/* Loads and validates path; 0, or -1 after reporting the problem
 * (`path: error: ...`). */
int  cli_json_load(cli_json *d, const char *path);
void cli_json_fini(cli_json *d);
/* The value at path (AS_V_MISSING when absent); strings live in the document. */
as_val cli_json_get(cli_json *d, const char *path);
/* Convenience: a string (NULL when absent or not a string: copied into the arena, NUL-terminated). */
const char *cli_json_str(cli_json *d, const char *path);
/* An integer (def when absent or not an integer). */
int64_t cli_json_int(cli_json *d, const char *path, int64_t def);

#endif
