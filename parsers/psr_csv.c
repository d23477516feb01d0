/* psr_csv.c: RFC 4180 CSV records (see psr_csv.h and docs/formats_csv.md).
 *
 * One scanner, scan_impl(), walks a record field by field:
 *   - a field that starts with '"' is quoted: memchr finds the next quote; a
 *     quote followed by a quote is an escaped one (the field is marked for
 *     decoding and the search goes on after the pair), any other ends the
 *     field, and the byte after it must be the delimiter, a line break (an
 *     error once the field is counted, as libcsv counts it) or the end;
 *   - any other field runs to the first delimiter, quote, CR or LF (a
 *     256-entry table per delimiter: one load and test per byte); a quote
 *     there is an error.
 * The same function counts fields (psr_csv_count), splits them into decoded
 * values (psr_csv_split) or keeps raw extents in a fixed buffer for the
 * sniffer; the directive is a constant at each call, so the compiler drops
 * what a caller does not use (lz4's enum directives). Fields go to a buffer
 * on the stack and are copied once into the arena at the end (one
 * allocation of exactly n slices per record); past CSV_INLINE_FIELDS they
 * move to an arena array that doubles.
 * Errors carry the byte offset of the offending byte; the line and column
 * are counted from it only when something failed (locate()).
 *
 * psr_csv_split_libcsv() is the reference: libcsv in strict mode with
 * CSV_REPALL_NL (so that a line break before the first field is reported
 * too), no space trimming, its buffer through as_realloc and sized to the
 * record so it never grows. The record is fed up to and including each CR or
 * LF, so the first row end pins the offending line break; the location of an
 * unterminated field or of field 4,097 comes from field_start(), a walk over
 * the prefix libcsv accepted.
 */
#include "parsers/psr_csv.h"

#include <csv.h>     /* csv_parser, csv_init, csv_parse, csv_fini: the reference */
#include <stdlib.h>  /* qsort: duplicate header names */
#include <string.h>  /* memchr, memcpy, memcmp */

/* ---- delimiters and byte classes ---- */

#define CSV_UTF8_BOM     "\xEF\xBB\xBF"
#define CSV_BOM_LEN      3u
#define CSV_INLINE_FIELDS 64u  /* fields kept on the stack before the arena takes over: 1 KiB */

static const char k_delims[] = { ',', ';', '\t', '|' };

/* The index of d in k_delims (0 = ',' for d == 0), or -1. */
static int delim_index(char d)
{
    if (d == 0)
        return 0;
    for (int i = 0; i < (int)sizeof k_delims; i++)
        if (k_delims[i] == d)
            return i;
    return -1;
}

/* k_stop[i][c]: c ends an unquoted field with delimiter k_delims[i]. */
#define CSV_STOP(c, d)   ((c) == (d) || (c) == '"' || (c) == '\n' || (c) == '\r')
#define CSV_S4(c, d)     CSV_STOP(c, d), CSV_STOP((c) + 1, d), CSV_STOP((c) + 2, d), CSV_STOP((c) + 3, d)
#define CSV_S16(c, d)    CSV_S4(c, d), CSV_S4((c) + 4, d), CSV_S4((c) + 8, d), CSV_S4((c) + 12, d)
#define CSV_S64(c, d)    CSV_S16(c, d), CSV_S16((c) + 16, d), CSV_S16((c) + 32, d), CSV_S16((c) + 48, d)
#define CSV_S256(d)      { CSV_S64(0, d), CSV_S64(64, d), CSV_S64(128, d), CSV_S64(192, d) }

static const unsigned char k_stop[4][256] = { CSV_S256(','), CSV_S256(';'), CSV_S256('\t'), CSV_S256('|') };

/* ---- locations ---- */

/* Line (LF-separated, 1-based) and byte column (1-based) of offset off in rec. */
static AS_NOINLINE void locate(as_slice rec, size_t off, uint64_t *line, uint64_t *col)
{
    uint64_t l = 1;
    size_t start = 0;
    if (off > rec.len)
        off = rec.len;
    for (const char *p = rec.ptr, *end = rec.ptr + off; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        l++;
        start = (size_t)(nl + 1 - rec.ptr);
        p = nl + 1;
    }
    if (line != NULL)
        *line = l;
    if (col != NULL)
        *col = (uint64_t)(off - start) + 1;
}

static void no_location(uint64_t *line, uint64_t *col)
{
    if (line != NULL)
        *line = 0;
    if (col != NULL)
        *col = 0;
}

/* The record without a final CR. */
static inline size_t body_len(as_slice rec)
{
    return rec.len && rec.ptr[rec.len - 1] == '\r' ? rec.len - 1 : rec.len;
}

/* Offset of field k (0-based) in rec[0, len), a record whose first k fields
 * are valid; len when it has fewer. */
static size_t field_start(const char *beg, size_t len, char delim, size_t k)
{
    const char *p = beg, *const end = beg + len;
    for (size_t i = 0; i < k; i++) {
        if (p < end && *p == '"') {
            const char *r;
            for (p++;; p = r + 2) {
                r = memchr(p, '"', (size_t)(end - p));
                if (r == NULL)
                    return len;
                if (r + 1 == end || r[1] != '"')
                    break;
            }
            p = r + 1;
        }
        const char *d = memchr(p, delim, (size_t)(end - p));
        if (d == NULL)
            return len;
        p = d + 1;
    }
    return (size_t)(p - beg);
}

/* ---- the scanner ---- */

typedef enum csv_dir {
    CSV_DIR_COUNT, /* count fields only */
    CSV_DIR_RAW,   /* the first cap extents in the caller's buffer, quotes removed, escapes kept; no arena */
    CSV_DIR_SPLIT, /* every field, decoded, the array from the arena */
} csv_dir;

/* The content of a quoted field with doubled quotes, [p, end), into ar:
 * each "" becomes ". NULL when the arena runs out. */
static AS_NOINLINE char *decode_doubled(const char *p, const char *end, as_arena *ar, size_t *len)
{
    char *d = as_arena_alloc(ar, (size_t)(end - p), 1);
    if (d == NULL)
        return NULL;
    char *o = d;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        size_t run = (size_t)((q ? q + 1 : end) - p);   /* through the first quote of a pair */
        memcpy(o, p, run);
        o += run;
        p += run;
        if (q == NULL)
            break;
        p++;                                             /* the second quote of the pair */
    }
    *len = (size_t)(o - d);
    return d;
}

/* Moves the fields to a bigger arena array. AS_OK or AS_ERR_NOMEM. */
static AS_NOINLINE as_code grow(as_arena *ar, as_slice **v, size_t *cap, size_t n)
{
    size_t ncap = *cap * 2;
    as_slice *nv = as_arena_alloc(ar, ncap * sizeof *nv, _Alignof(as_slice));
    if (nv == NULL)
        return AS_ERR_NOMEM;
    memcpy(nv, *v, n * sizeof *nv);
    *v = nv;
    *cap = ncap;
    return AS_OK;
}

/* Walks rec (see the top of the file). buf has room for cap slices. On AS_OK
 * *n_fields is the count and, with CSV_DIR_SPLIT, *fields the arena array;
 * on an error *err_off is the offending byte's offset (0 for AS_ERR_NOMEM). */
static inline as_code scan_impl(as_slice rec, int di, csv_dir dir, as_arena *ar, as_slice *buf, size_t cap,
                                as_slice **fields, size_t *n_fields, size_t *err_off)
{
    const char *const beg = rec.ptr;
    const char *const end = beg + body_len(rec);
    const char delim = k_delims[di];
    const unsigned char *const stop = k_stop[di];
    as_slice *v = buf;
    size_t n = 0;
    const char *at;
    as_code rc = AS_ERR_SYNTAX;

    if (beg == end)
        goto done;                                  /* an empty record: no field */
    for (const char *p = beg;;) {
        const char *const f = p, *q;
        as_slice val;
        if (p < end && *p == '"') {
            const char *r, *c = p + 1;
            int doubled = 0;
            for (;;) {
                r = memchr(c, '"', (size_t)(end - c));
                if (AS_UNLIKELY(r == NULL)) {
                    at = f;                         /* unterminated: its opening quote */
                    goto fail;
                }
                if (r + 1 == end || r[1] != '"')
                    break;
                doubled = 1;
                c = r + 2;
            }
            q = r + 1;
            if (AS_UNLIKELY(q < end && *q != delim && *q != '\n' && *q != '\r')) {
                at = q;                             /* text after the closing quote */
                goto fail;
            }
            val = as_slice_from(p + 1, r);
            if (dir == CSV_DIR_SPLIT && AS_UNLIKELY(doubled)) {
                char *d = decode_doubled(p + 1, r, ar, &val.len);
                if (d == NULL) {
                    rc = AS_ERR_NOMEM;
                    at = beg;
                    goto fail;
                }
                val.ptr = d;
            }
        } else {
            q = p;
            while (q < end && !stop[(unsigned char)*q])
                q++;
            if (AS_UNLIKELY(q < end && *q == '"')) {
                at = q;                             /* a quote inside an unquoted field */
                goto fail;
            }
            val = as_slice_from(p, q);
        }
        if (AS_UNLIKELY(n == PSR_CSV_MAX_FIELDS)) {
            rc = AS_ERR_BAD_VALUE;
            at = f;
            goto fail;
        }
        if (dir == CSV_DIR_SPLIT) {
            if (AS_UNLIKELY(n == cap) && grow(ar, &v, &cap, n) != AS_OK) {
                rc = AS_ERR_NOMEM;
                at = beg;
                goto fail;
            }
            v[n] = val;
        } else if (dir == CSV_DIR_RAW && n < cap) {
            v[n] = val;
        }
        n++;
        if (q == end)
            break;
        if (AS_UNLIKELY(*q != delim)) {
            at = q;                                 /* a line break outside quotes */
            goto fail;
        }
        p = q + 1;
    }
done:
    if (dir == CSV_DIR_SPLIT) {
        if (v == buf) {
            v = as_arena_alloc(ar, (n ? n : 1) * sizeof *v, _Alignof(as_slice));
            if (v == NULL) {
                rc = AS_ERR_NOMEM;
                at = beg;
                goto fail;
            }
            memcpy(v, buf, n * sizeof *v);
        }
        *fields = v;
    }
    *n_fields = n;
    return AS_OK;
fail:
    *err_off = (size_t)(at - beg);
    return rc;
}

static as_code finish(as_code rc, as_slice rec, size_t off, uint64_t *err_line, uint64_t *err_col)
{
    if (rc == AS_ERR_NOMEM)
        no_location(err_line, err_col);
    else
        locate(rec, off, err_line, err_col);
    return rc;
}

as_code psr_csv_split(as_slice rec, const psr_csv_opts *o, as_arena *ar, as_slice **fields,
                        size_t *n_fields, uint64_t *err_line, uint64_t *err_col)
{
    char dl = 0;
    if (o)
        dl = o->delim;
    int di = delim_index(dl);
    if (di < 0) {
        no_location(err_line, err_col);
        return AS_ERR_USAGE;
    }
    as_slice buf[CSV_INLINE_FIELDS];
    size_t off = 0;
    as_code rc = scan_impl(rec, di, CSV_DIR_SPLIT, ar, buf, CSV_INLINE_FIELDS, fields, n_fields, &off);
    if (AS_LIKELY(rc == AS_OK))
        return AS_OK;
    return finish(rc, rec, off, err_line, err_col);
}

as_code psr_csv_count(as_slice rec, const psr_csv_opts *o, size_t *n_fields, uint64_t *err_line,
                      uint64_t *err_col)
{
    char dl = 0;
    if (o)
        dl = o->delim;
    int di = delim_index(dl);
    if (di < 0) {
        no_location(err_line, err_col);
        return AS_ERR_USAGE;
    }
    size_t off = 0;
    as_code rc = scan_impl(rec, di, CSV_DIR_COUNT, NULL, NULL, 0, NULL, n_fields, &off);
    if (AS_LIKELY(rc == AS_OK))
        return AS_OK;
    return finish(rc, rec, off, err_line, err_col);
}

/* ---- the reference: libcsv ---- */

typedef struct lib_ctx {
    as_arena *ar;
    as_slice  buf[CSV_INLINE_FIELDS]; /* the first fields */
    as_slice *v;                      /* buf, or an arena array once there are more */
    size_t    cap;                    /* room in v */
    size_t    n;                      /* fields submitted */
    unsigned  rows;                   /* row ends seen (any one is an error) */
    as_code   failed;                 /* from a callback: AS_ERR_BAD_VALUE or AS_ERR_NOMEM */
} lib_ctx;

static int lib_no_space(unsigned char c)
{
    (void)c;
    return 0;                         /* trim nothing: RFC 4180 spaces are data */
}

static void *lib_realloc(void *p, size_t n)
{
    return as_realloc(p, n);
}

static void lib_free(void *p)
{
    as_free(p);
}

static void lib_on_field(void *s, size_t len, void *data)
{
    lib_ctx *x = data;
    if (x->failed)
        return;
    if (x->n == PSR_CSV_MAX_FIELDS) {
        x->failed = AS_ERR_BAD_VALUE;
        return;
    }
    as_slice f = { "", 0 };
    if (len) {
        char *d = as_arena_alloc(x->ar, len, 1);
        if (d == NULL) {
            x->failed = AS_ERR_NOMEM;
            return;
        }
        memcpy(d, s, len);
        f = as_slice_make(d, len);
    }
    if (x->n == x->cap && grow(x->ar, &x->v, &x->cap, x->n) != AS_OK) {
        x->failed = AS_ERR_NOMEM;
        return;
    }
    x->v[x->n++] = f;
}

static void lib_on_row(int c, void *data)
{
    (void)c;
    lib_ctx *x = data;
    x->rows++;
}

as_code psr_csv_split_libcsv(as_slice rec, const psr_csv_opts *o, as_arena *ar, as_slice **fields,
                             size_t *n_fields, uint64_t *err_line, uint64_t *err_col)
{
    char dl = 0;
    if (o)
        dl = o->delim;
    int di = delim_index(dl);
    if (di < 0) {
        no_location(err_line, err_col);
        return AS_ERR_USAGE;
    }
    const char delim = k_delims[di];
    const size_t len = body_len(rec);
    lib_ctx x;
    x.ar = ar;
    x.v = x.buf;
    x.cap = CSV_INLINE_FIELDS;
    x.n = 0;
    x.rows = 0;
    x.failed = AS_OK;

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
        return AS_ERR_INTERNAL;
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_space_func(&p, lib_no_space);
    csv_set_realloc_func(&p, lib_realloc);
    csv_set_free_func(&p, lib_free);
    csv_set_blk_size(&p, len + 1);    /* one allocation: no field is longer than the record */

    as_code rc = AS_OK;
    size_t at = 0;
    const char *s = rec.ptr, *const end = rec.ptr + len;
    while (s < end) {
        const char *t = s;            /* the next CR or LF, fed with the bytes before it */
        while (t < end && *t != '\n' && *t != '\r')
            t++;
        size_t seg = (size_t)(t < end ? t + 1 - s : end - s);
        size_t done = csv_parse(&p, s, seg, lib_on_field, lib_on_row, &x);
        if (x.failed) {
            rc = x.failed;
            break;
        }
        if (done < seg) {
            rc = csv_error(&p) == CSV_EPARSE ? AS_ERR_SYNTAX : AS_ERR_NOMEM;
            at = (size_t)(s - rec.ptr) + done;
            break;
        }
        if (x.rows) {
            rc = AS_ERR_SYNTAX;       /* t ended a row: a line break outside quotes */
            at = (size_t)(t - rec.ptr);
            break;
        }
        s += seg;
    }
    if (rc == AS_OK) {
        if (csv_fini(&p, lib_on_field, lib_on_row, &x) != 0) {
            rc = AS_ERR_SYNTAX;       /* unterminated: the open field's opening quote */
            at = field_start(rec.ptr, len, delim, x.n);
        } else {
            rc = x.failed;
        }
    }
    csv_free(&p);
    if (rc == AS_ERR_BAD_VALUE)
        at = field_start(rec.ptr, len, delim, PSR_CSV_MAX_FIELDS);
    if (rc != AS_OK)
        return finish(rc, rec, at, err_line, err_col);
    as_slice *v = x.v;
    if (v == x.buf) {
        v = as_arena_alloc(ar, (x.n ? x.n : 1) * sizeof *v, _Alignof(as_slice));
        if (v == NULL) {
            no_location(err_line, err_col);
            return AS_ERR_NOMEM;
        }
        memcpy(v, x.buf, x.n * sizeof *v);
    }
    *fields = v;
    *n_fields = x.n;
    return AS_OK;
}

/* ---- the header row ---- */

typedef struct name_ix {
    as_slice name;
    size_t   ix;
} name_ix;

static int name_ix_cmp(const void *a, const void *b)
{
    const name_ix *x = a, *y = b;
    int c = as_slice_cmp(x->name, y->name);
    if (c != 0)
        return c;
    return (x->ix > y->ix) - (x->ix < y->ix);
}

#define CSV_DUP_QUADRATIC 32u  /* up to this many names, compare every pair; above, sort */

/* The first column (in reading order) that repeats an earlier name, or n.
 * AS_ERR_NOMEM when the sort array cannot be had. */
static as_code first_duplicate(const as_slice *names, size_t n, as_arena *ar, size_t *dup)
{
    *dup = n;
    if (n <= CSV_DUP_QUADRATIC) {
        for (size_t i = 1; i < n; i++)
            for (size_t k = 0; k < i; k++)
                if (as_slice_eq(names[k], names[i])) {
                    *dup = i;
                    return AS_OK;
                }
        return AS_OK;
    }
    name_ix *s = as_arena_alloc(ar, n * sizeof *s, _Alignof(name_ix));
    if (s == NULL)
        return AS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        s[i] = (name_ix){ names[i], i };
    qsort(s, n, sizeof *s, name_ix_cmp);
    for (size_t i = 1; i < n; i++)     /* in a run of equal names, the second is the first repeat */
        // cppcheck-suppress arrayIndexThenCheck ; i < 2 guards s[i - 2], not s[i]
        if (as_slice_eq(s[i - 1].name, s[i].name) && (i < 2 || !as_slice_eq(s[i - 2].name, s[i].name)) &&
            s[i].ix < *dup)
            *dup = s[i].ix;
    return AS_OK;
}

as_code psr_csv_header_parse(as_slice rec, const psr_csv_opts *o, as_arena *ar, psr_csv_header *h,
                             uint64_t *err_line, uint64_t *err_col)
{
    char dl = 0;
    if (o)
        dl = o->delim;
    int di = delim_index(dl);
    if (di < 0) {
        no_location(err_line, err_col);
        return AS_ERR_USAGE;
    }
    size_t bom = rec.len >= CSV_BOM_LEN && memcmp(rec.ptr, CSV_UTF8_BOM, CSV_BOM_LEN) == 0 ? CSV_BOM_LEN : 0;
    as_slice body = as_slice_make(rec.ptr + bom, rec.len - bom);
    uint64_t line = 0, col = 0;
    as_slice *names;
    size_t n, bad;
    as_code rc = AS_ERR_SYNTAX;
    if (body_len(body) == 0) {
        locate(body, 0, &line, &col);               /* an empty header */
        goto fail;
    }
    rc = psr_csv_split(body, o, ar, &names, &n, &line, &col);
    if (rc != AS_OK)
        goto fail;
    for (bad = 0; bad < n && names[bad].len > 0; bad++)
        ;
    size_t dup;
    rc = first_duplicate(names, bad, ar, &dup);    /* only names left of an empty one matter */
    if (rc != AS_OK)
        goto fail;
    if (dup < bad)
        bad = dup;
    if (bad < n) {
        rc = AS_ERR_BAD_VALUE;
        locate(body, field_start(body.ptr, body_len(body), k_delims[di], bad), &line, &col);
        goto fail;
    }
    h->names = names;
    h->n_names = n;
    h->has_bom = bom != 0;
    return AS_OK;
fail:
    if (line == 1)
        col += bom;                                 /* columns of the file: the BOM's bytes count */
    if (err_line != NULL)
        *err_line = line;
    if (err_col != NULL)
        *err_col = col;
    return rc;
}

int psr_csv_header_find(const psr_csv_header *h, as_slice name)
{
    for (size_t i = 0; i < h->n_names; i++)
        if (as_slice_eq(h->names[i], name))
            return (int)i;
    return -1;
}

/* ---- sniffing ---- */

#define CSV_SNIFF_COLS     64u  /* columns of each row looked at */
#define CSV_SNIFF_NAME_MAX 128u /* bytes: a longer "name" is text, not a column name */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number, a timestamp, or mostly digits (an address, an id): what a data
 * cell holds and a column name does not. */
static int value_like(as_slice s)
{
    if (s.len == 0)
        return 0;
    size_t i = 0, digits = 0, dots = 0;
    if (s.ptr[0] == '-' || s.ptr[0] == '+')
        i++;
    size_t j = i;
    for (; j < s.len && (is_digit(s.ptr[j]) || (s.ptr[j] == '.' && dots++ == 0)); j++)
        digits += is_digit(s.ptr[j]);
    if (j == s.len && digits > 0)
        return 1;                               /* -12, 3.5 */
    digits = 0;
    for (size_t k = 0; k < s.len; k++)
        digits += is_digit(s.ptr[k]);
    if (digits >= 4 && digits * 2 >= s.len)
        return 1;                               /* 10.0.0.1, 2026-03-01, 555-0100 */
    as_time t;
    return as_time_parse_any(s, 0, &t, NULL) == s.len;
}

/* A plausible column name: not too long, no line break, no space at either end. */
static int name_like(as_slice s)
{
    return s.len > 0 && s.len <= CSV_SNIFF_NAME_MAX && memchr(s.ptr, '\n', s.len) == NULL && s.ptr[0] != ' ' &&
           s.ptr[s.len - 1] != ' ' && !value_like(s);
}

/* Text, not binary: valid UTF-8 without control bytes other than TAB, CR, LF. */
static int is_text(as_slice s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
            return 0;
    }
    return as_utf8_check(s.ptr, s.len) == s.len;
}

/* The score of one delimiter over recs[0..n) (recs[0] is the header). */
static int sniff_delim(const as_slice *recs, size_t n, int di, size_t *n_cols)
{
    as_slice names[CSV_SNIFF_COLS], row[CSV_SNIFF_COLS];
    size_t hn, off;
    if (scan_impl(recs[0], di, CSV_DIR_RAW, NULL, names, CSV_SNIFF_COLS, NULL, &hn, &off) != AS_OK || hn < 2)
        return 0;
    *n_cols = hn;
    size_t cols = AS_MIN(hn, CSV_SNIFF_COLS);
    int odd = 0, empty = 0;
    for (size_t c = 0; c < cols; c++) {
        empty |= names[c].len == 0;
        odd |= !name_like(names[c]);
    }
    unsigned data_like[CSV_SNIFF_COLS] = { 0 };  /* per column: rows whose value is value_like */
    size_t r = n - 1, good = 0;
    for (size_t i = 1; i < n; i++) {
        size_t rn;
        if (scan_impl(recs[i], di, CSV_DIR_RAW, NULL, row, CSV_SNIFF_COLS, NULL, &rn, &off) != AS_OK || rn != hn)
            continue;
        good++;
        for (size_t c = 0; c < cols; c++)
            data_like[c] += (unsigned)value_like(row[c]);
    }
    int score;
    if (r == 0)
        score = odd ? 20 : 50;                  /* a header alone */
    else if (good == r)
        score = r == 1 ? 80 : r < 4 ? 85 : 95;
    else if (good >= 2 && good * 3 >= r * 2 && !odd)
        score = 70;                             /* a few malformed rows under a clean header */
    else
        score = (int)(20 * good / r);
    if (odd && score > 20)
        score -= 15;
    if (empty && score > 20)
        score = 20;                             /* "| a | b |": not a header row */
    for (size_t c = 0; c < cols && score > 25; c++)
        if (good > 0 && value_like(names[c]) && (size_t)data_like[c] * 2 >= good)
            score = 25;                         /* the first row is data, like the rest */
    return score;
}

int psr_csv_sniff(as_slice head, char *delim_out)
{
    const char *p = head.ptr, *const end = head.ptr + head.len;
    int has_bom = head.len >= CSV_BOM_LEN && memcmp(p, CSV_UTF8_BOM, CSV_BOM_LEN) == 0;
    if (has_bom)
        p += CSV_BOM_LEN;
    if (p == end || *p == '{' || *p == '[')
        return 0;                               /* nothing, or JSON */
    as_slice recs[PSR_CSV_SNIFF_RECORDS];
    size_t n = 0;
    while (n < PSR_CSV_SNIFF_RECORDS && p < end) {
        const char *q = p;
        unsigned inq = 0;                       /* the engine's framing: quote parity */
        for (; q < end; q++) {
            if (*q == '"')
                inq ^= 1;
            else if (*q == '\n' && !inq)
                break;
        }
        if (q == end)
            break;                              /* cut by the end of head */
        as_slice r = as_slice_from(p, q);
        if (body_len(r) > 0)
            recs[n++] = r;                      /* blank lines are the engine's to count */
        p = q + 1;
    }
    if (n == 0 || !is_text(recs[0]))
        return 0;
    int best = 0;
    size_t best_cols = 0;
    for (int di = 0; di < (int)sizeof k_delims; di++) {
        size_t cols = 0;
        int s = sniff_delim(recs, n, di, &cols);
        if (s > best || (s == best && s > 0 && cols > best_cols)) {
            best = s;
            best_cols = cols;
            *delim_out = k_delims[di];
        }
    }
    if (has_bom && best >= 50)
        best = AS_MIN(best + 5, 100);
    return best;
}

