/* fuzz_csv.c: libFuzzer target for parsers/psr_csv (RFC 4180 records).
 *
 * The first byte picks the delimiter (its low two bits: , ; TAB |); the rest
 * is an input head. It is sniffed, cut into records the way the engine does
 * (a line feed outside quotes ends one, by quote parity), and each record, as
 * well as the whole rest as one record, is checked; aborting on a violation
 * so libFuzzer (or the replay runner of `make test`) reports it:
 *   - psr_csv_split and the libcsv reference psr_csv_split_libcsv give the
 *     same code; the same line and column on an error; the same values
 *     otherwise; psr_csv_count the same count, code and location;
 *   - an error is a known code at a byte of the record: line 1 .. lines,
 *     column 1 .. that line's length + 1;
 *   - an accepted record is covered exactly: writing each value back (quoted
 *     with doubled quotes when the record has a quote there, as is
 *     otherwise) and the delimiters between gives the record, up to a final
 *     CR; a value with no doubled quote is a slice of the record, one with
 *     one is not;
 *   - the first record as a header: the split of the record without its BOM
 *     and a naive check (empty names, repeats) predict psr_csv_header_parse's
 *     code, location (the BOM's bytes counted on line 1) and names;
 *     psr_csv_header_find gives the first column of each name;
 *   - psr_csv_sniff is in 0..100 with a delimiter of the four, and the same
 *     when called again.
 * Seeds: tests/fuzz/corpus/fuzz_csv/; kept crashers: tests/fuzz/regress/fuzz_csv/.
 */
#include <stdint.h>  /* uint8_t */
#include <stdlib.h>  /* abort */
#include <string.h>  /* memcmp, memchr */

#include "core/as.h"
#include "parsers/psr_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond))     \
            abort();     \
    } while (0)

static const char k_delims[] = { ',', ';', '\t', '|' };

typedef struct result {
    as_code   rc;
    as_slice *f;
    size_t    n;
    uint64_t  line, col;
} result;

static void same(const result *a, const result *b)
{
    FUZZ_CHECK(a->rc == b->rc);
    if (a->rc != AS_OK) {
        FUZZ_CHECK(a->line == b->line && a->col == b->col);
        return;
    }
    FUZZ_CHECK(a->n == b->n);
    for (size_t i = 0; i < a->n; i++)
        FUZZ_CHECK(as_slice_eq(a->f[i], b->f[i]));
}

/* The location names a byte of rec (or the one past its last line). */
static void check_location(as_slice rec, uint64_t line, uint64_t col)
{
    FUZZ_CHECK(line >= 1 && col >= 1);
    uint64_t l = 1;
    size_t start = 0;
    for (size_t i = 0; i < rec.len && l < line; i++)
        if (rec.ptr[i] == '\n') {
            l++;
            start = i + 1;
        }
    FUZZ_CHECK(l == line);
    const char *nl = memchr(rec.ptr + start, '\n', rec.len - start);
    size_t line_len = (size_t)((nl ? nl : rec.ptr + rec.len) - (rec.ptr + start));
    FUZZ_CHECK(col <= line_len + 1);
}

static int inside(as_slice s, as_slice rec)
{
    return s.ptr >= rec.ptr && s.ptr + s.len <= rec.ptr + rec.len;
}

/* Writing the values back gives the record (see the top). */
static void check_cover(as_slice rec, char delim, const result *r)
{
    const char *p = rec.ptr, *end = rec.ptr + rec.len;
    if (end > p && end[-1] == '\r')
        end--;
    if (r->n == 0) {
        FUZZ_CHECK(p == end);
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        as_slice v = r->f[i];
        if (p < end && *p == '"') {
            p++;
            int doubled = 0;
            for (size_t k = 0; k < v.len; k++) {
                FUZZ_CHECK(p < end && *p == v.ptr[k]);
                p++;
                if (v.ptr[k] == '"') {
                    FUZZ_CHECK(p < end && *p == '"');
                    p++;
                    doubled = 1;
                }
            }
            FUZZ_CHECK(p < end && *p == '"');
            p++;
            FUZZ_CHECK(doubled != inside(v, rec));
            FUZZ_CHECK(doubled || v.len == 0 || v.ptr == p - 1 - v.len);
        } else {
            FUZZ_CHECK((size_t)(end - p) >= v.len && (v.len == 0 || memcmp(p, v.ptr, v.len) == 0));
            FUZZ_CHECK(inside(v, rec) && (v.len == 0 || v.ptr == p));
            FUZZ_CHECK(memchr(v.ptr, '"', v.len) == NULL && memchr(v.ptr, '\n', v.len) == NULL &&
                       memchr(v.ptr, '\r', v.len) == NULL && memchr(v.ptr, delim, v.len) == NULL);
            p += v.len;
        }
        if (i + 1 < r->n) {
            FUZZ_CHECK(p < end && *p == delim);
            p++;
        }
    }
    FUZZ_CHECK(p == end);
}

static void check_record(as_slice rec, char delim, as_arena *ar)
{
    const psr_csv_opts o = { delim };
    result a = { 0 }, b = { 0 };
    a.rc = psr_csv_split(rec, &o, ar, &a.f, &a.n, &a.line, &a.col);
    b.rc = psr_csv_split_libcsv(rec, &o, ar, &b.f, &b.n, &b.line, &b.col);
    same(&a, &b);

    result c = { 0 };
    c.rc = psr_csv_count(rec, &o, &c.n, &c.line, &c.col);
    FUZZ_CHECK(c.rc == a.rc || (a.rc == AS_ERR_NOMEM && c.rc == AS_OK));
    FUZZ_CHECK(c.rc == AS_OK ? c.n == a.n : c.line == a.line && c.col == a.col);

    if (a.rc != AS_OK) {
        FUZZ_CHECK(a.rc == AS_ERR_SYNTAX || a.rc == AS_ERR_BAD_VALUE);
        check_location(rec, a.line, a.col);
        return;
    }
    FUZZ_CHECK(a.n <= PSR_CSV_MAX_FIELDS);
    check_cover(rec, delim, &a);
}

/* psr_csv_header_parse against the split of the record without its BOM. */
static void check_header(as_slice rec, char delim, as_arena *ar)
{
    const psr_csv_opts o = { delim };
    psr_csv_header h;
    uint64_t line = 0, col = 0;
    as_code rc = psr_csv_header_parse(rec, &o, ar, &h, &line, &col);

    size_t bom = rec.len >= 3 && memcmp(rec.ptr, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    as_slice body = as_slice_make(rec.ptr + bom, rec.len - bom);
    result s = { 0 };
    s.rc = psr_csv_split(body, &o, ar, &s.f, &s.n, &s.line, &s.col);
    if (s.rc == AS_OK && s.n == 0) {
        FUZZ_CHECK(rc == AS_ERR_SYNTAX && line == 1 && col == 1 + bom);
        return;
    }
    if (s.rc != AS_OK) {
        FUZZ_CHECK(rc == s.rc && line == s.line && col == s.col + (s.line == 1 ? bom : 0));
        return;
    }
    size_t bad = s.n;
    for (size_t i = 0; i < s.n && bad == s.n; i++) {
        if (s.f[i].len == 0)
            bad = i;
        for (size_t k = 0; k < i && bad == s.n; k++)
            if (as_slice_eq(s.f[k], s.f[i]))
                bad = i;
    }
    if (bad < s.n) {
        FUZZ_CHECK(rc == AS_ERR_BAD_VALUE);
        check_location(rec, line, col);
        return;
    }
    FUZZ_CHECK(rc == AS_OK && h.n_names == s.n && h.has_bom == (bom != 0));
    for (size_t i = 0; i < s.n; i++) {
        FUZZ_CHECK(as_slice_eq(h.names[i], s.f[i]));
        FUZZ_CHECK(psr_csv_header_find(&h, s.f[i]) == (int)i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char delim = k_delims[data[0] & 3];
    as_slice in = as_slice_make((const char *)data + 1, size - 1);

    char d1 = 'x', d2 = 'y';
    int s1 = psr_csv_sniff(in, &d1), s2 = psr_csv_sniff(in, &d2);
    FUZZ_CHECK(s1 >= 0 && s1 <= 100 && s1 == s2);
    FUZZ_CHECK(s1 == 0 || (memchr(k_delims, d1, sizeof k_delims) != NULL && d1 == d2));

    as_arena ar;
    as_arena_init(&ar, 0);
    check_record(in, delim, &ar);                 /* the whole rest as one record */

    const char *p = in.ptr, *end = in.ptr + in.len;
    int first = 1;
    while (p < end) {                             /* the engine's records: quote parity */
        const char *q = p;
        unsigned inq = 0;
        for (; q < end; q++) {
            if (*q == '"')
                inq ^= 1;
            else if (*q == '\n' && !inq)
                break;
        }
        as_slice rec = as_slice_from(p, q);
        check_record(rec, delim, &ar);
        if (first)
            check_header(rec, delim, &ar);
        first = 0;
        as_arena_reset(&ar);
        p = q < end ? q + 1 : end;
    }
    as_arena_fini(&ar);
    return 0;
}
