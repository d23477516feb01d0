/* rul_map.h: an open-addressing hash index from (text, integer) keys to
 * dense entry numbers, for the rules' correlation and cadence state (keys
 * by user, by host and day, by session id).
 * The map stores only the key's hash, slice and number; callers keep the
 * entries themselves in a vector indexed by the number, so iteration order
 * is insertion order (deterministic). Keys are borrowed: intern them in an
 * arena that outlives the map. Thread-safety: none.
 */
#ifndef ASSAY_RUL_MAP_H
#define ASSAY_RUL_MAP_H

#include "core/as.h"

typedef struct rul_map_slot {
    uint64_t hash;
    as_slice s;
    int64_t  n;
    uint32_t idx;   /* entry number + 1; 0 = empty */
} rul_map_slot;

typedef struct rul_map {
    rul_map_slot *slot;
    size_t        cap;   /* power of two */
    size_t        len;
} rul_map;

void     rul_map_init(rul_map *m);
void     rul_map_fini(rul_map *m);
/* Empties the map, keeping its memory (a worker reuses one per block). */
void     rul_map_clear(rul_map *m);
uint64_t rul_map_hash(as_slice s, int64_t n);
/* The entry number of (s, n), or -1. */
int64_t  rul_map_find(const rul_map *m, as_slice s, int64_t n);
/* Finds (s, n); when absent inserts it with entry number m->len (the caller
 * appends that entry) and sets *added. Returns the number, or -1 (no memory). */
int64_t  rul_map_put(rul_map *m, as_slice s, int64_t n, int *added);

#endif
