/* cmd_stub.c: the commands that are reserved but not implemented yet. They
 * say so and exit 2; they never pretend to have done anything. */
#include <string.h>  /* strcmp */

#include "cli/cli.h"

int cmd_stub(int argc, char **argv)
{
    const char *summary = "";
    for (size_t i = 0; i < cli_n_commands; i++)
        if (strcmp(argv[0], cli_commands[i].name) == 0)
            summary = cli_commands[i].summary;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: assay %s ...\n\n%s.\n\nThis command is not implemented yet in this version of assay.\n",
               argv[0], summary);
        return CLI_EXIT_OK;
    }
    cli_errf("'%s' is not implemented yet in this version of assay (%s)", argv[0], summary);
    return CLI_EXIT_INPUT;
}
