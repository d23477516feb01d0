/* gen_evl.h: a list of generated events (text + time), sorted by time before
 * it is written, with optional notes that say what is special about an event
 * (a planted deviation, a hostile value, a malformed record).
 *
 * Sources that produce events out of order (several users' sessions in one
 * day, a month of Okta events) append each event's text to the list, sort it
 * stably by time, then write it; when an event is written, gen_evl_account
 * counts it in the file's truth entry and turns its note into a truth entry
 * at the exact line and offset. Thread-safety: one list per job.
 */
#ifndef ASSAY_GEN_EVL_H
#define ASSAY_GEN_EVL_H

#include "tools/gen/gen_job.h"

typedef enum gen_note_kind {
    GEN_NOTE_DEV = 1,   /* what = control, key = key, detail = detail */
    GEN_NOTE_HOSTILE,   /* what = field, key = decoded value, detail = raw text */
    GEN_NOTE_MALFORMED, /* what = reason (as_err_name); the record is rejected */
    GEN_NOTE_EDGE,      /* like DEV, but the on-time side of an edge: not a deviation */
} gen_note_kind;

typedef struct gen_note {
    gen_note_kind kind;
    const char   *what;
    const char   *key;
    const char   *detail;
} gen_note;

typedef struct gen_ev {
    int64_t  t_ms;   /* event time */
    uint32_t seq;    /* insertion order: ties keep it */
    uint32_t note;   /* 0, or 1 + index into notes */
    uint64_t off;    /* text in l->text */
    uint32_t len;
    uint32_t aux;    /* source-specific */
} gen_ev;

typedef struct gen_evl {
    gen_ev   *ev;     /* owned */
    size_t    n, cap;
    as_buf    text;   /* all event texts back to back */
    gen_note *notes;  /* owned */
    size_t    n_notes, cap_notes;
    as_arena  ar;     /* note strings */
    int       failed; /* sticky out-of-memory flag */
} gen_evl;

void gen_evl_init(gen_evl *l);
void gen_evl_fini(gen_evl *l);
void gen_evl_reset(gen_evl *l);   /* empty, memory kept */

/* Adds an event whose text is l->text[start .. l->text.len). */
void gen_evl_push(gen_evl *l, int64_t t_ms, size_t start, uint32_t aux);
/* Adds text and an event in one call. */
void gen_evl_add(gen_evl *l, int64_t t_ms, const char *text, size_t n, uint32_t aux);

/* Attaches a note to the last event pushed. detail is a printf format. */
void gen_evl_note(gen_evl *l, gen_note_kind kind, const char *what, const char *key, const char *fmt, ...)
    AS_PRINTF(5, 6);
/* The same for event number idx (in push order, before sorting). */
void gen_evl_note_at(gen_evl *l, size_t idx, gen_note_kind kind, const char *what, const char *key, const char *fmt,
                     ...) AS_PRINTF(6, 7);

/* Stable sort by time. */
void gen_evl_sort(gen_evl *l);

static inline const char *gen_evl_text(const gen_evl *l, const gen_ev *e) { return l->text.data + e->off; }

/* Counts event e, written at (line, offset) of f, in f's truth entry and
 * records its note (index >= 0 only for CloudTrail records). */
void gen_evl_account(const gen_evl *l, const gen_ev *e, gen_file *f, gen_res *res, uint64_t line, uint64_t offset,
                     int64_t index);

#endif
