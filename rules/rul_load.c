/* rul_load.c: rule files -> a compiled rule set (rul.h, docs/rules.md).
 *
 * Loading keeps each file's YAML tree; compiling walks the trees in file
 * order: sources first (every file), then sets, then controls, so a control
 * may name a source defined in a shared sources file. Every problem is a
 * diagnostic `file:line:col: error: ...`; compiling goes on after an error
 * so that `assay lint` reports all of them at once.
 */
#include <dirent.h>    /* opendir: a rules folder */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>    /* qsort */
#include <string.h>
#include <sys/stat.h>

#include "parsers/psr.h"
#include "rules/rul.h"
#include "rules/rul_yaml.h"

#define RUL_MAX_FILE_BYTES (16u << 20) /* 16 MiB: a rule file larger than this is a mistake */

typedef struct rul_priv {
    ry_doc  **docs;
    char    **texts;  /* file contents, for control texts */
    size_t    n;
} rul_priv;

/* ---- diagnostics ---- */

static void AS_PRINTF(6, 0) diag_v(rul_set *s, as_severity sev, const char *file, uint32_t line, uint32_t col,
                   const char *fmt, va_list ap)
{
    rul_diag *d = as_realloc(s->diag, (s->n_diag + 1) * sizeof *d);
    if (d == NULL)
        return;
    s->diag = d;
    rul_diag *x = &d[s->n_diag++];
    memset(x, 0, sizeof *x);
    x->sev = sev;
    x->e.code = AS_ERR_SYNTAX;
    x->e.loc.src = file;
    x->e.loc.line = line;
    x->e.loc.col = col;
    vsnprintf(x->e.msg, sizeof x->e.msg, fmt, ap);
    if (sev == AS_SEV_ERROR)
        s->n_errors++;
}

static void AS_PRINTF(5, 6) diag(rul_set *s, const char *file, uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_v(s, AS_SEV_ERROR, file, line, col, fmt, ap);
    va_end(ap);
}

static void AS_PRINTF(4, 5) diag_at(rul_set *s, const char *file, const ry_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_v(s, AS_SEV_ERROR, file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
}

void rul_diag_print(FILE *f, const rul_set *s)
{
    for (size_t i = 0; i < s->n_diag; i++)
        as_err_print(f, &s->diag[i].e, s->diag[i].sev);
}

const char *rul_test_name(rul_test_kind k)
{
    static const char *n[] = { "each", "cadence", "followed_by", "preceded_by", "reconcile", "aggregate" };
    return (unsigned)k < sizeof n / sizeof n[0] ? n[k] : "?";
}

const char *rul_result_name(rul_result_kind r)
{
    switch (r) {
    case RUL_PASS:       return "pass";
    case RUL_EXCEPTION:  return "exception";
    case RUL_UNTESTABLE: return "untestable";
    }
    return "?";
}

/* ---- the set ---- */

rul_set *rul_set_new(void)
{
    rul_set *s = as_calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->_priv = as_calloc(1, sizeof(rul_priv));
    if (s->_priv == NULL) {
        as_free(s);
        return NULL;
    }
    return s;
}

static void recset_free(rul_recset *r)
{
    rul_expr_free(r->where);
    rul_expr_free(r->key);
    rul_expr_free(r->time);
    rul_expr_free(r->unique);
}

void rul_set_free(rul_set *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_src; i++) {
        rul_source *x = &s->src[i];
        as_free(x->name);
        as_free(x->description);
        for (size_t j = 0; j < x->n_paths; j++)
            as_free(x->paths[j]);
        as_free(x->paths);
        as_free(x->format);
        as_free(x->time_field);
        rul_expr_free(x->detect);
    }
    as_free(s->src);
    for (size_t i = 0; i < s->n_sets; i++) {
        as_free(s->sets[i].name);
        recset_free(&s->sets[i].rs);
    }
    as_free(s->sets);
    for (size_t i = 0; i < s->n_ctl; i++) {
        rul_control *c = &s->ctl[i];
        as_free(c->id);
        as_free(c->title);
        as_free(c->description);
        as_free(c->frequency);
        as_free(c->severity);
        as_free(c->text);
        for (size_t j = 0; j < c->n_criteria; j++)
            as_free(c->criteria[j]);
        as_free(c->criteria);
        recset_free(&c->pop);
        recset_free(&c->other);
        recset_free(&c->reset);
        rul_expr_free(c->assert_);
        rul_expr_free(c->ok);
        rul_expr_free(c->on);
        rul_expr_free(c->value);
    }
    as_free(s->ctl);
    for (size_t i = 0; i < s->n_files; i++)
        as_free(s->files[i].path);
    as_free(s->files);
    as_free(s->diag);
    rul_priv *p = s->_priv;
    if (p) {
        for (size_t i = 0; i < p->n; i++) {
            ry_free(p->docs[i]);
            as_free(p->texts[i]);
        }
        as_free(p->docs);
        as_free(p->texts);
        as_free(p);
    }
    as_free(s);
}

static char *xstrdup(as_slice s)
{
    char *p = as_malloc(s.len + 1);
    if (p) {
        memcpy(p, s.ptr, s.len);
        p[s.len] = '\0';
    }
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static as_code load_file(rul_set *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        diag(s, NULL, 0, 0, "%s: cannot open rule file: %s", path, strerror(errno));
        return AS_OK;
    }
    as_buf b;
    as_buf_init(&b);
    char tmp[65536];
    size_t n;
    int toolong = 0;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b.len + n > RUL_MAX_FILE_BYTES) {
            toolong = 1;
            break;
        }
        if (as_buf_append(&b, tmp, n) != 0) {
            fclose(f);
            as_buf_fini(&b);
            return AS_ERR_NOMEM;
        }
    }
    int rerr = ferror(f);
    fclose(f);
    as_code rc = toolong || rerr ? AS_OK : rul_set_load_text(s, path, b.data ? b.data : "", b.len);
    if (toolong || rerr)
        diag(s, NULL, 0, 0, toolong ? "%s: rule file larger than %u MiB" : "%s: read error", path,
             RUL_MAX_FILE_BYTES >> 20);
    as_buf_fini(&b);
    return rc;
}

as_code rul_set_load_text(rul_set *s, const char *path, const char *text, size_t len)
{
    rul_priv *p = s->_priv;
    rul_file *nf = as_realloc(s->files, (s->n_files + 1) * sizeof *nf);
    if (nf == NULL)
        return AS_ERR_NOMEM;
    s->files = nf;
    ry_doc **nd = as_realloc(p->docs, (p->n + 1) * sizeof(ry_doc *));
    if (nd == NULL)
        return AS_ERR_NOMEM;
    p->docs = nd;
    char **nt = as_realloc(p->texts, (p->n + 1) * sizeof *nt);
    if (nt == NULL)
        return AS_ERR_NOMEM;
    p->texts = nt;
    rul_file *rf = &s->files[s->n_files];
    memset(rf, 0, sizeof *rf);
    rf->path = xstrdup(as_slice_cstr(path));
    if (rf->path == NULL)
        return AS_ERR_NOMEM;
    s->n_files++;
    rf->size = len;
    if (as_sha256_buf(text, len, rf->sha256) != 0)
        return AS_ERR_NOMEM;
    if (len && memchr(text, '\0', len)) {
        diag(s, rf->path, 0, 0, "rule file contains a NUL byte");
        return AS_OK;
    }
    char *copy = xstrdup(as_slice_make(text, len));
    if (copy == NULL)
        return AS_ERR_NOMEM;
    as_err e;
    as_err_clear(&e);
    ry_doc *d = ry_load(as_slice_make(copy, len), rf->path, &e);
    if (d == NULL) {
        as_free(copy);
        if (e.code == AS_ERR_NOMEM)
            return AS_ERR_NOMEM;
        diag(s, rf->path, (uint32_t)e.loc.line, (uint32_t)e.loc.col, "%s", e.msg);
        return AS_OK;
    }
    p->docs[p->n] = d;
    p->texts[p->n] = copy;
    p->n++;
    return AS_OK;
}

as_code rul_set_load(rul_set *s, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return load_file(s, path);
    DIR *dir = opendir(path);
    if (dir == NULL) {
        diag(s, NULL, 0, 0, "%s: cannot open rules folder: %s", path, strerror(errno));
        return AS_OK;
    }
    char **names = NULL;
    size_t n = 0;
    as_code rc = AS_OK;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.')
            continue;
        int yaml = (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0) ||
                   (l > 4 && strcmp(de->d_name + l - 4, ".yml") == 0);
        size_t pl = strlen(path);
        char *full = as_malloc(pl + l + 2);
        if (full == NULL) {
            rc = AS_ERR_NOMEM;
            break;
        }
        snprintf(full, pl + l + 2, "%s%s%s", path, (pl && path[pl - 1] == '/') ? "" : "/", de->d_name);
        struct stat fs;
        int is_dir = stat(full, &fs) == 0 && S_ISDIR(fs.st_mode);
        if (!yaml && !is_dir) {
            as_free(full);
            continue;
        }
        char **nn = as_realloc(names, (n + 1) * sizeof *nn);
        if (nn == NULL) {
            as_free(full);
            rc = AS_ERR_NOMEM;
            break;
        }
        names = nn;
        names[n++] = full;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == AS_OK)
            rc = rul_set_load(s, names[i]);
        as_free(names[i]);
    }
    as_free(names);
    return rc;
}

int rul_set_source(const rul_set *s, const char *name)
{
    for (size_t i = 0; i < s->n_src; i++)
        if (strcmp(s->src[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* ---- schema helpers ---- */

typedef struct ld {
    rul_set    *s;
    const char *file;
    const char *text;  /* the file's contents */
} ld;

/* Checks that every key of map is in allowed (NULL-terminated). */
static void check_keys(ld *l, const ry_node *map, const char *what, const char *const *allowed)
{
    for (size_t i = 0; i < map->n; i++) {
        const ry_node *k = map->kids[2 * i];
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (as_slice_eq_cstr(k->s, *a))
                ok = 1;
        if (!ok) {
            char list[256] = "";
            size_t used = 0;
            for (const char *const *a = allowed; *a && used < sizeof list - 40; a++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", a == allowed ? "" : ", ", *a);
            diag_at(l->s, l->file, k, "unknown key '%.*s' in %s (expected one of: %s)", AS_SLICE_ARG(k->s), what, list);
        }
    }
}

static const ry_node *need(ld *l, const ry_node *map, const char *key, const char *what)
{
    const ry_node *v = ry_get(map, key);
    if (v == NULL || ry_is_null(v))
        diag_at(l->s, l->file, map, "%s: missing '%s'", what, key);
    return v && !ry_is_null(v) ? v : NULL;
}

static char *scalar_dup(ld *l, const ry_node *n, const char *what)
{
    if (n == NULL)
        return NULL;
    if (n->kind != RY_SCALAR) {
        diag_at(l->s, l->file, n, "%s must be text, not %s", what, ry_kind_name(n->kind));
        return NULL;
    }
    return xstrdup(n->s);
}

/* Maps a position inside a scalar's text to the file. */
static void expr_pos(const ry_node *n, uint64_t eline, uint64_t ecol, uint32_t *line, uint32_t *col)
{
    if (eline == 0)
        eline = 1;
    if (ecol == 0)
        ecol = 1;
    switch (n->style) {
    case RY_LITERAL:
    case RY_FOLDED:
        *line = n->line + (uint32_t)eline;
        *col = n->indent + (uint32_t)ecol - 1;
        return;
    case RY_SINGLE:
    case RY_DOUBLE:
        *line = n->line + (uint32_t)eline - 1;
        *col = eline == 1 ? n->col + (uint32_t)ecol : (uint32_t)ecol;
        return;
    default:
        *line = n->line + (uint32_t)eline - 1;
        *col = eline == 1 ? n->col + (uint32_t)ecol - 1 : (uint32_t)ecol;
        return;
    }
}

/* Compile-time scope: the fields of a record-set's sources, the rule set's sets. */
typedef struct scope_arg {
    const rul_set *s;
    const int     *src;
    size_t         n_src;
} scope_arg;

static int scope_field(void *arg, as_slice path, rul_type *type, char *why, size_t cap)
{
    scope_arg *a = arg;
    *type = RUL_T_ANY;
    for (size_t i = 0; i < a->n_src; i++) {
        const rul_source *src = &a->s->src[a->src[i]];
        if (src->format == NULL)
            return 1;  /* sniffed: any field may exist */
        const psr_format *f = psr_format_find(src->format);
        if (f == NULL || f->any_path || f->dynamic)
            return 1;
        size_t seg = 0;
        while (seg < path.len && path.ptr[seg] != '.' && path.ptr[seg] != '[')
            seg++;
        for (size_t j = 0; j < f->n_fields; j++)
            if (as_slice_eq_cstr(as_slice_make(path.ptr, seg), f->fields[j].name))
                return 1;
        if (as_slice_eq_cstr(path, "time") || as_slice_eq_cstr(path, "raw"))
            return 1;
        snprintf(why, cap, "%s (source '%s'; `assay formats` lists its fields)", f->name, src->name);
        return 0;
    }
    return 1;
}

static int scope_set(void *arg, as_slice name)
{
    scope_arg *a = arg;
    for (size_t i = 0; i < a->s->n_sets; i++)
        if (as_slice_eq_cstr(name, a->s->sets[i].name))
            return (int)i;
    return -1;
}

static rul_expr *compile(ld *l, const ry_node *n, const int *src, size_t n_src, rul_type want, const char *what)
{
    if (n == NULL)
        return NULL;
    as_slice text;
    char buf[64];
    if (n->kind != RY_SCALAR) {
        diag_at(l->s, l->file, n, "%s must be an expression (text), not %s", what, ry_kind_name(n->kind));
        return NULL;
    }
    text = n->s;
    if (n->style == RY_PLAIN && (ry_is(n, "true") || ry_is(n, "false"))) {
        memcpy(buf, n->s.ptr, n->s.len + 1);  /* "true" or "false": 5 bytes at most */
        text = as_slice_make(buf, n->s.len);
    }
    scope_arg a = { l->s, src, n_src };
    rul_scope sc = { .arg = &a, .field = scope_field, .set = scope_set };
    as_err e;
    as_err_clear(&e);
    rul_expr *x = rul_expr_compile(text, &sc, want, &e);
    if (x == NULL) {
        uint32_t line, col;
        expr_pos(n, e.loc.line, e.loc.col, &line, &col);
        diag(l->s, l->file, line, col, "%s: %s", what, e.code == AS_ERR_NOMEM ? "out of memory" : e.msg);
    }
    return x;
}

static int64_t duration(ld *l, const ry_node *n, const char *what, int allow_any)
{
    if (n == NULL)
        return 0;
    if (n->kind != RY_SCALAR) {
        diag_at(l->s, l->file, n, "%s must be a duration such as 24h, 15m or 1d", what);
        return 0;
    }
    if (allow_any && (ry_is(n, "any") || ry_is(n, "unbounded")))
        return RUL_UNBOUNDED;
    int64_t ns;
    if (as_duration_parse(n->s, &ns) != 0 || ns < 0) {
        diag_at(l->s, l->file, n, "%s: '%.*s' is not a duration (e.g. 24h, 15m, 1d, 1h30m%s)", what,
                AS_SLICE_ARG(n->s), allow_any ? ", or any" : "");
        return 0;
    }
    return ns;
}

static int64_t integer(ld *l, const ry_node *n, const char *what, int64_t lo, int64_t hi)
{
    if (n == NULL)
        return lo;
    char *end;
    long long v = n->kind == RY_SCALAR ? strtoll(n->s.ptr, &end, 10) : 0;
    if (n->kind != RY_SCALAR || n->s.len == 0 || *end != '\0' || v < lo || v > hi) {
        diag_at(l->s, l->file, n, "%s must be a whole number %lld..%lld", what, (long long)lo, (long long)hi);
        return lo;
    }
    return v;
}

/* `source: okta` or `source: [auth, web]` (also `sources:`) -> ids. */
static size_t source_ids(ld *l, const ry_node *n, int *out, const char *what)
{
    if (n == NULL)
        return 0;
    const ry_node *const *items = (const ry_node *const *)&n;
    size_t cnt = 1;
    if (n->kind == RY_SEQ) {
        items = (const ry_node *const *)n->kids;
        cnt = n->n;
    } else if (n->kind != RY_SCALAR) {
        diag_at(l->s, l->file, n, "%s: a source name or a list of names", what);
        return 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        const ry_node *it = items[i];
        if (it->kind != RY_SCALAR) {
            diag_at(l->s, l->file, it, "%s: a source name", what);
            continue;
        }
        int id = rul_set_source(l->s, it->s.ptr);
        if (id < 0) {
            diag_at(l->s, l->file, it, "%s: unknown source '%.*s'", what, AS_SLICE_ARG(it->s));
            continue;
        }
        if (k == RUL_MAX_RS_SOURCES) {
            diag_at(l->s, l->file, it, "%s: at most %d sources", what, RUL_MAX_RS_SOURCES);
            break;
        }
        out[k++] = id;
    }
    return k;
}

static const char *const RECSET_KEYS[] = { "source", "sources", "where", "key", "time", "unique", NULL };

/* Parses a record-set mapping. need_key: the key is required. */
static void recset(ld *l, const ry_node *n, rul_recset *rs, const char *what, int need_key, const char *const *keys)
{
    memset(rs, 0, sizeof *rs);
    if (n == NULL)
        return;
    rs->line = n->line;
    rs->col = n->col;
    if (n->kind != RY_MAP) {
        diag_at(l->s, l->file, n, "%s must be a mapping (source, where, key, ...)", what);
        return;
    }
    check_keys(l, n, what, keys ? keys : RECSET_KEYS);
    const ry_node *src = ry_get(n, "source");
    if (src == NULL)
        src = ry_get(n, "sources");
    if (src == NULL) {
        diag_at(l->s, l->file, n, "%s: missing 'source'", what);
        return;
    }
    rs->n_src = source_ids(l, src, rs->src, what);
    if (rs->n_src == 0)
        return;
    char w[96];
    snprintf(w, sizeof w, "%s.where", what);
    rs->where = compile(l, ry_get(n, "where"), rs->src, rs->n_src, RUL_T_BOOL, w);
    snprintf(w, sizeof w, "%s.key", what);
    const ry_node *k = ry_get(n, "key");
    if (k == NULL && need_key)
        diag_at(l->s, l->file, n, "%s: missing 'key' (who or what each record is about)", what);
    rs->key = compile(l, k, rs->src, rs->n_src, RUL_T_ANY, w);
    snprintf(w, sizeof w, "%s.time", what);
    rs->time = compile(l, ry_get(n, "time"), rs->src, rs->n_src, RUL_T_ANY, w);
    snprintf(w, sizeof w, "%s.unique", what);
    rs->unique = compile(l, ry_get(n, "unique"), rs->src, rs->n_src, RUL_T_ANY, w);
}

/* ---- sources and sets ---- */

static void load_source(ld *l, const ry_node *name, const ry_node *def)
{
    static const char *const keys[] = { "description", "paths", "path", "format", "tz", "time_field", "detect",
                                        "continuous", NULL };
    int prev = rul_set_source(l->s, name->s.ptr);
    if (prev >= 0) {
        diag_at(l->s, l->file, name, "source '%.*s' is defined twice (first at %s:%u)", AS_SLICE_ARG(name->s),
                l->s->src[prev].file, l->s->src[prev].line);
        return;
    }
    if (l->s->n_src == RUL_MAX_SOURCES) {
        diag_at(l->s, l->file, name, "more than %d sources", RUL_MAX_SOURCES);
        return;
    }
    if (def->kind != RY_MAP) {
        diag_at(l->s, l->file, def, "source '%.*s' must be a mapping (paths, format, ...)", AS_SLICE_ARG(name->s));
        return;
    }
    for (size_t i = 0; i < name->s.len; i++) {
        char c = name->s.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            diag_at(l->s, l->file, name, "source name '%.*s': use letters, digits, '_' and '-'", AS_SLICE_ARG(name->s));
            return;
        }
    }
    check_keys(l, def, "a source", keys);
    rul_source *ns = as_realloc(l->s->src, (l->s->n_src + 1) * sizeof *ns);
    if (ns == NULL)
        return;
    l->s->src = ns;
    rul_source *x = &ns[l->s->n_src++];
    memset(x, 0, sizeof *x);
    x->name = xstrdup(name->s);
    x->file = l->file;
    x->line = name->line;
    x->col = name->col;
    x->description = scalar_dup(l, ry_get(def, "description"), "description");
    const ry_node *p = ry_get(def, "paths");
    if (p == NULL)
        p = ry_get(def, "path");
    if (p) {
        size_t cnt = p->kind == RY_SEQ ? p->n : 1;
        x->paths = as_calloc(cnt ? cnt : 1, sizeof *x->paths);
        for (size_t i = 0; x->paths && i < cnt; i++) {
            const ry_node *it = p->kind == RY_SEQ ? p->kids[i] : p;
            if (it->kind != RY_SCALAR || it->s.len == 0) {
                diag_at(l->s, l->file, it, "paths: a glob such as okta/**/*.jsonl*");
                continue;
            }
            if (it->s.ptr[0] == '/' || strstr(it->s.ptr, "..")) {
                diag_at(l->s, l->file, it, "paths: '%.*s' must be relative to an input folder, without '..'",
                        AS_SLICE_ARG(it->s));
                continue;
            }
            x->paths[x->n_paths++] = xstrdup(it->s);
        }
    }
    const ry_node *f = ry_get(def, "format");
    if (f && !ry_is(f, "auto")) {
        if (f->kind != RY_SCALAR || psr_format_find(f->s.ptr) == NULL)
            diag_at(l->s, l->file, f, "format: unknown format '%.*s' (`assay formats` lists them)",
                    f->kind == RY_SCALAR ? (int)f->s.len : 1, f->kind == RY_SCALAR ? f->s.ptr : "?");
        else
            x->format = xstrdup(f->s);
    }
    const ry_node *tz = ry_get(def, "tz");
    if (tz) {
        if (tz->kind != RY_SCALAR || as_tz_parse(tz->s, &x->tz_offset_min) != 0)
            diag_at(l->s, l->file, tz, "tz: expected UTC, Z or an offset such as +02:00");
        else
            x->has_tz = 1;
    }
    x->time_field = scalar_dup(l, ry_get(def, "time_field"), "time_field");
    const ry_node *co = ry_get(def, "continuous");
    if (co) {
        if (ry_is(co, "true"))
            x->continuous = 1;
        else if (!ry_is(co, "false"))
            diag_at(l->s, l->file, co, "continuous: true or false");
    }
    if (p == NULL && ry_get(def, "detect") == NULL)
        diag_at(l->s, l->file, def, "source '%.*s' needs 'paths' or 'detect' to find its inputs", AS_SLICE_ARG(name->s));
}

static void compile_detect(ld *l, const ry_node *name, const ry_node *def)
{
    int id = rul_set_source(l->s, name->s.ptr);
    const ry_node *d = ry_get(def, "detect");
    if (id < 0 || d == NULL || l->s->src[id].file != l->file || l->s->src[id].line != name->line)
        return;
    int ids[1] = { id };
    l->s->src[id].detect = compile(l, d, ids, 1, RUL_T_BOOL, "detect");
}

static void load_set(ld *l, const ry_node *name, const ry_node *def)
{
    for (size_t i = 0; i < l->s->n_sets; i++)
        if (as_slice_eq_cstr(name->s, l->s->sets[i].name)) {
            diag_at(l->s, l->file, name, "set '%.*s' is defined twice (first at %s:%u)", AS_SLICE_ARG(name->s),
                    l->s->sets[i].file, l->s->sets[i].line);
            return;
        }
    rul_setdef *ns = as_realloc(l->s->sets, (l->s->n_sets + 1) * sizeof *ns);
    if (ns == NULL)
        return;
    l->s->sets = ns;
    rul_setdef *x = &ns[l->s->n_sets++];
    memset(x, 0, sizeof *x);
    x->name = xstrdup(name->s);
    x->file = l->file;
    x->line = name->line;
    x->col = name->col;
    (void)def;
}

static void compile_set(ld *l, size_t idx, const ry_node *def)
{
    static const char *const keys[] = { "source", "sources", "where", "value", "description", NULL };
    rul_setdef *x = &l->s->sets[idx];
    if (def->kind != RY_MAP) {
        diag_at(l->s, l->file, def, "set '%s' must be a mapping (source, where, value)", x->name);
        return;
    }
    check_keys(l, def, "a set", keys);
    char what[96];
    snprintf(what, sizeof what, "set %s", x->name);
    const ry_node *src = ry_get(def, "source");
    if (src == NULL)
        src = ry_get(def, "sources");
    if (src == NULL) {
        diag_at(l->s, l->file, def, "%s: missing 'source'", what);
        return;
    }
    x->rs.line = def->line;
    x->rs.col = def->col;
    x->rs.n_src = source_ids(l, src, x->rs.src, what);
    if (x->rs.n_src == 0)
        return;
    x->rs.where = compile(l, ry_get(def, "where"), x->rs.src, x->rs.n_src, RUL_T_BOOL, "where");
    const ry_node *v = need(l, def, "value", what);
    x->rs.key = compile(l, v, x->rs.src, x->rs.n_src, RUL_T_ANY, "value");
}

/* ---- controls ---- */

static const char *const FREQS[] = { "continuous", "per-event", "daily", "weekly", "monthly", "quarterly",
                                     "annual", "multiple-daily", NULL };
static const char *const SEVS[] = { "low", "medium", "high", "critical", NULL };

static int in_list(const ry_node *n, const char *const *list)
{
    for (const char *const *a = list; *a; a++)
        if (ry_is(n, *a))
            return 1;
    return 0;
}

/* The control's text: from its first line to the line before the next
 * sibling (or the end of the file), for the report. */
static char *control_text(const char *text, uint32_t from, uint32_t to)
{
    const char *p = text;
    for (uint32_t ln = 1; ln < from && *p; ln++) {
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    const char *e = p;
    for (uint32_t ln = from; (to == 0 || ln < to) && *e; ln++) {
        const char *nl = strchr(e, '\n');
        e = nl ? nl + 1 : e + strlen(e);
    }
    return xstrdup(as_slice_from(p, e));
}

static void load_control(ld *l, const ry_node *n, uint32_t next_line)
{
    static const char *const keys[] = { "id", "title", "criteria", "description", "frequency", "severity",
                                        "sources", "population", "test", "owner", "references", NULL };
    if (n->kind != RY_MAP) {
        diag_at(l->s, l->file, n, "a control must be a mapping (id, title, population, test, ...)");
        return;
    }
    check_keys(l, n, "a control", keys);
    rul_control *nc = as_realloc(l->s->ctl, (l->s->n_ctl + 1) * sizeof *nc);
    if (nc == NULL)
        return;
    l->s->ctl = nc;
    rul_control *c = &nc[l->s->n_ctl++];
    memset(c, 0, sizeof *c);
    c->file = l->file;
    c->line = n->line;
    c->col = n->col;
    c->groups_set = -1;
    c->text = control_text(l->text, n->line, next_line);
    const ry_node *id = need(l, n, "id", "control");
    if (id && id->kind == RY_SCALAR) {
        int bad = id->s.len == 0 || id->s.len > 64;
        for (size_t i = 0; i < id->s.len; i++) {
            char ch = id->s.ptr[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                  (ch == '.' && i > 0)))
                bad = 1;
        }
        if (bad)
            diag_at(l->s, l->file, id, "id '%.*s': use 1-64 lower-case letters, digits, '-', '_' and '.' "
                    "(it names the control's evidence folder)", AS_SLICE_ARG(id->s));
        for (size_t i = 0; i + 1 < l->s->n_ctl; i++)
            if (as_slice_eq_cstr(id->s, l->s->ctl[i].id ? l->s->ctl[i].id : ""))
                diag_at(l->s, l->file, id, "control id '%.*s' is used twice (first at %s:%u)", AS_SLICE_ARG(id->s),
                        l->s->ctl[i].file, l->s->ctl[i].line);
    }
    c->id = scalar_dup(l, id, "id");
    c->title = scalar_dup(l, need(l, n, "title", "control"), "title");
    c->description = scalar_dup(l, ry_get(n, "description"), "description");
    const ry_node *fq = ry_get(n, "frequency");
    if (fq && !in_list(fq, FREQS))
        diag_at(l->s, l->file, fq, "frequency: one of continuous, per-event, multiple-daily, daily, weekly, monthly, "
                "quarterly, annual");
    c->frequency = scalar_dup(l, fq, "frequency");
    const ry_node *sv = ry_get(n, "severity");
    if (sv && !in_list(sv, SEVS))
        diag_at(l->s, l->file, sv, "severity: one of low, medium, high, critical");
    c->severity = scalar_dup(l, sv, "severity");
    const ry_node *cr = ry_get(n, "criteria");
    if (cr) {
        size_t cnt = cr->kind == RY_SEQ ? cr->n : 1;
        c->criteria = as_calloc(cnt ? cnt : 1, sizeof *c->criteria);
        for (size_t i = 0; c->criteria && i < cnt; i++) {
            const ry_node *it = cr->kind == RY_SEQ ? cr->kids[i] : cr;
            if (it->kind != RY_SCALAR || it->s.len == 0) {
                diag_at(l->s, l->file, it, "criteria: Trust Services Criteria such as CC6.2");
                continue;
            }
            c->criteria[c->n_criteria++] = xstrdup(it->s);
        }
    }
    const ry_node *sref = ry_get(n, "sources");
    if (sref && sref->kind != RY_MAP) {  /* a mapping defines sources (walk_root) */  /* documentation of the sources used: each must exist */
        int ids[RUL_MAX_RS_SOURCES];
        (void)source_ids(l, sref, ids, "sources");
    }
    const ry_node *pop = need(l, n, "population", "control");
    recset(l, pop, &c->pop, "population", 1, NULL);
    const ry_node *t = need(l, n, "test", "control");
    if (t == NULL)
        return;
    if (t->kind != RY_MAP || t->n != 1) {
        diag_at(l->s, l->file, t, "test: a mapping with exactly one of each, cadence, followed_by, preceded_by, "
                "reconcile, aggregate");
        return;
    }
    const ry_node *tk = t->kids[0], *tv = t->kids[1];
    const int *ps = c->pop.src;
    size_t pn = c->pop.n_src;
    if (ry_is(tk, "each")) {
        c->kind = RUL_TEST_EACH;
        if (tv->kind == RY_MAP) {
            static const char *const k[] = { "assert", NULL };
            check_keys(l, tv, "each", k);
            c->assert_ = compile(l, need(l, tv, "assert", "each"), ps, pn, RUL_T_BOOL, "each.assert");
        } else {
            c->assert_ = compile(l, tv, ps, pn, RUL_T_BOOL, "each");
        }
    } else if (ry_is(tk, "cadence")) {
        static const char *const k[] = { "every", "min", "max_gap", "ok", "groups", "tz", NULL };
        c->kind = RUL_TEST_CADENCE;
        if (tv->kind != RY_MAP) {
            diag_at(l->s, l->file, tv, "cadence: a mapping (every, min, max_gap, ok, groups)");
            return;
        }
        check_keys(l, tv, "cadence", k);
        const ry_node *ev = need(l, tv, "every", "cadence");
        static const char *const B[] = { "day", "week", "month", "quarter", "year", NULL };
        c->every = RUL_B_DAY;
        if (ev) {
            int found = 0;
            for (int i = 0; B[i]; i++)
                if (ry_is(ev, B[i])) {
                    c->every = (rul_bucket)i;
                    found = 1;
                }
            if (!found)
                diag_at(l->s, l->file, ev, "cadence.every: one of day, week, month, quarter, year");
        }
        c->min_count = integer(l, ry_get(tv, "min"), "cadence.min", 1, INT32_MAX);
        c->max_gap = duration(l, ry_get(tv, "max_gap"), "cadence.max_gap", 0);
        c->ok = compile(l, ry_get(tv, "ok"), ps, pn, RUL_T_BOOL, "cadence.ok");
        const ry_node *g = ry_get(tv, "groups");
        if (g) {
            if (g->kind != RY_SCALAR || g->s.len < 2 || g->s.ptr[0] != '$') {
                diag_at(l->s, l->file, g, "cadence.groups: a set such as $backup_hosts");
            } else {
                scope_arg a = { l->s, ps, pn };
                c->groups_set = scope_set(&a, as_slice_make(g->s.ptr + 1, g->s.len - 1));
                if (c->groups_set < 0)
                    diag_at(l->s, l->file, g, "cadence.groups: unknown set '%.*s'", AS_SLICE_ARG(g->s));
            }
        }
        const ry_node *tz = ry_get(tv, "tz");
        if (tz && (tz->kind != RY_SCALAR || as_tz_parse(tz->s, &c->tz_offset_min) != 0))
            diag_at(l->s, l->file, tz, "cadence.tz: expected UTC, Z or an offset such as +02:00");
    } else if (ry_is(tk, "followed_by") || ry_is(tk, "preceded_by") || ry_is(tk, "reconcile")) {
        c->kind = ry_is(tk, "followed_by") ? RUL_TEST_FOLLOWED_BY
                  : ry_is(tk, "preceded_by") ? RUL_TEST_PRECEDED_BY : RUL_TEST_RECONCILE;
        static const char *const kc[] = { "source", "sources", "where", "key", "time", "unique", "on",
                                          "within", "early", "expect", "strict", NULL };
        static const char *const kr[] = { "source", "sources", "where", "key", "time", "unique", "on",
                                          "report", NULL };
        const char *what = rul_test_name(c->kind);
        recset(l, tv, &c->other, what, 1, c->kind == RUL_TEST_RECONCILE ? kr : kc);
        if (tv->kind != RY_MAP)
            return;
        char w[64];
        snprintf(w, sizeof w, "%s.on", what);
        c->on = compile(l, ry_get(tv, "on"), ps, pn, RUL_T_ANY, w);
        if (c->kind == RUL_TEST_RECONCILE) {
            const ry_node *rp = ry_get(tv, "report");
            c->report_left = 1;
            if (rp) {
                c->report_left = ry_is(rp, "left") || ry_is(rp, "both");
                c->report_right = ry_is(rp, "right") || ry_is(rp, "both");
                if (!c->report_left && !c->report_right)
                    diag_at(l->s, l->file, rp, "reconcile.report: left, right or both");
            }
        } else {
            snprintf(w, sizeof w, "%s.within", what);
            const ry_node *wi = ry_get(tv, "within");
            c->within = wi ? duration(l, wi, w, 1) : RUL_UNBOUNDED;
            snprintf(w, sizeof w, "%s.early", what);
            c->early = duration(l, ry_get(tv, "early"), w, 1);
            if (ry_get(tv, "early") && c->kind == RUL_TEST_PRECEDED_BY)
                diag_at(l->s, l->file, ry_get(tv, "early"), "preceded_by: 'early' applies to followed_by only");
            const ry_node *ex = ry_get(tv, "expect");
            if (ex) {
                if (ry_is(ex, "none"))
                    c->expect_none = 1;
                else if (!ry_is(ex, "match"))
                    diag_at(l->s, l->file, ex, "%s.expect: match (default) or none", what);
            }
            const ry_node *st = ry_get(tv, "strict");
            if (st) {
                if (ry_is(st, "true"))
                    c->strict = 1;
                else if (!ry_is(st, "false"))
                    diag_at(l->s, l->file, st, "%s.strict: true or false", what);
            }
        }
    } else if (ry_is(tk, "aggregate")) {
        static const char *const k[] = { "window", "max", "sum", "reset", NULL };
        c->kind = RUL_TEST_AGGREGATE;
        if (tv->kind != RY_MAP) {
            diag_at(l->s, l->file, tv, "aggregate: a mapping (window, max, sum, reset)");
            return;
        }
        check_keys(l, tv, "aggregate", k);
        c->window = duration(l, need(l, tv, "window", "aggregate"), "aggregate.window", 0);
        if (c->window == 0 && ry_get(tv, "window"))
            diag_at(l->s, l->file, ry_get(tv, "window"), "aggregate.window must be longer than 0");
        const ry_node *mx = need(l, tv, "max", "aggregate");
        if (mx) {
            char *end;
            c->max = mx->kind == RY_SCALAR ? strtod(mx->s.ptr, &end) : 0;
            if (mx->kind != RY_SCALAR || mx->s.len == 0 || *end != '\0' || c->max < 0)
                diag_at(l->s, l->file, mx, "aggregate.max: a number >= 0");
        }
        c->value = compile(l, ry_get(tv, "sum"), ps, pn, RUL_T_ANY, "aggregate.sum");
        const ry_node *rs = ry_get(tv, "reset");
        if (rs) {
            c->has_reset = 1;
            recset(l, rs, &c->reset, "aggregate.reset", 1, NULL);
        }
    } else {
        diag_at(l->s, l->file, tk, "unknown test '%.*s' (each, cadence, followed_by, preceded_by, reconcile, aggregate)",
                AS_SLICE_ARG(tk->s));
    }
}

/* ---- compiling the whole set ---- */

typedef enum { PASS_SOURCES, PASS_DETECT, PASS_SETS, PASS_SETS_COMPILE, PASS_CONTROLS } pass_t;

static void walk_root(ld *l, const ry_node *root, pass_t pass)
{
    static const char *const top[] = { "sources", "sets", "controls", "id", "title", "criteria", "description",
                                       "frequency", "severity", "population", "test", "owner", "references", NULL };
    if (root == NULL || ry_is_null(root))
        return;
    if (root->kind != RY_MAP) {
        if (pass == PASS_SOURCES)
            diag_at(l->s, l->file, root, "a rule file holds a mapping (a control, or sources/sets/controls)");
        return;
    }
    int is_control = ry_get(root, "id") != NULL || ry_get(root, "population") != NULL || ry_get(root, "test") != NULL;
    if (pass == PASS_SOURCES && !is_control) {
        static const char *const k[] = { "sources", "sets", "controls", NULL };
        check_keys(l, root, "a rule file", k);
    }
    (void)top;
    const ry_node *srcs = ry_get(root, "sources");
    if (is_control && srcs && srcs->kind != RY_MAP)
        srcs = NULL;  /* a control's list of the sources it uses: checked with the control */
    if (srcs && (pass == PASS_SOURCES || pass == PASS_DETECT)) {
        if (srcs->kind != RY_MAP) {
            if (pass == PASS_SOURCES)
                diag_at(l->s, l->file, srcs, "sources: a mapping of name: {paths, format, ...}");
        } else {
            for (size_t i = 0; i < srcs->n; i++)
                if (pass == PASS_SOURCES)
                    load_source(l, srcs->kids[2 * i], srcs->kids[2 * i + 1]);
                else
                    compile_detect(l, srcs->kids[2 * i], srcs->kids[2 * i + 1]);
        }
    }
    const ry_node *sets = is_control ? NULL : ry_get(root, "sets");
    if (sets && (pass == PASS_SETS || pass == PASS_SETS_COMPILE)) {
        if (sets->kind != RY_MAP) {
            if (pass == PASS_SETS)
                diag_at(l->s, l->file, sets, "sets: a mapping of name: {source, where, value}");
        } else {
            for (size_t i = 0; i < sets->n; i++) {
                const ry_node *nm = sets->kids[2 * i];
                if (pass == PASS_SETS) {
                    load_set(l, nm, sets->kids[2 * i + 1]);
                } else {
                    for (size_t j = 0; j < l->s->n_sets; j++)
                        if (l->s->sets[j].file == l->file && l->s->sets[j].line == nm->line &&
                            l->s->sets[j].col == nm->col)
                            compile_set(l, j, sets->kids[2 * i + 1]);
                }
            }
        }
    }
    if (pass != PASS_CONTROLS)
        return;
    if (is_control) {
        load_control(l, root, 0);
        return;
    }
    const ry_node *ctl = ry_get(root, "controls");
    if (ctl == NULL)
        return;
    if (ctl->kind != RY_SEQ) {
        diag_at(l->s, l->file, ctl, "controls: a list of controls");
        return;
    }
    for (size_t i = 0; i < ctl->n; i++)
        load_control(l, ctl->kids[i], i + 1 < ctl->n ? ctl->kids[i + 1]->line : 0);
}

as_code rul_set_compile(rul_set *s)
{
    rul_priv *p = s->_priv;
    for (int pass = PASS_SOURCES; pass <= PASS_CONTROLS; pass++) {
        for (size_t i = 0; i < p->n; i++) {
            ld l = { s, p->docs[i]->src, p->texts[i] };
            for (size_t r = 0; r < p->docs[i]->n; r++)
                walk_root(&l, p->docs[i]->roots[r], (pass_t)pass);
        }
    }
    if (s->n_ctl == 0 && s->n_errors == 0)
        diag(s, s->n_files ? s->files[0].path : NULL, 0, 0, "no controls in the rule set");
    return AS_OK;
}
