/* cli_verify_dir.c: `assay verify DIR` for an evidence folder
 * (docs/evidence.md). In order, stopping at the first difference:
 *   1. manifest.json is an assay.manifest/1 made by this assay version and build;
 *   2. every input and rule file it names still has its SHA-256;
 *   3. every output it lists, and every file SHA256SUMS lists, has its SHA-256;
 *   4. the command it records, run again (same folder, same arguments, into a
 *      temporary output folder), gives byte-identical outputs (report.html
 *      compared with the manifest digests masked, manifest.json by its
 *      inputs, rules, period, seeds and outputs: the start and end times and
 *      the output folder differ by design).
 * Exit 0 identical, 1 a difference (named), 2 usage or unreadable folder,
 * 3 internal error.
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_evidence.h"
#include "parsers/psr_json.h"

#define VERIFY_MAX_MANIFEST (256u << 20)  /* 256 MiB */

typedef struct vctx {
    as_arena ar;
    as_buf   man;      /* manifest.json */
    char    *dir;
    char     cwd[4096];
    int      quiet;
} vctx;

/* snprintf that treats truncation as an error (paths longer than the buffers are refused). */
static int AS_PRINTF(3, 4) pfmt(char *out, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(out, cap, f, ap);
    va_end(ap);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int read_file(const char *path, as_buf *out, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    char buf[1 << 16];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (out->len + n > max || as_buf_append(out, buf, n) != 0) {
            rc = -1;
            break;
        }
    }
    if (ferror(f))
        rc = -1;
    fclose(f);
    return rc;
}

static int sha_file(const char *path, char hex[2 * AS_SHA256_LEN + 1])
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    as_sha256 h;
    uint8_t d[AS_SHA256_LEN];
    if (as_sha256_init(&h) != 0) {
        fclose(f);
        return -1;
    }
    char buf[1 << 16];
    size_t n;
    int bad = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (as_sha256_update(&h, buf, n) != 0)
            bad = 1;
    if (ferror(f))
        bad = 1;
    fclose(f);
    if (as_sha256_final(&h, d) != 0)
        bad = 1;
    as_sha256_fini(&h);
    if (bad)
        return -1;
    as_hex(d, AS_SHA256_LEN, hex);
    return 0;
}

/* The value at path (a string, or raw JSON) in doc; "" when missing. */
static as_slice jget(vctx *v, as_slice doc, const char *path)
{
    psr_json_path p;
    as_val val;
    if (psr_json_path_compile(&p, as_slice_cstr(path), 0, NULL) != PSR_JSON_OK ||
        psr_json_get(doc, &p, &val, &v->ar) != AS_OK)
        return as_slice_make("", 0);
    if (val.type == AS_V_STR || val.type == AS_V_JSON)
        return val.u.str;
    return as_slice_make("", 0);
}

static char *cstr(vctx *v, as_slice s)
{
    char *p = as_arena_strndup(&v->ar, s.ptr ? s.ptr : "", s.len);
    return p ? p : (char *)"";
}

/* dir-relative or cwd-relative path of a manifest entry. */
static char *resolve(vctx *v, const char *base, as_slice rel)
{
    if (rel.len && rel.ptr[0] == '/')
        return cstr(v, rel);
    size_t n = strlen(base) + rel.len + 2;
    char *p = as_arena_alloc(&v->ar, n, 1);
    if (p == NULL)
        return (char *)"";
    snprintf(p, n, "%s/%.*s", base, AS_SLICE_ARG(rel));
    return p;
}

static int differ(const char *fmt, ...) AS_PRINTF(1, 2);
static int differ(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("assay verify: DIFFERENT: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    return CLI_EXIT_EXCEPTIONS;
}

/* Checks each {path, sha256} of a manifest array against the files. */
static int check_hashes(vctx *v, as_slice arr, const char *base, const char *what, size_t *count)
{
    psr_json_iter it;
    psr_json_elem el;
    psr_json_err e;
    psr_json_iter_init(&it, arr, PSR_JSON_SCAN_BEST);
    while (psr_json_iter_next(&it, &el, &e) == PSR_JSON_NEXT_ELEM) {
        as_slice path = jget(v, el.raw, "path"), want = jget(v, el.raw, "sha256");
        if (want.len == 0)
            continue;  /* an input that could not be read whole has no digest */
        char *full = resolve(v, base, path);
        char hex[2 * AS_SHA256_LEN + 1];
        (*count)++;
        if (sha_file(full, hex) != 0)
            return differ("%s %.*s: cannot be read now (%s)", what, AS_SLICE_ARG(path), strerror(errno));
        if (!as_slice_eq_cstr(want, hex))
            return differ("%s %.*s: SHA-256 is %s, the manifest says %.*s", what, AS_SLICE_ARG(path), hex,
                          AS_SLICE_ARG(want));
    }
    return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Compares two files; masks: strings replaced by x's in a and b before comparing. */
static int same_file(const char *a, const char *b, const char *mask_a, const char *mask_b, uint64_t *at)
{
    as_buf x, y;
    as_buf_init(&x);
    as_buf_init(&y);
    int rc = -1;
    if (read_file(a, &x, 1ull << 34) == 0 && read_file(b, &y, 1ull << 34) == 0) {
        for (int k = 0; k < 2; k++) {
            as_buf *buf = k == 0 ? &x : &y;
            const char *m = k == 0 ? mask_a : mask_b;
            size_t ml = m ? strlen(m) : 0;
            for (size_t i = 0; ml && buf->len >= ml && i + ml <= buf->len; i++)
                if (memcmp(buf->data + i, m, ml) == 0)
                    memset(buf->data + i, 'x', ml);
        }
        size_t n = AS_MIN(x.len, y.len), i = 0;
        while (i < n && x.data[i] == y.data[i])
            i++;
        *at = i;
        rc = (i == n && x.len == y.len) ? 1 : 0;
    }
    as_buf_fini(&x);
    as_buf_fini(&y);
    return rc;
}

/* Runs the recorded command again into tmp; returns its exit status or -1. */
static int rerun(vctx *v, as_slice cmd, const char *tmp)
{
    char **args = as_arena_alloc(&v->ar, 4096 * sizeof *args, _Alignof(char *));
    if (args == NULL)
        return -1;
    size_t n = 0;
    psr_json_iter it;
    psr_json_elem el;
    psr_json_err e;
    as_arena tmpar;
    as_arena_init(&tmpar, 0);
    psr_json_iter_init(&it, cmd, PSR_JSON_SCAN_BEST);
    int skip_next = 0, first = 1;
    while (n < 4090 && psr_json_iter_next(&it, &el, &e) == PSR_JSON_NEXT_ELEM) {
        as_val val;
        if (psr_json_get_root(el.raw, &val, &tmpar) != AS_OK || val.type != AS_V_STR)
            continue;
        if (first) {  /* "assay" */
            first = 0;
            args[n++] = (char *)"assay";
            continue;
        }
        if (skip_next) {
            skip_next = 0;
            continue;
        }
        if (as_slice_eq_cstr(val.u.str, "--out")) {
            skip_next = 1;
            continue;
        }
        if (as_slice_eq_cstr(val.u.str, "random") && n > 0 && strcmp(args[n - 1], "--sample-seed") == 0) {
            /* a seed drawn from the OS: the manifest recorded the one drawn */
            args[n++] = cstr(v, jget(v, v->man.data ? as_buf_view(&v->man) : as_slice_make("", 0), "seeds[0].seed"));
            continue;
        }
        if (as_slice_starts_with(val.u.str, AS_SLICE_LIT("--out=")) || as_slice_eq_cstr(val.u.str, "--force") ||
            as_slice_eq_cstr(val.u.str, "--json"))
            continue;
        args[n++] = cstr(v, val.u.str);
    }
    as_arena_fini(&tmpar);
    args[n++] = (char *)"--out";
    args[n++] = (char *)tmp;
    args[n++] = (char *)"-q";
    args[n] = NULL;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(v->cwd) != 0)
            _exit(126);
        if (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL)
            _exit(126);
        execv("/proc/self/exe", args);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int cli_verify_dir(const char *dir, int quiet)
{
    vctx v;
    memset(&v, 0, sizeof v);
    as_arena_init(&v.ar, 1u << 20);
    as_buf_init(&v.man);
    v.quiet = quiet;
    int rc = CLI_EXIT_INPUT;
    char tmp[4200] = "";
    char mpath[4200];
    if (pfmt(mpath, sizeof mpath, "%s/manifest.json", dir) != 0) {
        cli_errf("verify: path too long");
        goto out;
    }
    psr_json_err je;
    if (read_file(mpath, &v.man, VERIFY_MAX_MANIFEST) != 0) {
        cli_errf("verify: %s: cannot read the manifest: %s", mpath, strerror(errno));
        goto out;
    }
    as_slice man = as_buf_view(&v.man);
    if (psr_json_validate(man, &je) != PSR_JSON_OK) {
        rc = differ("manifest.json is not valid JSON (line %llu, column %llu)", (unsigned long long)je.line,
                    (unsigned long long)je.col);
        goto out;
    }
    if (!as_slice_eq_cstr(jget(&v, man, "schema"), "assay.manifest/1")) {
        rc = differ("manifest.json is not an assay.manifest/1");
        goto out;
    }
    /* 1. the tool */
    char build[160];
    snprintf(build, sizeof build, "%s", cli_build());
    as_slice mver = jget(&v, man, "assay.version"), mbuild = jget(&v, man, "assay.build");
    if (!as_slice_eq_cstr(mver, ASSAY_VERSION) || !as_slice_eq_cstr(mbuild, build)) {
        rc = differ("made by assay %.*s (%.*s); this is assay %s (%s): re-perform with that binary",
                    AS_SLICE_ARG(mver), AS_SLICE_ARG(mbuild), ASSAY_VERSION, build);
        goto out;
    }
    as_slice cwd = jget(&v, man, "cwd");
    snprintf(v.cwd, sizeof v.cwd, "%.*s", AS_SLICE_ARG(cwd));
    /* 2. inputs and rules, 3. outputs */
    size_t n_in = 0, n_rules = 0, n_out = 0;
    int c;
    if ((c = check_hashes(&v, jget(&v, man, "inputs"), v.cwd, "input", &n_in)) != 0 ||
        (c = check_hashes(&v, jget(&v, man, "rules"), v.cwd, "rule file", &n_rules)) != 0 ||
        (c = check_hashes(&v, jget(&v, man, "outputs"), dir, "output", &n_out)) != 0) {
        rc = c;
        goto out;
    }
    {
        char spath[4200];
        if (pfmt(spath, sizeof spath, "%s/SHA256SUMS", dir) != 0)
            goto out;
        FILE *f = fopen(spath, "r");
        if (f == NULL) {
            rc = differ("SHA256SUMS is missing");
            goto out;
        }
        char line[8192];
        while (fgets(line, sizeof line, f)) {
            size_t l = strlen(line);
            while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
                line[--l] = '\0';
            if (l < 67 || line[64] != ' ' || line[65] != ' ')
                continue;
            line[64] = '\0';
            char *full = resolve(&v, dir, as_slice_cstr(line + 66));
            char hex[2 * AS_SHA256_LEN + 1];
            if (sha_file(full, hex) != 0 || strcmp(hex, line) != 0) {
                fclose(f);
                rc = differ("%s: SHA-256 differs from SHA256SUMS%s", line + 66,
                            strcmp(line + 66, "manifest.json") == 0 ? " (the manifest was edited)" : "");
                goto out;
            }
        }
        fclose(f);
    }
    /* 4. re-perform: a sample folder through its sample.json (cmd_verify.c) */
    if (as_slice_eq_cstr(jget(&v, man, "command[1]"), "sample")) {
        char sj[4200];
        if (pfmt(sj, sizeof sj, "%s/sample.json", dir) != 0)
            goto out;
        char *av[3] = { (char *)"verify", sj, NULL };
        if (!quiet)
            printf("assay verify: %zu inputs and %zu outputs re-hashed; re-performing the selection of %s\n", n_in,
                   n_out, sj);
        rc = cmd_verify(2, av);
        goto out;
    }
    if (pfmt(tmp, sizeof tmp, "%s.verify-%ld", dir, (long)getpid()) != 0) {
        tmp[0] = '\0';  /* never remove a truncated path */
        goto out;
    }
    int st = rerun(&v, jget(&v, man, "command"), tmp);
    if (st != 0 && st != 1) {
        rc = differ("re-running the recorded command failed (exit %d); run it by hand: see manifest.json command", st);
        goto out;
    }
    char mine_digest[2 * AS_SHA256_LEN + 1], theirs_digest[2 * AS_SHA256_LEN + 1], p1[4200], p2[4200];
    if (pfmt(p1, sizeof p1, "%s/manifest.json", tmp) != 0)
        goto out;
    if (sha_file(mpath, theirs_digest) != 0 || sha_file(p1, mine_digest) != 0) {
        rc = differ("the re-run wrote no manifest");
        goto out;
    }
    /* the outputs the manifest lists, then the report, then the manifest's own lists */
    as_slice outs = jget(&v, man, "outputs");
    psr_json_iter it;
    psr_json_elem el;
    psr_json_iter_init(&it, outs, PSR_JSON_SCAN_BEST);
    size_t n_cmp = 0;
    while (psr_json_iter_next(&it, &el, &je) == PSR_JSON_NEXT_ELEM) {
        as_slice path = jget(&v, el.raw, "path");
        if (pfmt(p1, sizeof p1, "%s/%.*s", dir, AS_SLICE_ARG(path)) != 0 ||
            pfmt(p2, sizeof p2, "%s/%.*s", tmp, AS_SLICE_ARG(path)) != 0)
            goto out;
        uint64_t at = 0;
        int same = same_file(p1, p2, NULL, NULL, &at);
        n_cmp++;
        if (same != 1) {
            rc = differ("%.*s: the re-run gives different content (first difference at byte %llu)",
                        AS_SLICE_ARG(path), (unsigned long long)at);
            goto out;
        }
    }
    if (pfmt(p1, sizeof p1, "%s/report.html", dir) != 0 || pfmt(p2, sizeof p2, "%s/report.html", tmp) != 0)
        goto out;
    uint64_t at = 0;
    if (same_file(p1, p2, theirs_digest, mine_digest, &at) != 1) {
        rc = differ("report.html: the re-run gives a different report (first difference at byte %llu)",
                    (unsigned long long)at);
        goto out;
    }
    {
        as_buf m2;
        as_buf_init(&m2);
        if (pfmt(p2, sizeof p2, "%s/manifest.json", tmp) != 0 || read_file(p2, &m2, VERIFY_MAX_MANIFEST) != 0) {
            as_buf_fini(&m2);
            rc = differ("the re-run's manifest cannot be read");
            goto out;
        }
        /* seeds by value: a seed drawn from the OS is re-used as recorded (drawn_from_os differs) */
        static const char *const keys[] = { "period", "inputs", "rules", "seeds[0].seed", "outputs" };
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            if (!as_slice_eq(jget(&v, man, keys[k]), jget(&v, as_buf_view(&m2), keys[k]))) {
                as_buf_fini(&m2);
                rc = differ("manifest.json: its %s differ from the re-run's", keys[k]);
                goto out;
            }
        as_buf_fini(&m2);
    }
    printf("assay verify: identical: %zu inputs and %zu rule files re-hashed, %zu outputs re-hashed, the run "
           "re-performed gives identical results (%zu files compared)\nmanifest sha256: %s\n",
           n_in, n_rules, n_out, n_cmp + 2, theirs_digest);
    rc = CLI_EXIT_OK;
out:
    if (tmp[0]) {
        struct stat sb;
        if (lstat(tmp, &sb) == 0)
            nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
    as_buf_fini(&v.man);
    as_arena_fini(&v.ar);
    return rc;
}
