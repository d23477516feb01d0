/* psr_csv.c: CSV records via libcsv (see psr_csv.h). libcsv is fed one
 * record and finished (csv_fini), so no state leaks from one record to the
 * next; its buffers go through as_alloc. Spaces are never trimmed (libcsv
 * trims by default: the space function says no byte is a space).
 * A record without any double quote takes a fast path (memchr on the
 * delimiter, slices into the record, no copy): RFC 4180 leaves such fields
 * nothing to decode. fuzz_csv checks that both paths agree on such records. */
#include "parsers/psr_csv.h"

#include <csv.h>     /* csv_parser, csv_parse, csv_fini */
#include <string.h>  /* memcpy, memchr */

struct psr_csv {
    struct csv_parser p;
    int               ok;   /* p is initialised */
};

typedef struct split_ctx {
    as_arena *ar;
    as_slice  v[PSR_CSV_MAX_FIELDS > 64 ? 64 : PSR_CSV_MAX_FIELDS]; /* first fields, inline */
    as_slice *big;          /* all fields once there are more than 64 (arena) */
    size_t    cap_big;
    size_t    n;
    unsigned  rows;         /* row ends seen */
    int       failed;       /* AS_ERR_* to return, 0 = none */
} split_ctx;

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int is_term(unsigned char c)
{
    return c == CSV_CR || c == CSV_LF;
}

static void *csv_realloc(void *p, size_t n) { return as_realloc(p, n); }
static void csv_free_fn(void *p) { as_free(p); }

static int init_parser(psr_csv *c, char delim)
{
    if (!c->ok) {
        if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
            return -1;
        csv_set_realloc_func(&c->p, csv_realloc);
        csv_set_free_func(&c->p, csv_free_fn);
        csv_set_space_func(&c->p, no_space);
        csv_set_term_func(&c->p, is_term);
        c->ok = 1;
    }
    csv_set_delim(&c->p, (unsigned char)delim);
    return 0;
}

psr_csv *psr_csv_new(void)
{
    return as_calloc(1, sizeof(psr_csv));
}

void psr_csv_free(psr_csv *c)
{
    if (c == NULL)
        return;
    if (c->ok)
        csv_free(&c->p);
    as_free(c);
}

static void on_field(void *s, size_t len, void *data)
{
    split_ctx *x = data;
    if (x->failed)
        return;
    if (x->rows > 0) {
        x->failed = AS_ERR_SYNTAX;                  /* a field after a row end: a bare line break */
        return;
    }
    if (x->n == PSR_CSV_MAX_FIELDS) {
        x->failed = AS_ERR_BAD_VALUE;
        return;
    }
    char *d = NULL;
    if (len) {
        d = as_arena_alloc(x->ar, len, 1);
        if (d == NULL) {
            x->failed = AS_ERR_NOMEM;
            return;
        }
        memcpy(d, s, len);
    }
    as_slice f = { d ? d : "", len };
    if (x->n < AS_ARRAY_LEN(x->v) && x->big == NULL) {
        x->v[x->n++] = f;
        return;
    }
    if (x->big == NULL || x->n == x->cap_big) {
        size_t ncap = x->cap_big ? x->cap_big * 2 : 256;
        as_slice *nb = as_arena_alloc(x->ar, ncap * sizeof *nb, _Alignof(as_slice));
        if (nb == NULL) {
            x->failed = AS_ERR_NOMEM;
            return;
        }
        memcpy(nb, x->big ? x->big : x->v, x->n * sizeof *nb);
        x->big = nb;
        x->cap_big = ncap;
    }
    x->big[x->n++] = f;
}

static void on_row(int c, void *data)
{
    (void)c;
    split_ctx *x = data;
    x->rows++;
}

static void locate(as_slice rec, size_t off, uint64_t *line, uint64_t *col)
{
    uint64_t l = 1;
    size_t start = 0;
    if (off > rec.len)
        off = rec.len;
    for (size_t i = 0; i < off; i++)
        if (rec.ptr[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (uint64_t)(off - start) + 1;
}

/* A record without a double quote: fields are the runs between delimiters,
 * as slices into the record (RFC 4180 gives them no other meaning), with no
 * copy; a line break in it is a second row (syntax). */
static as_code split_plain(as_slice rec, size_t len, char delim, as_arena *ar, as_slice **fields,
                           size_t *n_fields, uint64_t *err_line, uint64_t *err_col)
{
    const char *p = rec.ptr, *end = rec.ptr + len;
    size_t n = 1;
    for (const char *q = p; (q = memchr(q, delim, (size_t)(end - q))) != NULL; q++)
        n++;
    if (n > PSR_CSV_MAX_FIELDS) {
        *err_line = 1;
        *err_col = 1;
        return AS_ERR_BAD_VALUE;
    }
    const char *br = memchr(p, '\n', len);
    if (br == NULL)
        br = memchr(p, '\r', len);
    if (br != NULL) {
        locate(rec, (size_t)(br - p), err_line, err_col);
        return AS_ERR_SYNTAX;
    }
    as_slice *v = as_arena_alloc(ar, n * sizeof *v, _Alignof(as_slice));
    if (v == NULL)
        return AS_ERR_NOMEM;
    size_t k = 0;
    while (k + 1 < n) {
        const char *d = memchr(p, delim, (size_t)(end - p));
        v[k++] = (as_slice){ p, (size_t)(d - p) };
        p = d + 1;
    }
    v[k] = (as_slice){ p, (size_t)(end - p) };
    *fields = v;
    *n_fields = n;
    return AS_OK;
}

as_code psr_csv_split(psr_csv *c, as_slice rec, char delim, as_arena *ar, as_slice **fields,
                      size_t *n_fields, uint64_t *err_line, uint64_t *err_col)
{
    size_t plen = rec.len;
    if (plen && rec.ptr[plen - 1] == '\r')
        plen--;
    if (plen && memchr(rec.ptr, '"', plen) == NULL)
        return split_plain(rec, plen, delim, ar, fields, n_fields, err_line, err_col);
    return psr_csv_split_libcsv(c, rec, delim, ar, fields, n_fields, err_line, err_col);
}

as_code psr_csv_split_libcsv(psr_csv *c, as_slice rec, char delim, as_arena *ar, as_slice **fields,
                             size_t *n_fields, uint64_t *err_line, uint64_t *err_col)
{
    split_ctx x;
    x.ar = ar;
    x.big = NULL;
    x.cap_big = 0;
    x.n = 0;
    x.rows = 0;
    x.failed = 0;
    if (init_parser(c, delim) != 0)
        return AS_ERR_NOMEM;
    size_t len = rec.len;
    if (len && rec.ptr[len - 1] == '\r')
        len--;
    size_t done = csv_parse(&c->p, rec.ptr, len, on_field, on_row, &x);
    int perr = done < len ? csv_error(&c->p) : CSV_SUCCESS;
    int ferr = perr == CSV_SUCCESS ? csv_fini(&c->p, on_field, on_row, &x) : -1;
    if (perr != CSV_SUCCESS || ferr != 0 || x.failed) {
        /* start over on the next record: libcsv keeps its error state */
        csv_free(&c->p);
        c->ok = 0;
        as_code code = x.failed ? (as_code)x.failed
                       : perr == CSV_ENOMEM || perr == CSV_ETOOBIG ? AS_ERR_NOMEM : AS_ERR_SYNTAX;
        size_t at = perr != CSV_SUCCESS ? done : len;
        if (ferr != 0 && perr == CSV_SUCCESS && !x.failed) {
            /* unterminated quoted field: point at its opening quote */
            const char *q = rec.ptr + len;
            int inq = 0;
            const char *open = NULL;
            for (const char *p = rec.ptr; p < q; p++)
                if (*p == '"') {
                    inq = !inq;
                    if (inq)
                        open = p;
                }
            if (open)
                at = (size_t)(open - rec.ptr);
        }
        locate(rec, at, err_line, err_col);
        return code;
    }
    *fields = x.big ? x.big : NULL;
    if (x.big == NULL) {
        as_slice *v = as_arena_alloc(ar, (x.n ? x.n : 1) * sizeof *v, _Alignof(as_slice));
        if (v == NULL)
            return AS_ERR_NOMEM;
        memcpy(v, x.v, x.n * sizeof *v);
        *fields = v;
    }
    *n_fields = x.n;
    return AS_OK;
}

/* Fields of one record outside quotes with delimiter d; the record ends at
 * the first line feed outside quotes. Returns the count, or 0 when head
 * ends inside the record; *next gets where the next record starts. */
static size_t count_fields(const char *p, const char *end, char d, const char **next, int *empty_name)
{
    size_t n = 1;
    int inq = 0;
    const char *field = p;
    for (; p < end; p++) {
        char ch = *p;
        if (ch == '"') {
            inq = !inq;
        } else if (!inq && ch == d) {
            if (p == field)
                *empty_name = 1;
            n++;
            field = p + 1;
        } else if (!inq && ch == '\n') {
            const char *e = p > field && p[-1] == '\r' ? p - 1 : p;
            if (e == field)
                *empty_name = 1;
            *next = p + 1;
            return n;
        }
    }
    return 0;
}

int psr_csv_sniff(as_slice head, char *delim_out)
{
    static const char cand[] = { ',', ';', '\t', '|' };
    const char *start = head.ptr, *end = head.ptr + head.len;
    if (head.len >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0)
        start += 3;
    if (start < end && (*start == '{' || *start == '['))
        return 0;
    int best = 0;
    for (size_t k = 0; k < sizeof cand; k++) {
        const char *p = start, *next = NULL;
        int empty = 0;
        size_t want = count_fields(p, end, cand[k], &next, &empty);
        if (want < 2 || empty)
            continue;
        unsigned recs = 1, same = 1;
        p = next;
        while (recs < 16 && p < end) {
            int e2 = 0;
            size_t got = count_fields(p, end, cand[k], &next, &e2);
            if (got == 0)
                break;                             /* cut by the end of head */
            recs++;
            if (got == want)
                same++;
            p = next;
        }
        int score = 0;
        if (recs >= 2 && same == recs)
            score = recs >= 5 ? 90 : 80;
        else if (recs >= 3 && same * 4 >= recs * 3)
            score = 75;                            /* a few malformed rows among good ones */
        else if (recs == 1)
            score = 50;                            /* a header alone */
        if (score > best || (score == best && score && want > 2)) {
            best = score;
            *delim_out = cand[k];
        }
    }
    return best;
}
