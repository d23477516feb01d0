/* cmd_lint.c: `assay lint RULES...`: loads and compiles a rule set without
 * reading any log; prints every problem as `file:line:col: error: ...` and
 * exits 2 when there is one, else prints what the set holds and exits 0. */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "rules/rul.h"

static void lint_usage(FILE *f)
{
    fputs("usage: assay lint [-q] RULES...\n"
          "\n"
          "Checks rule files (a file, or every *.yaml / *.yml below a folder) without reading\n"
          "any log: YAML, the rule schema, every expression and regular expression, names of\n"
          "sources and sets, and fields against each source's format (docs/rules.md).\n"
          "\n"
          "  -q, --quiet   print only the problems\n"
          "\n"
          "Exit status: 0 the rule set is valid, 2 it has errors, 3 internal error.\n", f);
}

int cmd_lint(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int quiet = 0, c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': lint_usage(stdout); return CLI_EXIT_OK;
        default: lint_usage(stderr); return CLI_EXIT_INPUT;
        }
    }
    if (optind >= argc) {
        cli_errf("lint: give rule files or folders");
        lint_usage(stderr);
        return CLI_EXIT_INPUT;
    }
    rul_set *s = rul_set_new();
    if (s == NULL) {
        cli_errf("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    for (int i = optind; i < argc; i++)
        if (rul_set_load(s, argv[i]) != AS_OK) {
            cli_errf("out of memory");
            rul_set_free(s);
            return CLI_EXIT_INTERNAL;
        }
    if (rul_set_compile(s) != AS_OK) {
        cli_errf("out of memory");
        rul_set_free(s);
        return CLI_EXIT_INTERNAL;
    }
    fflush(stdout);
    rul_diag_print(stderr, s);
    int rc = s->n_errors ? CLI_EXIT_INPUT : CLI_EXIT_OK;
    if (s->n_errors)
        fprintf(stderr, "assay lint: %zu error%s in %zu rule file%s\n", s->n_errors, s->n_errors == 1 ? "" : "s",
                s->n_files, s->n_files == 1 ? "" : "s");
    else if (!quiet) {
        size_t by[6] = { 0 };
        for (size_t i = 0; i < s->n_ctl; i++)
            by[s->ctl[i].kind]++;
        printf("assay lint: ok: %zu control%s (", s->n_ctl, s->n_ctl == 1 ? "" : "s");
        int first = 1;
        for (int k = 0; k < 6; k++)
            if (by[k]) {
                printf("%s%zu %s", first ? "" : ", ", by[k], rul_test_name((rul_test_kind)k));
                first = 0;
            }
        printf("), %zu source%s, %zu set%s in %zu file%s\n", s->n_src, s->n_src == 1 ? "" : "s", s->n_sets,
               s->n_sets == 1 ? "" : "s", s->n_files, s->n_files == 1 ? "" : "s");
    }
    rul_set_free(s);
    return rc;
}
