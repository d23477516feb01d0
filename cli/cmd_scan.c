/* cmd_scan.c: `assay scan`, the inventory of a population's sources: for each
 * input its compression, sizes, SHA-256, records, rejected records by reason
 * with the first locations, and whether it was read whole; then totals.
 * This is the completeness evidence an auditor asks for before sampling.
 *
 * Output: an aligned table (terminal), --json (schema assay.scan/1, see
 * docs/scan.md) or --csv. Nothing in the output depends on timing or thread
 * count, so -j1 and -j8 print identical bytes. Exit 0 when every input was
 * read whole, 2 when any could not be (unreadable, truncated, corrupt, changed).
 */
#include <getopt.h>  /* getopt_long */
#include <string.h>  /* strcmp, memcmp */

#include "cli/cli.h"
#include "engine/eng.h"
#include "report/rpt.h"

typedef enum scan_out { SCAN_TABLE, SCAN_JSON, SCAN_CSV } scan_out;

static void scan_usage(FILE *f)
{
    fprintf(f,
            "usage: assay scan [OPTIONS] INPUT...\n\n"
            "Inventory and completeness of inputs: for each file its compression (by magic\n"
            "bytes), stored and decompressed size, SHA-256 (as sha256sum prints it), records,\n"
            "rejected records by reason with their first locations, and whether it was read\n"
            "whole. INPUT is a file, a folder (recursive, sorted), a glob, or - for stdin.\n\n"
            "Options:\n"
            "  -j, --jobs N          worker threads (default: number of cores)\n"
            "      --json            JSON output (schema assay.scan/1)\n"
            "      --csv             CSV output, one row per input\n"
            "      --files-from F    read input paths from F, one per line (- = stdin)\n"
            "      --max-record N    reject records longer than N bytes (default 1M)\n"
            "      --gzip IMPL       gzip inflater: isal (default) or zlib\n"
            "      --progress WHEN   progress line on stderr: auto (default), always, never\n"
            "  -q, --quiet           no progress line, no summary on stderr\n"
            "  -h, --help            this help\n\n"
            "Exit codes: 0 every input read whole; 2 usage error or an input that could not\n"
            "be read whole (unreadable, truncated, corrupt, changed while read); 3 internal error.\n");
}

static void sha_hex(const eng_stat *st, char out[AS_SHA256_HEX])
{
    if (st->has_sha256)
        as_hex(st->sha256, AS_SHA256_LEN, out);
    else
        out[0] = '\0';
}

typedef struct scan_totals {
    uint64_t inputs, complete, bytes_stored, bytes_decompressed, lines, blank, records, accepted,
        rejected, duplicates;
    uint64_t rejected_by[AS_ERR__COUNT];
} scan_totals;

/* Inputs whose SHA-256 equals an earlier input's: the same file twice. */
static uint64_t count_duplicates(const eng_job *job, size_t n, uint8_t *dup)
{
    uint64_t d = 0;
    for (size_t i = 0; i < n; i++) {
        const eng_stat *a = eng_job_stat(job, i);
        dup[i] = 0;
        if (!a->has_sha256)
            continue;
        for (size_t k = 0; k < i; k++) {
            const eng_stat *b = eng_job_stat(job, k);
            if (b->has_sha256 && memcmp(a->sha256, b->sha256, AS_SHA256_LEN) == 0) {
                dup[i] = 1;
                d++;
                break;
            }
        }
    }
    return d;
}

static void totals_add(scan_totals *t, const eng_stat *st)
{
    t->inputs++;
    t->complete += st->complete != 0;
    t->bytes_stored += st->bytes_stored;
    t->bytes_decompressed += st->bytes_decompressed;
    t->lines += st->lines;
    t->blank += st->blank;
    t->records += st->records;
    t->accepted += st->accepted;
    t->rejected += st->rejected;
    for (int c = 0; c < AS_ERR__COUNT; c++)
        t->rejected_by[c] += st->rejected_by[c];
}

static void json_rejected_by(rpt_json *j, const uint64_t *by)
{
    rpt_json_obj_begin(j);
    for (int c = 0; c < AS_ERR__COUNT; c++)
        if (by[c]) {
            rpt_json_key(j, as_err_name((as_code)c));
            rpt_json_u64(j, by[c]);
        }
    rpt_json_obj_end(j);
}

static int write_json(const eng_job *job, const eng_inputs *in, const scan_totals *t,
                      const uint8_t *dup, as_buf *out)
{
    rpt_json j;
    rpt_json_init(&j, out, 1);
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "schema");
    rpt_json_cstr(&j, "assay.scan/1");
    rpt_json_key(&j, "inputs");
    rpt_json_arr_begin(&j);
    for (size_t i = 0; i < in->n; i++) {
        const eng_stat *st = eng_job_stat(job, i);
        char hex[AS_SHA256_HEX];
        sha_hex(st, hex);
        rpt_json_obj_begin(&j);
        rpt_json_key(&j, "path");
        rpt_json_cstr(&j, in->v[i].display);
        rpt_json_key(&j, "compression");
        rpt_json_cstr(&j, eng_comp_name(st->comp));
        rpt_json_key(&j, "codec");
        rpt_json_cstr(&j, st->codec);
        rpt_json_key(&j, "format");
        rpt_json_cstr(&j, "unknown");
        rpt_json_key(&j, "bytes_stored");
        rpt_json_u64(&j, st->bytes_stored);
        rpt_json_key(&j, "bytes_decompressed");
        rpt_json_u64(&j, st->bytes_decompressed);
        rpt_json_key(&j, "sha256");
        rpt_json_cstr(&j, st->has_sha256 ? hex : NULL);
        rpt_json_key(&j, "lines");
        rpt_json_u64(&j, st->lines);
        rpt_json_key(&j, "blank_lines");
        rpt_json_u64(&j, st->blank);
        rpt_json_key(&j, "records");
        rpt_json_u64(&j, st->records);
        rpt_json_key(&j, "accepted");
        rpt_json_u64(&j, st->accepted);
        rpt_json_key(&j, "rejected");
        rpt_json_u64(&j, st->rejected);
        rpt_json_key(&j, "rejected_by");
        json_rejected_by(&j, st->rejected_by);
        rpt_json_key(&j, "rejects");
        rpt_json_arr_begin(&j);
        for (unsigned r = 0; r < st->n_reject_samples; r++) {
            rpt_json_obj_begin(&j);
            rpt_json_key(&j, "line");
            rpt_json_u64(&j, st->reject_samples[r].line);
            rpt_json_key(&j, "offset");
            rpt_json_u64(&j, st->reject_samples[r].offset);
            rpt_json_key(&j, "reason");
            rpt_json_cstr(&j, as_err_name(st->reject_samples[r].reason));
            rpt_json_obj_end(&j);
        }
        rpt_json_arr_end(&j);
        rpt_json_key(&j, "first_time");
        rpt_json_null(&j);
        rpt_json_key(&j, "last_time");
        rpt_json_null(&j);
        rpt_json_key(&j, "duplicate_of_earlier_input");
        rpt_json_bool(&j, dup[i]);
        rpt_json_key(&j, "complete");
        rpt_json_bool(&j, st->complete);
        rpt_json_key(&j, "fault");
        if (st->fault.code == AS_OK) {
            rpt_json_null(&j);
        } else {
            rpt_json_obj_begin(&j);
            rpt_json_key(&j, "reason");
            rpt_json_cstr(&j, as_err_name(st->fault.code));
            rpt_json_key(&j, "message");
            rpt_json_cstr(&j, st->fault.msg);
            rpt_json_key(&j, "offset");
            if (st->fault.loc.has_offset)
                rpt_json_u64(&j, st->fault.loc.offset);
            else
                rpt_json_null(&j);
            rpt_json_obj_end(&j);
        }
        rpt_json_obj_end(&j);
    }
    rpt_json_arr_end(&j);
    rpt_json_key(&j, "totals");
    rpt_json_obj_begin(&j);
    rpt_json_key(&j, "inputs");
    rpt_json_u64(&j, t->inputs);
    rpt_json_key(&j, "complete");
    rpt_json_u64(&j, t->complete);
    rpt_json_key(&j, "incomplete");
    rpt_json_u64(&j, t->inputs - t->complete);
    rpt_json_key(&j, "duplicate_inputs");
    rpt_json_u64(&j, t->duplicates);
    rpt_json_key(&j, "bytes_stored");
    rpt_json_u64(&j, t->bytes_stored);
    rpt_json_key(&j, "bytes_decompressed");
    rpt_json_u64(&j, t->bytes_decompressed);
    rpt_json_key(&j, "lines");
    rpt_json_u64(&j, t->lines);
    rpt_json_key(&j, "blank_lines");
    rpt_json_u64(&j, t->blank);
    rpt_json_key(&j, "records");
    rpt_json_u64(&j, t->records);
    rpt_json_key(&j, "accepted");
    rpt_json_u64(&j, t->accepted);
    rpt_json_key(&j, "rejected");
    rpt_json_u64(&j, t->rejected);
    rpt_json_key(&j, "rejected_by");
    json_rejected_by(&j, t->rejected_by);
    rpt_json_obj_end(&j);
    rpt_json_obj_end(&j);
    return rpt_json_finish(&j);
}

static int write_csv(const eng_job *job, const eng_inputs *in, as_buf *out)
{
    rpt_csv c;
    rpt_csv_init(&c, out);
    static const char *const head[] = { "path", "compression", "codec", "format", "bytes_stored",
                                        "bytes_decompressed", "sha256", "lines", "records",
                                        "accepted", "rejected", "complete", "fault" };
    for (size_t i = 0; i < AS_ARRAY_LEN(head); i++)
        rpt_csv_cstr(&c, head[i]);
    rpt_csv_end_row(&c);
    for (size_t i = 0; i < in->n; i++) {
        const eng_stat *st = eng_job_stat(job, i);
        char hex[AS_SHA256_HEX];
        sha_hex(st, hex);
        rpt_csv_cstr(&c, in->v[i].display);
        rpt_csv_cstr(&c, eng_comp_name(st->comp));
        rpt_csv_cstr(&c, st->codec);
        rpt_csv_cstr(&c, "unknown");
        rpt_csv_u64(&c, st->bytes_stored);
        rpt_csv_u64(&c, st->bytes_decompressed);
        rpt_csv_cstr(&c, hex);
        rpt_csv_u64(&c, st->lines);
        rpt_csv_u64(&c, st->records);
        rpt_csv_u64(&c, st->accepted);
        rpt_csv_u64(&c, st->rejected);
        rpt_csv_cstr(&c, st->complete ? "true" : "false");
        rpt_csv_cstr(&c, st->fault.code == AS_OK ? "" : as_err_name(st->fault.code));
        rpt_csv_end_row(&c);
    }
    return c.failed ? -1 : 0;
}

static void u64s(uint64_t v, char *out, size_t cap)
{
    snprintf(out, cap, "%llu", (unsigned long long)v);
}

static int write_table(const eng_job *job, const eng_inputs *in, const scan_totals *t, FILE *f)
{
    static const unsigned right[] = { 0, 0, 1, 1, 1, 1, 0, 0 };
    cli_table tb;
    if (cli_table_init(&tb, 8, right) != 0)
        return -1;
    static const char *const head[] = { "INPUT", "COMP", "STORED", "DECOMPRESSED", "RECORDS",
                                        "REJECTED", "SHA256", "STATUS" };
    for (size_t i = 0; i < AS_ARRAY_LEN(head); i++)
        cli_table_add(&tb, head[i]);
    char a[32];
    for (size_t i = 0; i < in->n; i++) {
        const eng_stat *st = eng_job_stat(job, i);
        char hex[AS_SHA256_HEX];
        sha_hex(st, hex);
        hex[16] = '\0';
        cli_table_add(&tb, in->v[i].display);
        cli_table_add(&tb, eng_comp_name(st->comp));
        u64s(st->bytes_stored, a, sizeof a);
        cli_table_add(&tb, a);
        u64s(st->bytes_decompressed, a, sizeof a);
        cli_table_add(&tb, a);
        u64s(st->records, a, sizeof a);
        cli_table_add(&tb, a);
        u64s(st->rejected, a, sizeof a);
        cli_table_add(&tb, a);
        cli_table_add(&tb, st->has_sha256 ? hex : "-");
        cli_table_add(&tb, st->complete ? "complete" : as_err_name(st->fault.code));
    }
    cli_table_add(&tb, "TOTAL");
    snprintf(a, sizeof a, "%llu inputs", (unsigned long long)t->inputs);
    cli_table_add(&tb, a);
    u64s(t->bytes_stored, a, sizeof a);
    cli_table_add(&tb, a);
    u64s(t->bytes_decompressed, a, sizeof a);
    cli_table_add(&tb, a);
    u64s(t->records, a, sizeof a);
    cli_table_add(&tb, a);
    u64s(t->rejected, a, sizeof a);
    cli_table_add(&tb, a);
    cli_table_add(&tb, "");
    snprintf(a, sizeof a, "%llu incomplete", (unsigned long long)(t->inputs - t->complete));
    cli_table_add(&tb, a);
    cli_table_print(&tb, f);
    cli_table_fini(&tb);

    /* rejected records: the counts by reason and the first locations */
    for (size_t i = 0; i < in->n; i++) {
        const eng_stat *st = eng_job_stat(job, i);
        if (st->rejected == 0)
            continue;
        fprintf(f, "\n%s: %llu rejected (", in->v[i].display, (unsigned long long)st->rejected);
        const char *sep = "";
        for (int c = 0; c < AS_ERR__COUNT; c++)
            if (st->rejected_by[c]) {
                fprintf(f, "%s%s %llu", sep, as_err_name((as_code)c), (unsigned long long)st->rejected_by[c]);
                sep = ", ";
            }
        fprintf(f, ")\n");
        for (unsigned r = 0; r < st->n_reject_samples; r++)
            fprintf(f, "  %s:%llu: %s (byte %llu)\n", in->v[i].display,
                    (unsigned long long)st->reject_samples[r].line,
                    as_err_text(st->reject_samples[r].reason),
                    (unsigned long long)st->reject_samples[r].offset);
        if (st->rejected > st->n_reject_samples)
            fprintf(f, "  ... and %llu more\n", (unsigned long long)(st->rejected - st->n_reject_samples));
    }
    return fflush(f) == 0 ? 0 : -1;
}

enum { OPT_JSON = 256, OPT_CSV, OPT_FILES_FROM, OPT_MAX_RECORD, OPT_GZIP, OPT_PROGRESS };

int cmd_scan(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "jobs", required_argument, NULL, 'j' },
        { "json", no_argument, NULL, OPT_JSON },
        { "csv", no_argument, NULL, OPT_CSV },
        { "files-from", required_argument, NULL, OPT_FILES_FROM },
        { "max-record", required_argument, NULL, OPT_MAX_RECORD },
        { "gzip", required_argument, NULL, OPT_GZIP },
        { "progress", required_argument, NULL, OPT_PROGRESS },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    eng_opts opts = { 0 };
    scan_out mode = SCAN_TABLE;
    cli_progress_mode pmode = CLI_PROGRESS_AUTO;
    int quiet = 0;
    eng_inputs inputs;
    eng_inputs_init(&inputs);
    as_err err;
    as_err_clear(&err);
    int rc = CLI_EXIT_INPUT;
    const char *files_from = NULL;

    optind = 1;
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case 'j':
            if (cli_parse_jobs(optarg, &opts.workers) != 0) {
                cli_errf("-j: expected a number of threads from 1 to %d, got '%s'", ENG_MAX_WORKERS, optarg);
                goto out;
            }
            break;
        case OPT_JSON: mode = SCAN_JSON; break;
        case OPT_CSV: mode = SCAN_CSV; break;
        case OPT_FILES_FROM: files_from = optarg; break;
        case OPT_MAX_RECORD:
            if (cli_parse_size(optarg, &v) != 0 || v < 1 || v > (1ull << 30)) {
                cli_errf("--max-record: expected a size from 1 to 1G (e.g. 64K, 1M), got '%s'", optarg);
                goto out;
            }
            opts.max_record = (size_t)v;
            break;
        case OPT_GZIP:
            if (strcmp(optarg, "isal") == 0)
                opts.gz = ENG_GZ_ISAL;
            else if (strcmp(optarg, "zlib") == 0)
                opts.gz = ENG_GZ_ZLIB;
            else {
                cli_errf("--gzip: expected isal or zlib, got '%s'", optarg);
                goto out;
            }
            break;
        case OPT_PROGRESS:
            if (cli_parse_progress(optarg, &pmode) != 0) {
                cli_errf("--progress: expected auto, always or never, got '%s'", optarg);
                goto out;
            }
            break;
        case 'q': quiet = 1; break;
        case 'h':
            scan_usage(stdout);
            rc = CLI_EXIT_OK;
            goto out;
        default:
            scan_usage(stderr);
            goto out;
        }
    }
    for (int i = optind; i < argc; i++)
        if (eng_inputs_add_arg(&inputs, argv[i], &err) != AS_OK) {
            cli_err(&err);
            rc = err.code == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
            goto out;
        }
    if (files_from && eng_inputs_add_list(&inputs, files_from, &err) != AS_OK) {
        cli_err(&err);
        rc = err.code == AS_ERR_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
        goto out;
    }
    if (inputs.n == 0) {
        cli_errf("scan: no input (give files, folders, globs, - for stdin, or --files-from)");
        goto out;
    }

    eng_job *job = eng_job_new(&inputs, &opts, NULL);
    if (job == NULL) {
        cli_errf("out of memory");
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }
    cli_progress prog;
    cli_progress_init(&prog, pmode, quiet);
    as_code jrc = eng_job_run(job, cli_progress_cb, &prog, &err);
    cli_progress_clear(&prog);
    if (jrc != AS_OK) {
        cli_err(&err);
        eng_job_free(job);
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }

    scan_totals t = { 0 };
    uint8_t *dup = as_calloc(inputs.n, 1);
    if (dup == NULL) {
        eng_job_free(job);
        rc = CLI_EXIT_INTERNAL;
        goto out;
    }
    for (size_t i = 0; i < inputs.n; i++) {
        const eng_stat *st = eng_job_stat(job, i);
        totals_add(&t, st);
        if (st->fault.code != AS_OK)
            cli_err(&st->fault);
    }
    t.duplicates = count_duplicates(job, inputs.n, dup);

    as_buf out = AS_BUF_INIT;
    int wrc = 0;
    if (mode == SCAN_JSON)
        wrc = write_json(job, &inputs, &t, dup, &out) || cli_write(stdout, &out);
    else if (mode == SCAN_CSV)
        wrc = write_csv(job, &inputs, &out) || cli_write(stdout, &out);
    else
        wrc = write_table(job, &inputs, &t, stdout);
    as_buf_fini(&out);
    as_free(dup);
    eng_job_free(job);
    if (wrc != 0)
        rc = CLI_EXIT_INTERNAL;
    else
        rc = t.complete == t.inputs ? CLI_EXIT_OK : CLI_EXIT_INPUT;
out:
    eng_inputs_fini(&inputs);
    return rc;
}
