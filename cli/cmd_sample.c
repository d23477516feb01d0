/* cmd_sample.c: `assay sample` (not implemented yet: says so and exits 2). */
#include "cli/cli.h"

int cmd_sample(int argc, char **argv)
{
    return cmd_stub(argc, argv);
}
