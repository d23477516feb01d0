/* cmd_verify.c: `assay verify` (not implemented yet: says so and exits 2). */
#include "cli/cli.h"

int cmd_verify(int argc, char **argv)
{
    return cmd_stub(argc, argv);
}
