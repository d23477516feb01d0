/* cmd_evaluate.c: `assay evaluate` (not implemented yet: says so and exits 2). */
#include "cli/cli.h"

int cmd_evaluate(int argc, char **argv)
{
    return cmd_stub(argc, argv);
}
