/* main.c: the assay command line: dispatches `assay COMMAND [OPTIONS]` to the
 * cmd_<name>.c implementations and handles --help and --version. */
#include <stdio.h>   /* printf */
#include <string.h>  /* strcmp */

#include "cli/cli.h"

const cli_cmd cli_commands[] = {
    { "scan",     "inventory and completeness of inputs: sizes, SHA-256, records, rejects", cmd_scan },
    { "run",      "test controls (rule files) over logs and write evidence",                cmd_run },
    { "lint",     "check rule files without reading any log",                               cmd_lint },
    { "plan",     "compute an exact sample size",                                           cmd_plan },
    { "sample",   "draw a seeded, re-performable sample from a population",                 cmd_sample },
    { "evaluate", "evaluate a tested sample (upper deviation limit)",                       cmd_evaluate },
    { "verify",   "re-perform a run or a selection from its manifest",                      cmd_verify },
    { "parse",    "print records with their parsed fields",                                 cmd_parse },
    { "formats",  "list the parsers and their fields",                                      cmd_formats },
};
const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

static void usage(FILE *f)
{
    fprintf(f, "usage: assay COMMAND [OPTIONS] [INPUTS...]\n\n"
               "assay proves from logs whether security controls operated (SOC 2 Type II).\n\n"
               "Commands:\n");
    for (size_t i = 0; i < cli_n_commands; i++)
        fprintf(f, "  %-9s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(f, "\n`assay COMMAND --help` shows a command's options.\n\n"
               "Exit codes:\n"
               "  0  success, no control exceptions\n"
               "  1  success, control exceptions found\n"
               "  2  usage or input error (including inputs that could not be read whole)\n"
               "  3  internal error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2 && strcmp(cmd, "help") == 0) {
            for (size_t i = 0; i < cli_n_commands; i++)
                if (strcmp(argv[2], cli_commands[i].name) == 0) {
                    char *av[] = { argv[2], (char *)"--help", NULL };
                    return cli_commands[i].run(2, av);
                }
        }
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 || strcmp(cmd, "version") == 0) {
        cli_print_version(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < cli_n_commands; i++)
        if (strcmp(cmd, cli_commands[i].name) == 0)
            return cli_commands[i].run(argc - 1, argv + 1);
    cli_errf("unknown command '%s' (see assay --help)", cmd);
    return CLI_EXIT_INPUT;
}
