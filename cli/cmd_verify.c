/* cmd_verify.c: `assay verify DIR` (an evidence folder, cli_verify_dir.c);
 * sample.json re-performance arrives with the samplers. */
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_evidence.h"

int cmd_verify(int argc, char **argv)
{
    struct stat st;
    if (argc == 2 && stat(argv[1], &st) == 0 && S_ISDIR(st.st_mode))
        return cli_verify_dir(argv[1], 0);
    return cmd_stub(argc, argv);
}
