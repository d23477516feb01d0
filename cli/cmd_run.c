/* cmd_run.c: `assay run` (not implemented yet: says so and exits 2). */
#include "cli/cli.h"

int cmd_run(int argc, char **argv)
{
    return cmd_stub(argc, argv);
}
