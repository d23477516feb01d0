/* cli_version.c: `assay --version`: the version, the build (git describe and
 * variant) and the version of every library linked in, so a manifest or a bug
 * report names exactly what produced it. */
#include <stdio.h>   /* fprintf */

#include <csv.h>             /* CSV_MAJOR, CSV_MINOR, CSV_RELEASE */
#include <isa-l.h>           /* ISAL_MAJOR_VERSION ... */
#include <openssl/crypto.h>  /* OpenSSL_version */
#define PCRE2_CODE_UNIT_WIDTH 8   /* assay uses the 8-bit library */
#include <pcre2.h>           /* pcre2_config */
#include <yaml.h>            /* yaml_get_version_string */
#include <zlib.h>            /* zlibVersion */
#include <zstd.h>            /* ZSTD_versionString */

#include "cli/cli.h"

/* jemalloc is linked in release builds only (sanitizer builds use their own
 * allocator); a weak reference finds out at run time. */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
    __attribute__((weak));

/* The one place the build identity is compiled in (the Makefile rebuilds
 * this file whenever `git describe` changes), so every manifest and every
 * verify of one binary agree. */
const char *cli_build(void)
{
    return ASSAY_GITDESC " " ASSAY_VARIANT;
}

void cli_print_version(FILE *f)
{
    char pcre[64] = "?";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    const char *je = "not linked (sanitizer build)";
    size_t len = sizeof(const char *);   /* mallctl writes a const char * into je */
    if (mallctl && mallctl("version", &je, &len, NULL, 0) != 0)
        je = "?";
    fprintf(f, "assay %s (%s, %s build)\n", ASSAY_VERSION, ASSAY_GITDESC, ASSAY_VARIANT);
    fprintf(f, "  zlib %s, zstd %s, ISA-L %d.%d.%d, pcre2 %s, libcsv %d.%d.%d, libyaml %s,\n",
            zlibVersion(), ZSTD_versionString(), ISAL_MAJOR_VERSION, ISAL_MINOR_VERSION,
            ISAL_PATCH_VERSION, pcre, CSV_MAJOR, CSV_MINOR, CSV_RELEASE, yaml_get_version_string());
    fprintf(f, "  %s, jemalloc %s\n", OpenSSL_version(OPENSSL_VERSION), je);
}
