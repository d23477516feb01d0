/* cmd_lint.c: `assay lint` (not implemented yet: says so and exits 2). */
#include "cli/cli.h"

int cmd_lint(int argc, char **argv)
{
    return cmd_stub(argc, argv);
}
