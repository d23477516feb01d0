/* cmd_plan.c: `assay plan` (not implemented yet: says so and exits 2). */
#include "cli/cli.h"

int cmd_plan(int argc, char **argv)
{
    return cmd_stub(argc, argv);
}
