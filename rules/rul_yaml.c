/* rul_yaml.c: libyaml events -> a positioned node tree (rul_yaml.h). */
#include <string.h>  /* memcpy, strcmp */
#include <yaml.h>

#include "rules/rul_yaml.h"

#define RY_MAX_DEPTH 64  /* nesting deeper than any rule file needs; bounds the build stack */

typedef struct ry_frame {
    ry_node *node;
    as_buf   kids;   /* ry_node* under construction */
} ry_frame;

const char *ry_kind_name(ry_kind k)
{
    switch (k) {
    case RY_SCALAR: return "a scalar";
    case RY_SEQ:    return "a list";
    case RY_MAP:    return "a mapping";
    }
    return "?";
}

static ry_node *ry_new(as_arena *ar, ry_kind k, const yaml_mark_t *m)
{
    ry_node *n = as_arena_alloc(ar, sizeof *n, _Alignof(ry_node));
    if (n == NULL)
        return NULL;
    memset(n, 0, sizeof *n);
    n->kind = k;
    n->line = (uint32_t)m->line + 1;
    n->col = (uint32_t)m->column + 1;
    return n;
}

/* The column of a block scalar's content: the indentation of its first
 * non-empty line after the indicator line. */
static uint32_t ry_block_indent(as_slice text, size_t from)
{
    size_t i = from;
    while (i < text.len && text.ptr[i] != '\n')
        i++;
    while (i < text.len) {
        i++; /* past LF */
        size_t c = 0;
        while (i + c < text.len && text.ptr[i + c] == ' ')
            c++;
        if (i + c < text.len && text.ptr[i + c] != '\n' && text.ptr[i + c] != '\r')
            return (uint32_t)c + 1;
        i += c;
        while (i < text.len && text.ptr[i] != '\n')
            i++;
    }
    return 1;
}

static as_code ry_attach(ry_frame *st, size_t depth, ry_node *n, as_err *err, const char *src)
{
    if (depth == 0)
        return AS_OK;
    ry_frame *top = &st[depth - 1];
    if (top->node->kind == RY_MAP && (top->kids.len / sizeof(ry_node *)) % 2 == 0) {
        /* a key: must be a scalar, and unique */
        if (n->kind != RY_SCALAR)
            return as_err_set(err, AS_ERR_SYNTAX, (as_loc){ .src = src, .line = n->line, .col = n->col },
                              "a mapping key must be a plain scalar, not %s", ry_kind_name(n->kind));
        ry_node **k = (ry_node **)(void *)top->kids.data;
        size_t nk = top->kids.len / sizeof(ry_node *);
        for (size_t i = 0; i < nk; i += 2)
            if (as_slice_eq(k[i]->s, n->s))
                return as_err_set(err, AS_ERR_SYNTAX, (as_loc){ .src = src, .line = n->line, .col = n->col },
                                  "duplicate key '%.*s' (first at line %u)", AS_SLICE_ARG(n->s), k[i]->line);
    }
    if (as_buf_append(&top->kids, &n, sizeof(ry_node *)) != 0)
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){ .src = src }, NULL);
    return AS_OK;
}

static as_code ry_close(as_arena *ar, ry_frame *f, const char *src, as_err *err)
{
    size_t nk = f->kids.len / sizeof(ry_node *);
    if (nk) {
        f->node->kids = as_arena_alloc(ar, f->kids.len, _Alignof(ry_node *));
        if (f->node->kids == NULL)
            return as_err_set(err, AS_ERR_NOMEM, (as_loc){ .src = src }, NULL);
        memcpy(f->node->kids, f->kids.data, f->kids.len);
    }
    f->node->n = f->node->kind == RY_MAP ? nk / 2 : nk;
    as_buf_fini(&f->kids);
    return AS_OK;
}

ry_doc *ry_load(as_slice text, const char *src, as_err *err)
{
    ry_doc *d = as_calloc(1, sizeof *d);
    if (d == NULL) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){ .src = src }, NULL);
        return NULL;
    }
    as_arena_init(&d->ar, 0);
    d->src = src;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        as_err_set(err, AS_ERR_NOMEM, (as_loc){ .src = src }, NULL);
        ry_free(d);
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text.ptr, text.len);
    ry_frame st[RY_MAX_DEPTH];
    size_t depth = 0;
    as_buf roots;
    as_buf_init(&roots);
    as_code rc = AS_OK;
    for (int done = 0; !done && rc == AS_OK;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            as_loc loc = { .src = src, .line = p.problem_mark.line + 1, .col = p.problem_mark.column + 1 };
            if (p.error == YAML_MEMORY_ERROR)
                rc = as_err_set(err, AS_ERR_NOMEM, loc, NULL);
            else
                rc = as_err_set(err, AS_ERR_SYNTAX, loc, "YAML: %s%s%s", p.problem ? p.problem : "invalid",
                                p.context ? " " : "", p.context ? p.context : "");
            break;
        }
        as_loc loc = { .src = src, .line = ev.start_mark.line + 1, .col = ev.start_mark.column + 1 };
        ry_node *n = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_ALIAS_EVENT:
            rc = as_err_set(err, AS_ERR_SYNTAX, loc, "YAML aliases (*name) are not allowed in rule files: write the value out");
            break;
        case YAML_SCALAR_EVENT:
            if (ev.data.scalar.anchor) {
                rc = as_err_set(err, AS_ERR_SYNTAX, loc, "YAML anchors (&name) are not allowed in rule files");
                break;
            }
            n = ry_new(&d->ar, RY_SCALAR, &ev.start_mark);
            if (n == NULL) {
                rc = as_err_set(err, AS_ERR_NOMEM, loc, NULL);
                break;
            }
            switch (ev.data.scalar.style) {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = RY_SINGLE; break;
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = RY_DOUBLE; break;
            case YAML_LITERAL_SCALAR_STYLE:       n->style = RY_LITERAL; break;
            case YAML_FOLDED_SCALAR_STYLE:        n->style = RY_FOLDED; break;
            default:                              n->style = RY_PLAIN; break;
            }
            if (n->style == RY_LITERAL || n->style == RY_FOLDED)
                n->indent = ry_block_indent(text, ev.start_mark.index);
            n->s.len = ev.data.scalar.length;
            n->s.ptr = as_arena_strndup(&d->ar, (const char *)ev.data.scalar.value, ev.data.scalar.length);
            if (n->s.ptr == NULL) {
                rc = as_err_set(err, AS_ERR_NOMEM, loc, NULL);
                break;
            }
            if (depth == 0) {
                rc = as_buf_append(&roots, &n, sizeof(ry_node *)) ? as_err_set(err, AS_ERR_NOMEM, loc, NULL) : AS_OK;
                break;
            }
            rc = ry_attach(st, depth, n, err, src);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            const yaml_char_t *anchor = ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                                                              : ev.data.mapping_start.anchor;
            if (anchor) {
                rc = as_err_set(err, AS_ERR_SYNTAX, loc, "YAML anchors (&name) are not allowed in rule files");
                break;
            }
            if (depth == RY_MAX_DEPTH) {
                rc = as_err_set(err, AS_ERR_SYNTAX, loc, "nested deeper than %d levels", RY_MAX_DEPTH);
                break;
            }
            n = ry_new(&d->ar, ev.type == YAML_SEQUENCE_START_EVENT ? RY_SEQ : RY_MAP, &ev.start_mark);
            if (n == NULL) {
                rc = as_err_set(err, AS_ERR_NOMEM, loc, NULL);
                break;
            }
            if (depth == 0)
                rc = as_buf_append(&roots, &n, sizeof(ry_node *)) ? as_err_set(err, AS_ERR_NOMEM, loc, NULL) : AS_OK;
            else
                rc = ry_attach(st, depth, n, err, src);
            if (rc == AS_OK) {
                st[depth].node = n;
                as_buf_init(&st[depth].kids);
                depth++;
            }
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0) {
                depth--;
                rc = ry_close(&d->ar, &st[depth], src, err);
            }
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    while (depth > 0)
        as_buf_fini(&st[--depth].kids);
    yaml_parser_delete(&p);
    if (rc != AS_OK) {
        as_buf_fini(&roots);
        ry_free(d);
        return NULL;
    }
    d->n = roots.len / sizeof(ry_node *);
    if (d->n) {
        d->roots = as_arena_alloc(&d->ar, roots.len, _Alignof(ry_node *));
        if (d->roots == NULL) {
            as_err_set(err, AS_ERR_NOMEM, (as_loc){ .src = src }, NULL);
            as_buf_fini(&roots);
            ry_free(d);
            return NULL;
        }
        memcpy(d->roots, roots.data, roots.len);
    }
    as_buf_fini(&roots);
    return d;
}

void ry_free(ry_doc *d)
{
    if (d == NULL)
        return;
    as_arena_fini(&d->ar);
    as_free(d);
}

const ry_node *ry_get(const ry_node *map, const char *key)
{
    if (map == NULL || map->kind != RY_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (as_slice_eq_cstr(map->kids[2 * i]->s, key))
            return map->kids[2 * i + 1];
    return NULL;
}

int ry_is(const ry_node *n, const char *s)
{
    return n != NULL && n->kind == RY_SCALAR && as_slice_eq_cstr(n->s, s);
}

int ry_is_null(const ry_node *n)
{
    return n != NULL && n->kind == RY_SCALAR && n->style == RY_PLAIN &&
           (n->s.len == 0 || ry_is(n, "~") || ry_is(n, "null") || ry_is(n, "Null") || ry_is(n, "NULL"));
}
