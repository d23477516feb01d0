/* check_real_clf.c: runs psr_clf_scan over whole access-log files and prints
 * what it rejected, for tools/check_real_clf.sh (the real samples in
 * ../shared/data/real/ may not be copied whole into tests/).
 *
 * Usage: check_real_clf [-f] FILE...
 *   prints one line per rejected record, `FILE:LINE:COL: error: NAME`, then
 *   `FILE: N lines, N accepted, N rejected`; with -f also one line per
 *   accepted record with its fields, tab-separated:
 *   `FILE:LINE\tvariant\tvhost\tclient\tident\tuser\ttime(UTC)\toffset\trequest\tmethod\tpath\tprotocol\tstatus\tbytes\treferer\tuser_agent\textra`
 * Exit status: 0 when every file was read, 2 otherwise. A tool, not library
 * code: it may print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/as.h"
#include "parsers/psr_clf.h"

static void print_fields(const char *path, unsigned long ln, const psr_clf *c)
{
    char tbuf[AS_TIME_RFC3339_MAX];
    as_time_format_utc(c->time, tbuf);
    printf("%s:%lu\t%#x\t" AS_SLICE_FMT "\t" AS_SLICE_FMT "\t" AS_SLICE_FMT "\t" AS_SLICE_FMT
           "\t%s\t%d\t" AS_SLICE_FMT "\t" AS_SLICE_FMT "\t" AS_SLICE_FMT "\t" AS_SLICE_FMT
           "\t%u\t%lld\t" AS_SLICE_FMT "\t" AS_SLICE_FMT "\t" AS_SLICE_FMT "\n",
           path, ln, c->variant, AS_SLICE_ARG(c->vhost), AS_SLICE_ARG(c->client), AS_SLICE_ARG(c->ident),
           AS_SLICE_ARG(c->user), tbuf, (int)c->time.offset_min, AS_SLICE_ARG(c->request),
           AS_SLICE_ARG(c->method), AS_SLICE_ARG(c->path), AS_SLICE_ARG(c->protocol), (unsigned)c->status,
           (long long)c->bytes, AS_SLICE_ARG(c->referer), AS_SLICE_ARG(c->user_agent), AS_SLICE_ARG(c->extra));
}

static int check_file(const char *path, int fields)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long ln = 0, ok = 0, bad = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        ln++;
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        psr_clf c;
        uint64_t col = 0;
        as_code rc = psr_clf_scan(as_slice_make(line, len), &c, &col);
        if (rc == AS_OK) {
            ok++;
            if (fields)
                print_fields(path, ln, &c);
        } else {
            bad++;
            printf("%s:%lu:%llu: error: %s\n", path, ln, (unsigned long long)col, as_err_name(rc));
        }
    }
    free(line);
    fclose(f);
    printf("%s: %lu lines, %lu accepted, %lu rejected\n", path, ln, ok, bad);
    return 0;
}

int main(int argc, char **argv)
{
    int fields = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-f") == 0) {
            fields = 1;
            continue;
        }
        if (check_file(argv[i], fields) != 0)
            rc = 2;
    }
    return rc;
}
