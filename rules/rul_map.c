/* rul_map.c: open addressing with linear probing (rul_map.h). */
#include <string.h>

#include "rules/rul_map.h"

void rul_map_init(rul_map *m)
{
    memset(m, 0, sizeof *m);
}

void rul_map_fini(rul_map *m)
{
    as_free(m->slot);
    memset(m, 0, sizeof *m);
}

void rul_map_clear(rul_map *m)
{
    if (m->cap)
        memset(m->slot, 0, m->cap * sizeof *m->slot);
    m->len = 0;
}

uint64_t rul_map_hash(as_slice s, int64_t n)
{
    /* FNV-1a over the bytes, then a 64-bit finaliser mixing in n (keys are
     * short: user names, hosts, ids) */
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.ptr[i];
        h *= 0x100000001b3ull;
    }
    h ^= (uint64_t)n + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static size_t probe(const rul_map *m, uint64_t h, as_slice s, int64_t n)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    while (m->slot[i].idx != 0) {
        const rul_map_slot *x = &m->slot[i];
        if (x->hash == h && x->n == n && as_slice_eq(x->s, s))
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

int64_t rul_map_find(const rul_map *m, as_slice s, int64_t n)
{
    if (m->cap == 0)
        return -1;
    size_t i = probe(m, rul_map_hash(s, n), s, n);
    return m->slot[i].idx ? (int64_t)m->slot[i].idx - 1 : -1;
}

static int grow(rul_map *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    rul_map_slot *ns = as_calloc(nc, sizeof *ns);
    if (ns == NULL)
        return -1;
    rul_map old = *m;
    m->slot = ns;
    m->cap = nc;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slot[i].idx) {
            size_t j = probe(m, old.slot[i].hash, old.slot[i].s, old.slot[i].n);
            m->slot[j] = old.slot[i];
        }
    as_free(old.slot);
    return 0;
}

int64_t rul_map_put(rul_map *m, as_slice s, int64_t n, int *added)
{
    *added = 0;
    if ((m->len + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    uint64_t h = rul_map_hash(s, n);
    size_t i = probe(m, h, s, n);
    if (m->slot[i].idx)
        return (int64_t)m->slot[i].idx - 1;
    if (m->len >= UINT32_MAX - 1)
        return -1;
    m->slot[i] = (rul_map_slot){ .hash = h, .s = s, .n = n, .idx = (uint32_t)(m->len + 1) };
    *added = 1;
    return (int64_t)m->len++;
}
