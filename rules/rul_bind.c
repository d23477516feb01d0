/* rul_bind.c: which inputs feed which sources (rul.h).
 *
 * Each command-line argument is expanded by the engine (folders recursively,
 * sorted). An input's relative path is its path below the folder argument
 * that produced it (its base name for a file or glob argument); a source
 * claims it when one of its globs matches that path, so `okta/<two stars>` finds the
 * Okta export in any data folder laid out that way. `--source NAME=PATH`
 * gives a source its inputs explicitly (they feed that source only, and the
 * source takes nothing else). An input no glob claims is offered to the
 * sources that have a `detect` expression, tested on its first record when
 * the run reads it. Inputs nobody claims are listed, never read.
 */
#include <fnmatch.h>  /* one path segment */
#include <string.h>
#include <sys/stat.h>

#include "rules/rul.h"

/* Matches pattern segments against path segments; "**" spans any number. */
static int glob_seg(const char *pat, const char *path)
{
    for (;;) {
        if (*pat == '\0')
            return *path == '\0';
        const char *pe = strchr(pat, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
        if (pl == 2 && pat[0] == '*' && pat[1] == '*') {
            const char *rest = pe ? pe + 1 : "";
            if (*rest == '\0')
                return 1;  /* trailing ** matches everything below */
            for (const char *p = path;;) {
                if (glob_seg(rest, p))
                    return 1;
                const char *nx = strchr(p, '/');
                if (nx == NULL)
                    return 0;
                p = nx + 1;
            }
        }
        if (*path == '\0')
            return 0;
        const char *se = strchr(path, '/');
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        char ps[512], ss[512];
        if (pl >= sizeof ps || sl >= sizeof ss)
            return 0;
        memcpy(ps, pat, pl);
        ps[pl] = '\0';
        memcpy(ss, path, sl);
        ss[sl] = '\0';
        if (fnmatch(ps, ss, 0) != 0)
            return 0;
        pat = pe ? pe + 1 : "";
        path = se ? se + 1 : "";
        if (*pat == '\0' && *path != '\0')
            return 0;
    }
}

int rul_glob_match(const char *pattern, const char *path)
{
    if (strchr(pattern, '/') == NULL) {  /* a bare name pattern matches the base name at any depth */
        const char *b = strrchr(path, '/');
        return fnmatch(pattern, b ? b + 1 : path, 0) == 0;
    }
    return glob_seg(pattern, path);
}

static char *rel_of(const char *arg, int arg_is_dir, const char *path)
{
    const char *r = NULL;
    size_t al = strlen(arg);
    while (al > 1 && arg[al - 1] == '/')
        al--;
    if (arg_is_dir && strncmp(path, arg, al) == 0 && path[al] == '/')
        r = path + al + 1;
    else if (arg_is_dir && strcmp(arg, ".") == 0)
        r = path[0] == '.' && path[1] == '/' ? path + 2 : path;
    else {
        const char *b = strrchr(path, '/');
        r = b ? b + 1 : path;
    }
    size_t n = strlen(r);
    char *o = as_malloc(n + 1);
    if (o)
        memcpy(o, r, n + 1);
    return o;
}

static as_code grow(rul_binding *b, size_t n)
{
    uint64_t *m = as_realloc(b->mask, n * sizeof *m);
    if (m == NULL)
        return AS_ERR_NOMEM;
    b->mask = m;
    uint64_t *d = as_realloc(b->detect, n * sizeof *d);
    if (d == NULL)
        return AS_ERR_NOMEM;
    b->detect = d;
    char **r = as_realloc(b->rel, n * sizeof *r);
    if (r == NULL)
        return AS_ERR_NOMEM;
    b->rel = r;
    uint8_t *v = as_realloc(b->virt, n);
    if (v == NULL)
        return AS_ERR_NOMEM;
    b->virt = v;
    return AS_OK;
}

static as_code add_arg(rul_binding *b, const char *arg, as_err *err, size_t *from)
{
    *from = b->in.n;
    AS_TRY(eng_inputs_add_arg(&b->in, arg, err));
    AS_TRY(grow(b, b->in.n ? b->in.n : 1));
    struct stat st;
    int is_dir = stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
    for (size_t i = *from; i < b->in.n; i++) {
        b->mask[i] = 0;
        b->detect[i] = 0;
        b->virt[i] = 0;
        b->rel[i] = rel_of(arg, is_dir, b->in.v[i].path);
        if (b->rel[i] == NULL)
            return as_err_set(err, AS_ERR_NOMEM, (as_loc){ 0 }, NULL);
    }
    return AS_OK;
}

as_code rul_bind(const rul_set *s, const char *const *args, size_t n_args, const rul_override *ov, size_t n_ov,
                 rul_binding *b, as_err *err)
{
    memset(b, 0, sizeof *b);
    eng_inputs_init(&b->in);
    uint64_t overridden = 0;
    for (size_t i = 0; i < n_ov; i++)
        overridden |= 1ull << ov[i].src;
    for (size_t a = 0; a < n_args; a++) {
        size_t from;
        AS_TRY(add_arg(b, args[a], err, &from));
        for (size_t i = from; i < b->in.n; i++) {
            for (size_t k = 0; k < s->n_src; k++) {
                if (overridden >> k & 1)
                    continue;
                const rul_source *src = &s->src[k];
                for (size_t g = 0; g < src->n_paths; g++)
                    if (rul_glob_match(src->paths[g], b->rel[i])) {
                        b->mask[i] |= 1ull << k;
                        break;
                    }
            }
            if (b->mask[i] == 0)
                for (size_t k = 0; k < s->n_src; k++)
                    if (!(overridden >> k & 1) && s->src[k].detect != NULL)
                        b->detect[i] |= 1ull << k;
            if (b->mask[i] == 0 && b->detect[i] == 0)
                b->n_unbound++;
        }
    }
    for (size_t o = 0; o < n_ov; o++) {
        size_t from;
        AS_TRY(add_arg(b, ov[o].path, err, &from));
        for (size_t i = from; i < b->in.n; i++)
            b->mask[i] = 1ull << ov[o].src;
    }
    b->n_args = n_args;
    return AS_OK;
}

void rul_binding_fini(rul_binding *b)
{
    for (size_t i = 0; i < b->in.n && b->rel; i++)
        as_free(b->rel[i]);
    as_free(b->rel);
    as_free(b->virt);
    as_free(b->mask);
    as_free(b->detect);
    eng_inputs_fini(&b->in);
    memset(b, 0, sizeof *b);
}
