/* eng_input.c: turning command-line arguments into an ordered list of inputs.
 *
 * Order is part of determinism (results merge by input order), so it never
 * depends on the file system's readdir order or on the locale: folder entries
 * are sorted bytewise (strcmp) at each level and visited depth first; glob
 * matches are sorted bytewise too. Names starting with '.' inside folders are
 * skipped (version-control and editor files); a file named explicitly is
 * always taken. Symbolic links to files are followed; links to folders are not
 * (no cycles). Special files (FIFOs, sockets, devices) found inside folders are
 * skipped; named explicitly they are read as streams.
 */
#include "engine/eng.h"

#include <dirent.h>    /* opendir, readdir */
#include <errno.h>     /* errno */
#include <glob.h>      /* glob */
#include <stdio.h>     /* FILE, getline */
#include <stdlib.h>    /* qsort, free */
#include <string.h>    /* strcmp, strlen, strpbrk */
#include <sys/stat.h>  /* stat, lstat */

void eng_inputs_init(eng_inputs *l)
{
    l->v = NULL;
    l->n = 0;
    l->cap = 0;
}

void eng_inputs_fini(eng_inputs *l)
{
    for (size_t i = 0; i < l->n; i++) {
        as_free(l->v[i].path);
        as_free(l->v[i].display);
    }
    as_free(l->v);
    eng_inputs_init(l);
}

static as_code push(eng_inputs *l, const char *path, as_err *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        eng_input *v = as_realloc(l->v, cap * sizeof *v);
        if (v == NULL)
            return as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
        l->v = v;
        l->cap = cap;
    }
    char *p = as_strndup(path, strlen(path));
    char *d = as_strndup(path, strlen(path));
    if (p == NULL || d == NULL) {
        as_free(p);
        as_free(d);
        return as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
    }
    l->v[l->n++] = (eng_input){ p, d };
    return AS_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    char *p = as_malloc(dl + 1 + nl + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, dir, dl);  // NOLINT(bugprone-not-null-terminated-result): the NUL comes with name below
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

static as_code add_dir(eng_inputs *l, const char *dir, unsigned depth, as_err *err)
{
    if (depth > 64)
        return as_err_set(err, AS_ERR_OPEN, (as_loc){0}, "%s: folders nested too deeply", dir);
    DIR *d = opendir(dir);
    if (d == NULL)
        return push(l, dir, err);   /* reported as unreadable when read */
    char **names = NULL;
    size_t n = 0, cap = 0;
    as_code rc = AS_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = as_realloc(names, cap * sizeof *nn);
            if (nn == NULL) {
                rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
                break;
            }
            names = nn;
        }
        names[n] = as_strndup(e->d_name, strlen(e->d_name));
        if (names[n] == NULL) {
            rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == AS_OK && n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == AS_OK) {
            char *path = join(dir, names[i]);
            if (path == NULL) {
                rc = as_err_set(err, AS_ERR_NOMEM, (as_loc){0}, NULL);
            } else {
                struct stat lst, st;
                int have_lst = lstat(path, &lst) == 0;
                if (have_lst && S_ISDIR(lst.st_mode))
                    rc = add_dir(l, path, depth + 1, err);
                else if (stat(path, &st) == 0 ? S_ISREG(st.st_mode)
                                              : have_lst && S_ISLNK(lst.st_mode))
                    rc = push(l, path, err);  /* a regular file, or a dangling link (reported unreadable) */
                as_free(path);
            }
        }
        as_free(names[i]);
    }
    as_free(names);
    return rc;
}

static as_code add_path(eng_inputs *l, const char *path, as_err *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return add_dir(l, path, 0, err);
    return push(l, path, err);
}

as_code eng_inputs_add_arg(eng_inputs *l, const char *arg, as_err *err)
{
    if (strcmp(arg, "-") == 0)
        return push(l, arg, err);
    struct stat st;
    if (stat(arg, &st) == 0 || strpbrk(arg, "*?[") == NULL)
        return add_path(l, arg, err);
    glob_t g;
    int grc = glob(arg, GLOB_NOSORT, NULL, &g);
    if (grc == GLOB_NOMATCH)
        return as_err_set(err, AS_ERR_OPEN, (as_loc){0}, "%s: no file matches this pattern", arg);
    if (grc != 0)
        return as_err_set(err, AS_ERR_OPEN, (as_loc){0}, "%s: cannot expand this pattern", arg);
    qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, cmp_names);
    as_code rc = AS_OK;
    for (size_t i = 0; i < g.gl_pathc && rc == AS_OK; i++)
        rc = add_path(l, g.gl_pathv[i], err);
    globfree(&g);
    return rc;
}

as_code eng_inputs_add_list(eng_inputs *l, const char *list_path, as_err *err)
{
    FILE *f = strcmp(list_path, "-") == 0 ? stdin : fopen(list_path, "r");
    if (f == NULL)
        return as_err_set(err, AS_ERR_OPEN, (as_loc){ .src = list_path }, "cannot open file list: %s",
                          strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    as_code rc = AS_OK;
    uint64_t lineno = 0;
    while (rc == AS_OK && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        rc = eng_inputs_add_arg(l, line, err);
        if (rc != AS_OK && err && err->loc.src == NULL) {
            err->loc.src = list_path;   /* borrowed from the caller: outlives the error */
            err->loc.line = lineno;
        }
    }
    free(line);   /* getline allocates with malloc */
    if (f != stdin)
        fclose(f);
    return rc;
}
