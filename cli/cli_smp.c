/* cli_smp.c: option values and rate texts of the sampling commands (see cli_smp.h). */
#include "cli/cli_smp.h"

#include <errno.h>   /* errno */
#include <stdlib.h>  /* strtold */
#include <string.h>   /* strcmp */
#include <strings.h>  /* strcasecmp */

#include <csv.h>      /* libcsv: csv_init, csv_parse, csv_fini */

int cli_smp_pct(const char *opt, const char *arg, uint32_t *bp)
{
    if (smp_parse_bp(arg, bp) != 0) {
        cli_errf("%s '%s': expected a percentage from 0 to 100 with at most two decimals, e.g. 95, 97.5%%, 2.25",
                 opt, arg);
        return -1;
    }
    return 0;
}

int cli_smp_count(const char *opt, const char *arg, int allow_zero, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = arg;
    if (*p == '\0')
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
            goto bad;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (v == 0 && !allow_zero)
        goto bad;
    *out = v;
    return 0;
bad:
    cli_errf("%s '%s': expected a whole number%s", opt, arg, allow_zero ? "" : " of at least 1");
    return -1;
}

int cli_smp_amount(const char *opt, const char *arg, long double *out)
{
    char *end;
    const char *p = arg;
    int digits = 0;
    for (; *p; p++)
        digits += *p >= '0' && *p <= '9';
    long double v = strtold(arg, &end);
    if (digits == 0 || *end != '\0' || !(v >= 0.0L) || strchr(arg, 'e') || strchr(arg, 'E') ||
        strchr(arg, 'x') || strchr(arg, 'n') || strchr(arg, 'N')) {
        cli_errf("%s '%s': expected an amount such as 25000 or 1250.50", opt, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_smp_model(const char *arg, smp_model *out)
{
    static const smp_model all[] = { SMP_MODEL_BINOMIAL, SMP_MODEL_HYPERGEOMETRIC, SMP_MODEL_POISSON };
    for (size_t i = 0; i < AS_ARRAY_LEN(all); i++)
        if (strcmp(arg, smp_model_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    cli_errf("--model '%s': expected binomial, hypergeometric or poisson", arg);
    return -1;
}

void cli_smp_bp_text(uint32_t bp, char *out, size_t cap)
{
    if (bp % 100 == 0)
        snprintf(out, cap, "%u%%", bp / 100);
    else if (bp % 10 == 0)
        snprintf(out, cap, "%u.%u%%", bp / 100, bp % 100 / 10);
    else
        snprintf(out, cap, "%u.%02u%%", bp / 100, bp % 100);
}

void cli_smp_frac_text(long double f, int decimals, char *out, size_t cap)
{
    snprintf(out, cap, "%.*Lf%%", decimals, 100.0L * f);
}

int cli_smp_read_file(const char *path, size_t max, as_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        cli_errf("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char chunk[1 << 16];
    size_t k;
    int bad = 0;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (b->len + k > max || as_buf_append(b, chunk, k) != 0) {
            bad = 1;
            break;
        }
    int rerr = ferror(f);
    fclose(f);
    if (bad || rerr) {
        cli_errf("%s: %s", path, bad ? "too large or out of memory" : "read error");
        as_buf_fini(b);
        return -1;
    }
    return 0;
}

int cli_smp_result_kind(as_slice v)
{
    v = as_slice_trim(v);
    char w[32];
    if (v.len == 0)
        return CLI_SMP_EMPTY;
    if (v.len >= sizeof w)
        return CLI_SMP_UNKNOWN;
    memcpy(w, v.ptr, v.len);
    w[v.len] = '\0';
    static const char *const pass[] = { "pass", "passed", "ok", "yes", "effective" };
    static const char *const dev[] = { "exception", "deviation", "fail", "failed", "no", "ineffective" };
    for (size_t i = 0; i < AS_ARRAY_LEN(pass); i++)
        if (strcasecmp(w, pass[i]) == 0)
            return CLI_SMP_PASS;
    for (size_t i = 0; i < AS_ARRAY_LEN(dev); i++)
        if (strcasecmp(w, dev[i]) == 0)
            return CLI_SMP_DEVIATION;
    return strcasecmp(w, "untestable") == 0 ? CLI_SMP_UNTESTABLE : CLI_SMP_UNKNOWN;
}

static int csv_column(const char *path, const char *column, void (*fn)(void *, uint64_t, as_slice), void *arg,
                      int *present);

int cli_smp_csv_column(const char *path, const char *column, void (*fn)(void *, uint64_t, as_slice), void *arg)
{
    return csv_column(path, column, fn, arg, NULL);
}

int cli_smp_csv_column_opt(const char *path, const char *column, void (*fn)(void *, uint64_t, as_slice), void *arg,
                           int *present)
{
    return csv_column(path, column, fn, arg, present);
}

/* Reading a tested sample.csv with libcsv in strict mode (the library the
 * parsers use for CSV, psr_csv.c): a row's cells are collected, then the
 * header row picks the column and every data row hands it to fn. */
typedef struct col_reader {
    const char *path, *column;
    void      (*fn)(void *, uint64_t, as_slice);
    void       *arg;
    as_buf      text;              /* the row's cells, back to back */
    size_t     *off;               /* cell k starts at off[k] in text */
    size_t      n, cap;
    uint64_t    line, row_line;    /* the next row's first line; the current row's */
    uint64_t    rows;
    int         col, bad, failed, stop;
    int         optional, missing; /* the column may be absent; it is */
} col_reader;

static void cr_field(void *s, size_t len, void *data)
{
    col_reader *c = data;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        size_t *v = as_realloc(c->off, (cap + 1) * sizeof(size_t));
        if (v == NULL) {
            c->bad = 1;
            return;
        }
        c->off = v;
        c->cap = cap;
    }
    c->off[c->n++] = c->text.len;
    for (size_t i = 0; i < len; i++)
        c->line += ((const char *)s)[i] == '\n';   /* a quoted line feed */
    c->bad |= as_buf_append(&c->text, len ? s : "", len);
}

static as_slice cr_cell(const col_reader *c, size_t k)
{
    if (k >= c->n)
        return (as_slice){ "", 0 };
    size_t end = k + 1 < c->n ? c->off[k + 1] : c->text.len;
    as_slice v = { c->text.data ? c->text.data + c->off[k] : "", end - c->off[k] };
    if (v.len >= 2 && v.ptr[0] == '\'' && strchr("=+-@\t\r", v.ptr[1]))
        v = (as_slice){ v.ptr + 1, v.len - 1 };    /* rpt_csv's formula guard */
    return v;
}

/* With CSV_REPALL_NL every line terminator ends a row, so lines are
 * counted exactly: a blank line is an empty row, CRLF an empty row after
 * the CR's; only line feeds (and quoted ones, cr_field) count. */
static void cr_row(int term, void *data)
{
    col_reader *c = data;
    int empty = c->n == 0 || (c->n == 1 && c->off[0] == c->text.len);
    if (!empty && !c->stop && !c->bad && !c->failed) {
        if (c->rows == 0) {
            for (size_t k = 0; k < c->n && c->col < 0; k++) {
                as_slice h = cr_cell(c, k);
                if (k == 0 && h.len >= 3 && memcmp(h.ptr, "\xEF\xBB\xBF", 3) == 0)
                    h = (as_slice){ h.ptr + 3, h.len - 3 };
                if (as_slice_eq_cstr(h, c->column))
                    c->col = (int)k;
            }
            if (c->col < 0 && c->optional) {
                c->missing = 1;
                c->stop = 1;
            } else if (c->col < 0) {
                cli_errf("%s: no column named '%s' in its header", c->path, c->column);
                c->failed = 1;
            }
        } else if ((size_t)c->col >= c->n) {
            cli_errf("%s:%llu: the row has no '%s' column", c->path, (unsigned long long)c->row_line, c->column);
            c->failed = 1;
        } else {
            c->fn(c->arg, c->row_line, cr_cell(c, (size_t)c->col));
        }
    }
    c->rows += !empty;
    c->line += term == '\n';
    c->row_line = c->line;
    c->n = 0;
    as_buf_clear(&c->text);
}

static int csv_column(const char *path, const char *column, void (*fn)(void *, uint64_t, as_slice), void *arg,
                      int *present)
{
    as_buf b = AS_BUF_INIT;
    if (cli_smp_read_file(path, SIZE_MAX, &b) != 0)
        return -1;
    col_reader c = { .path = path, .column = column, .fn = fn, .arg = arg, .line = 1, .row_line = 1, .col = -1,
                     .optional = present != NULL };
    struct csv_parser p;
    int rc = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        cli_errf("out of memory");
        as_buf_fini(&b);
        return -1;
    }
    size_t done = csv_parse(&p, b.data ? b.data : "", b.len, cr_field, cr_row, &c);
    if (done != b.len || csv_fini(&p, cr_field, cr_row, &c) != 0) {
        uint64_t line = 1;                            /* where libcsv stopped */
        for (size_t i = 0; b.data && i < done && i < b.len; i++)
            line += b.data[i] == '\n';
        cli_errf("%s:%llu: not valid CSV: %s (a quote inside an unquoted cell, text after a closing quote, "
                 "or a quote never closed)", path, (unsigned long long)line, csv_strerror(csv_error(&p)));
        rc = -1;
    }
    csv_free(&p);
    if (c.bad) {
        cli_errf("%s: out of memory", path);
        rc = -1;
    }
    if (c.failed)
        rc = -1;
    if (present)
        *present = !c.missing;
    as_free(c.off);
    as_buf_fini(&c.text);
    as_buf_fini(&b);
    return rc;
}
