/* cli_outdir.c: atomic evidence folders (cli_outdir.h). */
#include <errno.h>
#include <ftw.h>       /* nftw: removing a folder tree */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_outdir.h"

int cli_outdir_safe(const char *rel)
{
    if (rel == NULL || *rel == '\0' || *rel == '/')
        return 0;
    const char *p = rel;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || p[0] == '.')
            return 0;  /* empty, ".", "..", hidden */
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == '\\')
                return 0;
        p += n;
        if (*p == '/')
            p++;
    }
    return 1;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = as_malloc(la + lb + 2);
    if (p) {
        memcpy(p, a, la);
        p[la] = '/';
        memcpy(p + la + 1, b, lb);
        p[la + 1 + lb] = '\0';
    }
    return p;
}

static void free_files(cli_outdir *o);

static int begin_fail(cli_outdir *o)
{
    as_free(o->dir);
    as_free(o->tmp);
    o->dir = o->tmp = NULL;
    return -1;
}

int cli_outdir_begin(cli_outdir *o, const char *dir, int force)
{
    memset(o, 0, sizeof *o);
    size_t l = strlen(dir);
    while (l > 1 && dir[l - 1] == '/')
        l--;
    o->dir = as_malloc(l + 1);
    o->tmp = as_malloc(l + 40);
    if (o->dir == NULL || o->tmp == NULL) {
        cli_errf("out of memory");
        return begin_fail(o);
    }
    memcpy(o->dir, dir, l);
    o->dir[l] = '\0';
    o->force = force;
    struct stat st;
    if (lstat(o->dir, &st) == 0 && !force) {
        cli_errf("--out %s: already exists (use --force to replace it)", o->dir);
        return begin_fail(o);
    }
    if (lstat(o->dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        cli_errf("--out %s: exists and is not a folder", o->dir);
        return begin_fail(o);
    }
    snprintf(o->tmp, l + 40, "%s.assay-tmp-%ld", o->dir, (long)getpid());
    if (mkdir(o->tmp, 0777) != 0) {
        cli_errf("--out: cannot create %s: %s", o->tmp, strerror(errno));
        return begin_fail(o);
    }
    return 0;
}

FILE *cli_outdir_open(cli_outdir *o, const char *rel)
{
    if (!cli_outdir_safe(rel)) {
        cli_errf("refusing to write '%s': not a plain path inside the output folder", rel);
        return NULL;
    }
    char *path = join(o->tmp, rel);
    if (path == NULL) {
        cli_errf("out of memory");
        return NULL;
    }
    for (char *s = path + strlen(o->tmp) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            cli_errf("cannot create %s: %s", path, strerror(errno));
            as_free(path);
            return NULL;
        }
        *s = '/';
    }
    FILE *f = fopen(path, "wbx");
    if (f == NULL)
        cli_errf("cannot create %s: %s", path, strerror(errno));
    as_free(path);
    return f;
}

static int hash_file(const char *path, cli_outfile *f)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return -1;
    as_sha256 h;
    if (as_sha256_init(&h) != 0) {
        fclose(in);
        return -1;
    }
    char buf[1 << 16];
    size_t n;
    int bad = 0;
    f->bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        f->bytes += n;
        if (as_sha256_update(&h, buf, n) != 0)
            bad = 1;
    }
    if (ferror(in))
        bad = 1;
    fclose(in);
    if (as_sha256_final(&h, f->sha256) != 0)
        bad = 1;
    as_sha256_fini(&h);
    return bad ? -1 : 0;
}

int cli_outdir_close(cli_outdir *o, FILE *f, const char *rel)
{
    int bad = ferror(f);
    if (fflush(f) != 0)
        bad = 1;
    if (fsync(fileno(f)) != 0 && errno != EINVAL)
        bad = 1;
    if (fclose(f) != 0)
        bad = 1;
    if (bad) {
        cli_errf("write error on %s (disk full?)", rel);
        return -1;
    }
    cli_outfile *nf = as_realloc(o->files, (o->n_files + 1) * sizeof *nf);
    char *path = join(o->tmp, rel);
    size_t rl = strlen(rel);
    char *r = as_malloc(rl + 1);
    if (nf == NULL || path == NULL || r == NULL) {
        if (nf)
            o->files = nf;
        as_free(path);
        as_free(r);
        cli_errf("out of memory");
        return -1;
    }
    o->files = nf;
    memcpy(r, rel, rl + 1);
    cli_outfile *x = &o->files[o->n_files];
    x->rel = r;
    if (hash_file(path, x) != 0) {
        cli_errf("cannot read back %s", path);
        as_free(path);
        as_free(r);
        return -1;
    }
    as_free(path);
    o->n_files++;
    return 0;
}

const cli_outfile *cli_outdir_find(const cli_outdir *o, const char *rel)
{
    for (size_t i = 0; i < o->n_files; i++)
        if (strcmp(o->files[i].rel, rel) == 0)
            return &o->files[i];
    return NULL;
}

static int cmp_outfile(const void *a, const void *b)
{
    return strcmp(((const cli_outfile *)a)->rel, ((const cli_outfile *)b)->rel);
}

int cli_outdir_sums(cli_outdir *o)
{
    cli_outfile *v = as_malloc((o->n_files ? o->n_files : 1) * sizeof *v);
    if (v == NULL)
        return -1;
    if (o->n_files)
        memcpy(v, o->files, o->n_files * sizeof *v);
    qsort(v, o->n_files, sizeof *v, cmp_outfile);
    FILE *f = cli_outdir_open(o, "SHA256SUMS");
    if (f == NULL) {
        as_free(v);
        return -1;
    }
    for (size_t i = 0; i < o->n_files; i++) {
        char hex[2 * AS_SHA256_LEN + 1];
        as_hex(v[i].sha256, AS_SHA256_LEN, hex);
        fprintf(f, "%s  %s\n", hex, v[i].rel);
    }
    as_free(v);
    return cli_outdir_close(o, f, "SHA256SUMS");
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p) != 0 && errno != ENOENT ? -1 : 0;
}

static int rm_tree(const char *p)
{
    struct stat st;
    if (lstat(p, &st) != 0)
        return 0;
    return nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int cli_outdir_commit(cli_outdir *o)
{
    char *old = NULL;
    struct stat st;
    if (lstat(o->dir, &st) == 0) {
        if (!o->force) {
            cli_errf("--out %s: appeared while running; the evidence stays in %s", o->dir, o->tmp);
            return -1;
        }
        size_t l = strlen(o->dir) + 40;
        old = as_malloc(l);
        if (old == NULL)
            return -1;
        snprintf(old, l, "%s.assay-old-%ld", o->dir, (long)getpid());
        if (rename(o->dir, old) != 0) {
            cli_errf("cannot move the old %s aside: %s", o->dir, strerror(errno));
            as_free(old);
            return -1;
        }
    }
    if (rename(o->tmp, o->dir) != 0) {
        cli_errf("cannot rename %s to %s: %s", o->tmp, o->dir, strerror(errno));
        if (old && rename(old, o->dir) != 0)
            cli_errf("the previous evidence is in %s", old);
        as_free(old);
        return -1;
    }
    if (old) {
        if (rm_tree(old) != 0)
            cli_warnf("could not remove the previous evidence in %s", old);
        as_free(old);
    }
    as_free(o->tmp);
    o->tmp = NULL;
    as_free(o->dir);
    o->dir = NULL;
    free_files(o);
    return 0;
}

static void free_files(cli_outdir *o)
{
    for (size_t i = 0; i < o->n_files; i++)
        as_free(o->files[i].rel);
    as_free(o->files);
    o->files = NULL;
    o->n_files = 0;
}

void cli_outdir_abort(cli_outdir *o)
{
    free_files(o);
    if (o->tmp && rm_tree(o->tmp) != 0)
        cli_warnf("could not remove the incomplete output %s", o->tmp);
    as_free(o->tmp);
    as_free(o->dir);
    o->tmp = o->dir = NULL;
}
