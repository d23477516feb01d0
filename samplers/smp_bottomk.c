/* smp_bottomk.c: the k smallest (key, id) pairs of a stream (see smp.h).
 *
 * A binary max-heap of at most k entries ordered by (key, id bytes): a new
 * pair enters when the heap is not full or it is below the root, which it
 * then replaces. The sample is a set, so it does not depend on the order of
 * the stream; bottom-k of the union of shards = bottom-k of the bottom-k of
 * each shard (Cohen & Kaplan 2007), which is how per-worker heaps merge.
 * Expected entries over a random stream of N: k (1 + ln(N / k)).
 */
#include "samplers/smp.h"

#include <stdlib.h>  /* qsort */
#include <string.h>  /* memcmp, memcpy */

int smp_pair_cmp(uint64_t ka, as_slice ia, uint64_t kb, as_slice ib)
{
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return as_slice_cmp(ia, ib);
}

static int ent_cmp(const smp_bk_ent *a, const smp_bk_ent *b)
{
    return smp_pair_cmp(a->key, (as_slice){ a->id, a->id_len }, b->key, (as_slice){ b->id, b->id_len });
}

void smp_bottomk_init(smp_bottomk *b, uint64_t k, void (*free_payload)(void *))
{
    memset(b, 0, sizeof *b);
    b->k = k;
    b->free_payload = free_payload;
}

static void ent_free(smp_bottomk *b, smp_bk_ent *e)
{
    as_free(e->id);
    if (b->free_payload && e->payload)
        b->free_payload(e->payload);
    e->id = NULL;
    e->payload = NULL;
}

void smp_bottomk_fini(smp_bottomk *b)
{
    for (size_t i = 0; i < b->n; i++)
        ent_free(b, &b->v[i]);
    as_free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

int smp_bottomk_wants(const smp_bottomk *b, uint64_t key, as_slice id)
{
    if (b->k == 0)
        return 0;
    if (b->n < b->k)
        return 1;
    const smp_bk_ent *r = &b->v[0];
    return smp_pair_cmp(key, id, r->key, (as_slice){ r->id, r->id_len }) < 0;
}

static void sift_down(smp_bk_ent *v, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && ent_cmp(&v[l], &v[m]) > 0)
            m = l;
        if (r < n && ent_cmp(&v[r], &v[m]) > 0)
            m = r;
        if (m == i)
            return;
        smp_bk_ent t = v[i];
        v[i] = v[m];
        v[m] = t;
        i = m;
    }
}

static void sift_up(smp_bk_ent *v, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (ent_cmp(&v[i], &v[p]) <= 0)
            return;
        smp_bk_ent t = v[i];
        v[i] = v[p];
        v[p] = t;
        i = p;
    }
}

/* Doubles an array of *cap elements (from 16), never past k of them;
 * 0, or -1 when memory runs out (the array is then unchanged). */
static int grow_capped(void **v, size_t *cap, size_t elem, uint64_t k)
{
    size_t c = *cap ? 2 * *cap : 16;
    if (c > k)
        c = (size_t)k;
    void *nv = as_realloc(*v, c * elem);
    if (nv == NULL)
        return -1;
    *v = nv;
    *cap = c;
    return 0;
}

/* Takes ownership of id (as_malloc'd, id_len bytes) and payload. */
static as_code push_owned(smp_bottomk *b, smp_bk_ent e)
{
    if (!smp_bottomk_wants(b, e.key, (as_slice){ e.id, e.id_len })) {
        ent_free(b, &e);
        return AS_OK;
    }
    if (b->n < b->k) {
        if (b->n == b->cap && grow_capped((void **)&b->v, &b->cap, sizeof *b->v, b->k) != 0) {
            ent_free(b, &e);
            return AS_ERR_NOMEM;
        }
        b->v[b->n] = e;
        sift_up(b->v, b->n);
        b->n++;
        return AS_OK;
    }
    ent_free(b, &b->v[0]);
    b->v[0] = e;
    sift_down(b->v, b->n, 0);
    return AS_OK;
}

as_code smp_bottomk_push(smp_bottomk *b, uint64_t key, as_slice id, void *payload)
{
    if (!smp_bottomk_wants(b, key, id)) {
        if (b->free_payload && payload)
            b->free_payload(payload);
        return AS_OK;
    }
    char *copy = as_malloc(id.len ? id.len : 1);
    if (copy == NULL) {
        if (b->free_payload && payload)
            b->free_payload(payload);
        return AS_ERR_NOMEM;
    }
    if (id.len)
        memcpy(copy, id.ptr, id.len);
    smp_bk_ent e = { key, copy, id.len, payload };
    return push_owned(b, e);
}

as_code smp_bottomk_merge(smp_bottomk *dst, smp_bottomk *src)
{
    as_code rc = AS_OK;
    for (size_t i = 0; i < src->n; i++) {
        as_code r = push_owned(dst, src->v[i]);
        if (rc == AS_OK)
            rc = r;
    }
    src->n = 0;
    smp_bottomk_fini(src);
    return rc;
}

static int qs_cmp(const void *a, const void *b)
{
    return ent_cmp(a, b);
}

void smp_bottomk_sort(smp_bottomk *b)
{
    if (b->n > 1)
        qsort(b->v, b->n, sizeof *b->v, qs_cmp);
}

/* ---- the prefilter: keys only ---- */

void smp_kfilter_init(smp_kfilter *f, uint64_t k)
{
    memset(f, 0, sizeof *f);
    f->k = k;
}

void smp_kfilter_fini(smp_kfilter *f)
{
    as_free(f->v);
    memset(f, 0, sizeof *f);
}

int smp_kfilter_offer(smp_kfilter *f, uint64_t key)
{
    if (f->k == 0)
        return 0;
    uint64_t *v = f->v;
    if (f->n < f->k) {
        if (f->n == f->cap) {
            if (grow_capped((void **)&f->v, &f->cap, sizeof *f->v, f->k) != 0) {
                f->oom = 1;
                return 1;
            }
            v = f->v;
        }
        size_t i = f->n++;                          /* sift up */
        while (i > 0 && v[(i - 1) / 2] < key) {
            v[i] = v[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        v[i] = key;
        return 1;
    }
    if (key > v[0])
        return 0;
    if (key == v[0])
        return 1;                                   /* a tie: the ids decide, later */
    size_t n = f->n, i = 0;                         /* replace the root, sift down */
    for (;;) {
        size_t l = 2 * i + 1, m = l;
        if (l >= n)
            break;
        if (l + 1 < n && v[l + 1] > v[l])
            m = l + 1;
        if (v[m] <= key)
            break;
        v[i] = v[m];
        i = m;
    }
    v[i] = key;
    return 1;
}
