/* cli_smp.c: option values and rate texts of the sampling commands (see cli_smp.h). */
#include "cli/cli_smp.h"

#include <errno.h>   /* errno */
#include <stdlib.h>  /* strtold */
#include <string.h>   /* strcmp */
#include <strings.h>  /* strcasecmp */

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

/* One RFC 4180 record at a time: cells into a list of slices of `cells`. */
typedef struct csv_row {
    as_buf   text;    /* the cells' decoded bytes, back to back */
    size_t   off[1024], len[1024];
    unsigned n;
} csv_row;

/* Parses the record starting at *i (quotes may span lines); 0 at the end. */
static int csv_next(const as_buf *b, size_t *i, uint64_t *line, csv_row *r, int *bad)
{
    if (*i >= b->len)
        return 0;
    as_buf_clear(&r->text);
    r->n = 0;
    size_t start = 0;
    int inq = 0;
    r->off[0] = 0;
    for (; *i <= b->len; (*i)++) {
        char ch = (char)(*i < b->len ? b->data[*i] : '\n');
        if (inq) {
            if (ch == '"' && *i + 1 < b->len && b->data[*i + 1] == '"') {
                *bad |= as_buf_putc(&r->text, '"');
                (*i)++;
            } else if (ch == '"') {
                inq = 0;
            } else {
                *line += ch == '\n';
                *bad |= as_buf_putc(&r->text, ch);
            }
            continue;
        }
        if (ch == '"') {
            inq = 1;
        } else if (ch == ',' || ch == '\n') {
            if (r->n < 1024) {
                r->off[r->n] = start;
                r->len[r->n] = r->text.len - start;
                r->n++;
            }
            start = r->text.len;
            if (ch == '\n') {
                (*i)++;
                (*line)++;
                return 1;
            }
        } else if (ch != '\r') {
            *bad |= as_buf_putc(&r->text, ch);
        }
    }
    return 1;
}

static as_slice csv_cell(const csv_row *r, unsigned k)
{
    if (k >= r->n)
        return (as_slice){ "", 0 };
    as_slice s = { r->text.data ? r->text.data + r->off[k] : "", r->len[k] };
    if (s.len >= 2 && s.ptr[0] == '\'' && strchr("=+-@\t\r", s.ptr[1]))
        s = (as_slice){ s.ptr + 1, s.len - 1 };      /* rpt_csv's formula guard */
    return s;
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
    *present = 1;
    return csv_column(path, column, fn, arg, present);
}

static int csv_column(const char *path, const char *column, void (*fn)(void *, uint64_t, as_slice), void *arg,
                      int *present)
{
    as_buf b = AS_BUF_INIT;
    int bad = 0;
    if (cli_smp_read_file(path, SIZE_MAX, &b) != 0)
        return -1;
    static csv_row r;
    memset(&r, 0, sizeof r);
    size_t i = 0;
    uint64_t line = 1, row_line = 1;
    int col = -1, rc = 0;
    if (!bad && csv_next(&b, &i, &line, &r, &bad)) {
        for (unsigned c = 0; c < r.n; c++) {
            as_slice h = csv_cell(&r, c);
            if (c == 0 && h.len >= 3 && memcmp(h.ptr, "\xEF\xBB\xBF", 3) == 0)
                h = (as_slice){ h.ptr + 3, h.len - 3 };
            if (as_slice_eq_cstr(h, column) && col < 0)
                col = (int)c;
        }
    }
    if (col < 0 && present) {
        *present = 0;
        rc = 1;                                       /* not an error: stop here */
    } else if (col < 0) {
        cli_errf("%s: no column named '%s' in its header", path, column);
        rc = -1;
    }
    while (rc == 0 && !bad) {
        row_line = line;
        if (!csv_next(&b, &i, &line, &r, &bad))
            break;
        if (r.n == 1 && r.len[0] == 0)
            continue;                                 /* an empty line */
        if ((unsigned)col >= r.n) {
            cli_errf("%s:%llu: the row has no '%s' column", path, (unsigned long long)row_line, column);
            rc = -1;
            break;
        }
        fn(arg, row_line, csv_cell(&r, (unsigned)col));
    }
    if (bad) {
        cli_errf("%s: out of memory", path);
        rc = -1;
    }
    as_buf_fini(&r.text);
    as_buf_fini(&b);
    return rc > 0 ? 0 : rc;
}
