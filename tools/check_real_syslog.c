/* check_real_syslog.c: runs psr_syslog_scan, the RFC 3164 year inference and
 * psr_auth_extract over whole syslog files and prints what they found, for
 * tools/check_real_syslog.sh (the real samples in ../shared/data/real/ may
 * not be copied whole into tests/).
 *
 * Usage: check_real_syslog [-y YEAR] FILE...
 *   one tab-separated line per physical line (CRLF or LF; a last line without
 *   a newline counts):
 *     FILE:LINE  status  col  variant  flags  month  day  hh:mm:ss  time  yflags
 *     host  app  pid  msg  auth_kind  count  user  source_ip  port  method
 *     service  by_user  run_as  command  group  reason
 *   status is `ok` or the stable error name (as_err_name) with col its
 *   1-based column; time is the instant in its own offset (RFC 3164 with the
 *   year inferred from -y YEAR, default 2005 as loghub's files are from
 *   2005; `year-error` when inference rejects the record). Tabs, backslashes,
 *   CR and LF inside fields are written as \t \\ \r \n.
 * Exit status: 0 when every file was read, 2 otherwise. A tool, not library
 * code: it may print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/as.h"
#include "parsers/psr_authmsg.h"
#include "parsers/psr_syslog.h"

static void put_field(as_slice s)
{
    putchar('\t');
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        switch (c) {
        case '\t': fputs("\\t", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        default: putchar(c); break;
        }
    }
}

static void put_num(long long v)
{
    if (v < 0)
        fputs("\t", stdout);
    else
        printf("\t%lld", v);
}

static int check_file(const char *path, int64_t year)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    psr_syslog_year ys;
    psr_syslog_year_init_fixed(&ys, year, 0);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long ln = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        ln++;
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        psr_syslog r;
        uint64_t col = 0;
        as_code rc = psr_syslog_scan(as_slice_make(line, len), NULL, &r, &col);
        printf("%s:%lu", path, ln);
        if (rc != AS_OK) {
            printf("\t%s\t%llu\n", as_err_name(rc), (unsigned long long)col);
            continue;
        }
        unsigned yfl = 0;
        as_code yrc = psr_syslog_year_apply(&ys, &r, &yfl);
        char tbuf[AS_TIME_RFC3339_MAX] = "";
        if (yrc == AS_OK && as_time_is_valid(r.time))
            as_time_format_local(r.time, tbuf);
        else if (yrc != AS_OK)
            snprintf(tbuf, sizeof tbuf, "year-error");
        printf("\tok\t0\t%d\t%#x\t%u\t%u\t%02u:%02u:%02u\t%s\t%#x", (int)r.variant, r.flags, r.month, r.day,
               r.sod / 3600, r.sod / 60 % 60, r.sod % 60, tbuf, yfl);
        put_field(r.host);
        put_field(r.app);
        put_num(r.pid);
        put_field(r.msg);
        psr_auth a;
        psr_auth_extract(r.app, r.msg, &a);
        printf("\t%s\t%u", psr_auth_kind_name(a.kind), a.count);
        put_field(a.user);
        put_field(a.source_ip);
        put_num(a.port);
        put_field(a.method);
        put_field(a.service);
        put_field(a.by_user);
        put_field(a.run_as);
        put_field(a.command);
        put_field(a.group);
        put_field(a.reason);
        putchar('\n');
    }
    free(line);
    int err = ferror(f);
    fclose(f);
    return err ? -1 : 0;
}

int main(int argc, char **argv)
{
    int64_t year = 2005;
    int i = 1, status = 0;
    if (i + 1 < argc && strcmp(argv[i], "-y") == 0) {
        year = strtoll(argv[i + 1], NULL, 10);
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: check_real_syslog [-y YEAR] FILE...\n");
        return 2;
    }
    for (; i < argc; i++)
        if (check_file(argv[i], year) != 0)
            status = 2;
    return status;
}
