/* as.h: the public header of core/, the shared types every part of assay uses:
 * slices, buffers, arenas, errors with locations, time, records, hashing,
 * UTF-8 validation and the allocation wrappers. core/ depends on nothing else
 * in the tree (docs/architecture.md). */
#ifndef ASSAY_AS_H
#define ASSAY_AS_H

#include "core/as_alloc.h"
#include "core/as_arena.h"
#include "core/as_buf.h"
#include "core/as_cov.h"
#include "core/as_def.h"
#include "core/as_err.h"
#include "core/as_hash.h"
#include "core/as_rec.h"
#include "core/as_slice.h"
#include "core/as_time.h"
#include "core/as_tparse.h"
#include "core/as_utf8.h"

#endif
