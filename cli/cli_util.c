/* cli_util.c: messages, option parsing, the progress line and aligned tables
 * shared by the commands (see cli.h). */
#include <errno.h>     /* errno */
#include <stdarg.h>    /* va_list */
#include <stdlib.h>    /* strtoull */
#include <string.h>    /* strcmp, strlen */
#include <unistd.h>    /* isatty */

#include "cli/cli.h"
#include "engine/eng.h"

void cli_err(const as_err *e)
{
    as_err_print(stderr, e, AS_SEV_ERROR);
}

void cli_errf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("assay: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("assay: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_parse_size(const char *s, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    unsigned shift = 0;
    if (*end == 'k' || *end == 'K')
        shift = 10;
    else if (*end == 'm' || *end == 'M')
        shift = 20;
    else if (*end == 'g' || *end == 'G')
        shift = 30;
    if (shift) {
        end++;
        if (*end == 'i' && end[1] == 'B')
            end += 2;
        else if (*end == 'B')
            end++;
    }
    if (*end != '\0' || (shift && v > (UINT64_MAX >> shift)))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int cli_parse_jobs(const char *s, unsigned *out)
{
    uint64_t v;
    if (cli_parse_size(s, &v) != 0 || v < 1 || v > ENG_MAX_WORKERS || strpbrk(s, "kKmMgG"))
        return -1;
    *out = (unsigned)v;
    return 0;
}

int cli_write(FILE *f, const as_buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len) {
        cli_errf("cannot write output: %s", strerror(errno));
        return -1;
    }
    if (fflush(f) != 0) {
        cli_errf("cannot write output: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int cli_parse_progress(const char *s, cli_progress_mode *out)
{
    if (strcmp(s, "auto") == 0)
        *out = CLI_PROGRESS_AUTO;
    else if (strcmp(s, "always") == 0)
        *out = CLI_PROGRESS_ALWAYS;
    else if (strcmp(s, "never") == 0)
        *out = CLI_PROGRESS_NEVER;
    else
        return -1;
    return 0;
}

void cli_progress_init(cli_progress *p, cli_progress_mode mode, int quiet)
{
    p->drawn = 0;
    p->enabled = !quiet && (mode == CLI_PROGRESS_ALWAYS || (mode == CLI_PROGRESS_AUTO && isatty(2)));
}

void cli_human_bytes(uint64_t n, char *out, size_t cap)
{
    static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB" };
    double v = (double)n;
    unsigned u = 0;
    while (v >= 1000.0 && u + 1 < AS_ARRAY_LEN(units)) {
        v /= 1000.0;
        u++;
    }
    if (u == 0)
        snprintf(out, cap, "%llu B", (unsigned long long)n);
    else
        snprintf(out, cap, "%.1f %s", v, units[u]);
}

void cli_progress_cb(void *arg, uint64_t done, uint64_t total, double seconds)
{
    cli_progress *p = arg;
    if (!p->enabled)
        return;
    char d[32], t[32], line[160];
    cli_human_bytes(done, d, sizeof d);
    double rate = seconds > 0 ? (double)done / seconds / 1e6 : 0;
    if (total > 0 && done <= total) {
        enum { WIDTH = 24 };
        unsigned fill = (unsigned)((double)done / (double)total * WIDTH);
        char bar[WIDTH + 1];
        for (unsigned i = 0; i < WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[WIDTH] = '\0';
        cli_human_bytes(total, t, sizeof t);
        double eta = rate > 0 ? (double)(total - done) / (rate * 1e6) : 0;
        snprintf(line, sizeof line, "\r[%s] %3.0f%%  %s / %s  %.0f MB/s  ETA %.0fs ", bar,
                 100.0 * (double)done / (double)total, d, t, rate, eta);
    } else {
        snprintf(line, sizeof line, "\r%s  %.0f MB/s ", d, rate);
    }
    fputs(line, stderr);
    fputs("\033[K", stderr);
    fflush(stderr);
    p->drawn = 1;
}

void cli_progress_clear(cli_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}

int cli_table_init(cli_table *t, unsigned n_cols, const unsigned *right_aligned)
{
    as_buf_init(&t->cells);
    t->n_cols = n_cols;
    t->n_cells = 0;
    t->right = as_calloc(n_cols, sizeof *t->right);
    if (t->right == NULL)
        return -1;
    for (unsigned i = 0; right_aligned && i < n_cols; i++)
        t->right[i] = right_aligned[i];
    return 0;
}

void cli_table_add(cli_table *t, const char *cell)
{
    if (as_buf_append(&t->cells, cell, strlen(cell) + 1) == 0)
        t->n_cells++;
}

/* Display width of a UTF-8 string: code points (good enough for paths and numbers). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

void cli_table_print(const cli_table *t, FILE *f)
{
    size_t *w = as_calloc(t->n_cols, sizeof *w);
    if (w == NULL)
        return;
    const char *c = t->cells.data;
    for (size_t i = 0; i < t->n_cells; i++, c += strlen(c) + 1) {
        size_t cw = width(c);
        if (cw > w[i % t->n_cols])
            w[i % t->n_cols] = cw;
    }
    c = t->cells.data;
    for (size_t i = 0; i < t->n_cells; i++, c += strlen(c) + 1) {
        unsigned col = (unsigned)(i % t->n_cols);
        size_t pad = w[col] - width(c);
        int last = col + 1 == t->n_cols;
        if (t->right[col])
            fprintf(f, "%*s%s", (int)pad, "", c);
        else
            fprintf(f, "%s%*s", c, last ? 0 : (int)pad, "");
        fputs(last ? "\n" : "  ", f);
    }
    as_free(w);
}

void cli_table_fini(cli_table *t)
{
    as_buf_fini(&t->cells);
    as_free(t->right);
    t->right = NULL;
}
