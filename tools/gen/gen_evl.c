/* gen_evl.c: sorted event lists with notes (see gen_evl.h). */
#include "tools/gen/gen_evl.h"

#include <stdarg.h>  /* va_list */
#include <stdio.h>   /* vsnprintf */
#include <stdlib.h>  /* qsort */

#define GEN_NOTE_MAX 512 /* longest note detail */

void gen_evl_init(gen_evl *l)
{
    memset(l, 0, sizeof *l);
    as_buf_init(&l->text);
    as_arena_init(&l->ar, 0);
}

void gen_evl_fini(gen_evl *l)
{
    as_free(l->ev);
    as_free(l->notes);
    as_buf_fini(&l->text);
    as_arena_fini(&l->ar);
    memset(l, 0, sizeof *l);
}

void gen_evl_reset(gen_evl *l)
{
    l->n = 0;
    l->n_notes = 0;
    as_buf_clear(&l->text);
    as_arena_reset(&l->ar);
}

void gen_evl_push(gen_evl *l, int64_t t_ms, size_t start, uint32_t aux)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 1024;
        gen_ev *p = as_realloc(l->ev, nc * sizeof *p);
        if (p == NULL) {
            l->failed = 1;
            return;
        }
        l->ev = p;
        l->cap = nc;
    }
    l->ev[l->n] = (gen_ev){ t_ms, (uint32_t)l->n, 0, start, (uint32_t)(l->text.len - start), aux };
    l->n++;
}

void gen_evl_add(gen_evl *l, int64_t t_ms, const char *text, size_t n, uint32_t aux)
{
    size_t start = l->text.len;
    if (as_buf_append(&l->text, text, n) != 0) {
        l->failed = 1;
        return;
    }
    gen_evl_push(l, t_ms, start, aux);
}

static const char *dup(gen_evl *l, const char *s)
{
    if (s == NULL)
        return NULL;
    char *p = as_arena_strndup(&l->ar, s, strlen(s));
    if (p == NULL)
        l->failed = 1;
    return p ? p : "";
}

static void note_v(gen_evl *l, size_t idx, gen_note_kind kind, const char *what, const char *key, const char *fmt,
                   va_list ap)
{
    if (idx >= l->n)
        return;
    char tmp[GEN_NOTE_MAX];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (l->n_notes == l->cap_notes) {
        size_t nc = l->cap_notes ? l->cap_notes * 2 : 16;
        gen_note *p = as_realloc(l->notes, nc * sizeof *p);
        if (p == NULL) {
            l->failed = 1;
            return;
        }
        l->notes = p;
        l->cap_notes = nc;
    }
    l->notes[l->n_notes] = (gen_note){ kind, what, dup(l, key), dup(l, tmp) };
    l->ev[idx].note = (uint32_t)++l->n_notes;
}

void gen_evl_note(gen_evl *l, gen_note_kind kind, const char *what, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    note_v(l, l->n ? l->n - 1 : 0, kind, what, key, fmt, ap);
    va_end(ap);
}

void gen_evl_note_at(gen_evl *l, size_t idx, gen_note_kind kind, const char *what, const char *key, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    note_v(l, idx, kind, what, key, fmt, ap);
    va_end(ap);
}

static int cmp_ev(const void *a, const void *b)
{
    const gen_ev *x = a, *y = b;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void gen_evl_sort(gen_evl *l)
{
    if (l->n > 1)
        qsort(l->ev, l->n, sizeof *l->ev, cmp_ev);
}

void gen_evl_account(const gen_evl *l, const gen_ev *e, gen_file *f, gen_res *res, uint64_t line, uint64_t offset,
                     int64_t index)
{
    const gen_note *n = e->note ? &l->notes[e->note - 1] : NULL;
    if (n != NULL && n->kind == GEN_NOTE_MALFORMED) {
        gen_file_rejected(f, res, line, offset, n->what);
        return;
    }
    gen_file_record(f, e->t_ms);
    if (n == NULL)
        return;
    if (n->kind == GEN_NOTE_DEV)
        gen_res_dev(res, n->what, n->key, f->rel, line, offset, index, e->t_ms, "%s", n->detail);
    else if (n->kind == GEN_NOTE_EDGE)
        gen_res_edge(res, n->what, n->key, f->rel, line, offset, index, e->t_ms, "%s", n->detail);
    else
        gen_res_hostile(res, f->rel, line, offset, n->what, n->key, n->detail);
}
