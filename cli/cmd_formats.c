/* cmd_formats.c: `assay formats`: the formats assay reads, how each input is
 * framed, its event-time field and its fields (--json for a machine). */
#include <getopt.h>  /* getopt_long */
#include <string.h>  /* strcmp */

#include "cli/cli.h"
#include "parsers/psr.h"
#include "report/rpt.h"

static const char *type_name(as_vtype t)
{
    switch (t) {
    case AS_V_STR:  return "string";
    case AS_V_INT:  return "integer";
    case AS_V_NUM:  return "number";
    case AS_V_BOOL: return "boolean";
    case AS_V_TIME: return "time";
    default:        return "any";
    }
}

static const char *framing_name(psr_framing f)
{
    switch (f) {
    case PSR_FRAME_QUOTED:   return "records (quoted newlines kept)";
    case PSR_FRAME_DOCUMENT: return "one document";
    default:                 return "lines";
    }
}

static int write_json(void)
{
    as_buf b;
    as_buf_init(&b);
    rpt_json j;
    rpt_json_init(&j, &b, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.formats/1");
    rpt_json_key(&j, "formats");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < psr_format_count(); i++) {
        const psr_format *f = psr_format_at(i);
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "name");
        rpt_json_cstr(&j, f->name);
        rpt_json_key(&j, "summary");
        rpt_json_cstr(&j, f->summary);
        rpt_json_key(&j, "framing");
        rpt_json_cstr(&j, f->framing == PSR_FRAME_DOCUMENT ? "document"
                          : f->framing == PSR_FRAME_QUOTED ? "quoted" : "lines");
        rpt_json_key(&j, "time_field");
        rpt_json_cstr(&j, f->time_field[0] ? f->time_field : NULL);
        rpt_json_key(&j, "any_path");
        rpt_json_bool(&j, f->any_path);
        rpt_json_key(&j, "fields_from_input");
        rpt_json_bool(&j, f->dynamic);
        rpt_json_key(&j, "fields");
        rpt_json_arr_begin(&j);
        for (size_t k = 0; k < f->n_fields; k++) {
            rpt_json_obj_begin(&j);
            rpt_json_key(&j, "name");
            rpt_json_cstr(&j, f->fields[k].name);
            rpt_json_key(&j, "type");
            rpt_json_cstr(&j, type_name(f->fields[k].type));
            rpt_json_key(&j, "doc");
            rpt_json_cstr(&j, f->fields[k].doc);
            rpt_json_obj_end(&j);
        }
        rpt_json_arr_end(&j);
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_obj_end(&j);
    int rc = rpt_json_finish(&j) == 0 && cli_write(stdout, &b) == 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    as_buf_fini(&b);
    return rc;
}

int cmd_formats(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'J' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'J') {
            json = 1;
        } else if (c == 'h') {
            printf("usage: assay formats [--json]\n\nLists the log formats, their fields and event-time "
                   "field.\n--format NAME picks one (assay parse, scan); the default, auto, sniffs each "
                   "input.\n");
            return CLI_EXIT_OK;
        } else {
            return CLI_EXIT_INPUT;
        }
    }
    if (json)
        return write_json();
    for (size_t i = 0; i < psr_format_count(); i++) {
        const psr_format *f = psr_format_at(i);
        printf("%s%s\n  %s\n  framing: %s; event time: %s\n", i ? "\n" : "", f->name, f->summary,
               framing_name(f->framing),
               f->time_field[0] ? f->time_field : f->any_path ? "sniffed (published, eventTime, @timestamp, ...)"
                                                              : "sniffed from the header (or --time-field)");
        if (f->dynamic)
            printf("  fields: %s\n", f->kind == PSR_KIND_CSV ? "the header row's column names"
                                                              : "the pattern's named groups");
        if (f->any_path)
            printf("  fields: any dotted path with [N] indexes, e.g.:\n");
        for (size_t k = 0; k < f->n_fields; k++)
            printf("    %-30s %-8s %s\n", f->fields[k].name, type_name(f->fields[k].type), f->fields[k].doc);
    }
    return CLI_EXIT_OK;
}
