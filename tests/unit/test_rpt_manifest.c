/* test_rpt_manifest.c: unit tests for report/rpt_manifest: every member of
 * assay.manifest/1 in order, inputs read and not read, a null digest, the
 * period given or derived or absent, seeds and starts, hostile paths and
 * seeds escaped, the note, and determinism (docs/evidence.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "report/rpt_manifest.h"

static as_time at(int64_t sec, int32_t ms)
{
    return (as_time){ .sec = sec, .nsec = ms * 1000000, .flags = AS_TIME_VALID };
}

static const char *render(const rpt_manifest *m, as_buf *b)
{
    as_buf_init(b);
    assert_int_equal(rpt_manifest_json(b, m), AS_OK);
    return b->data;
}

static void test_manifest_run(void **state)
{
    (void)state;
    static const char *const argv[] = { "run", "-r", "controls", "--out", "ev", "data" };
    rpt_mfile in[2] = {
        { .path = AS_SLICE_LIT("data/a.log"), .bytes = 10, .sha256 = AS_SLICE_LIT("ab"), .with_read = 1, .read = 1,
          .records = 3, .rejected = 1, .complete = 1 },
        { .path = AS_SLICE_LIT("data/b.log"), .with_read = 1, .read = 0 },
    };
    rpt_mfile rules[1] = { { .path = AS_SLICE_LIT("controls/x.yaml"), .bytes = 5, .sha256 = AS_SLICE_LIT("cd") } };
    rpt_mfile outs[1] = { { .path = AS_SLICE_LIT("results.json"), .bytes = 7, .sha256 = AS_SLICE_LIT("ef") } };
    rpt_mseed seed = { "seed", AS_SLICE_LIT("audit-2026"), 0, AS_SLICE_LIT("every sample") };
    rpt_manifest m = { .version = AS_SLICE_LIT("0.1.0"), .build = AS_SLICE_LIT("abc release"), .argv = argv,
                       .argc = 6, .cwd = AS_SLICE_LIT("/w"), .started = at(1764547200, 5),
                       .finished = at(1764547201, 0), .has_period = 1, .period_start = at(1759276800, 0),
                       .period_end = at(1775001600, 0), .period_given = 1, .inputs = in, .n_inputs = 2,
                       .rules = rules, .n_rules = 1, .seeds = &seed, .n_seeds = 1, .outputs = outs, .n_outputs = 1,
                       .not_listed = AS_SLICE_LIT("note") };
    as_buf b;
    const char *j = render(&m, &b);
    static const char want[] =
        "{\n"
        "  \"schema\": \"assay.manifest/1\",\n"
        "  \"assay\": {\n    \"version\": \"0.1.0\",\n    \"build\": \"abc release\"\n  },\n"
        "  \"command\": [\n    \"assay\",\n    \"run\",\n    \"-r\",\n    \"controls\",\n    \"--out\",\n    \"ev\",\n"
        "    \"data\"\n  ],\n"
        "  \"cwd\": \"/w\",\n"
        "  \"started\": \"2025-12-01T00:00:00.005Z\",\n"
        "  \"finished\": \"2025-12-01T00:00:01Z\",\n"
        "  \"period\": {\n    \"start\": \"2025-10-01T00:00:00Z\",\n    \"end\": \"2026-04-01T00:00:00Z\",\n"
        "    \"end_exclusive\": true,\n    \"given\": true\n  },\n"
        "  \"inputs\": [\n"
        "    {\n      \"path\": \"data/a.log\",\n      \"read\": true,\n      \"bytes\": 10,\n      \"sha256\": \"ab\",\n"
        "      \"records\": 3,\n      \"rejected\": 1,\n      \"complete\": true\n    },\n"
        "    {\n      \"path\": \"data/b.log\",\n      \"read\": false\n    }\n  ],\n"
        "  \"rules\": [\n    {\n      \"path\": \"controls/x.yaml\",\n      \"bytes\": 5,\n      \"sha256\": \"cd\"\n    }\n  ],\n"
        "  \"seeds\": [\n    {\n      \"seed\": \"audit-2026\",\n      \"drawn_from_os\": false,\n"
        "      \"used_for\": \"every sample\"\n    }\n  ],\n"
        "  \"outputs\": [\n    {\n      \"path\": \"results.json\",\n      \"bytes\": 7,\n      \"sha256\": \"ef\"\n    }\n  ],\n"
        "  \"not_listed\": \"note\"\n"
        "}\n";
    assert_string_equal(j, want);
    /* the same model, the same bytes */
    as_buf b2;
    assert_string_equal(render(&m, &b2), j);
    as_buf_fini(&b);
    as_buf_fini(&b2);
}

static void test_manifest_sample_and_hostile(void **state)
{
    (void)state;
    static const char *const argv[] = { "sample", "--seed", "\"x\"\n</script>" };
    rpt_mfile in[1] = { { .path = AS_SLICE_LIT("p\"o\\p.csv"), .bytes = 1, .with_read = 1, .read = 1 } };
    rpt_mseed start = { "start", AS_SLICE_LIT("1/3"), 0, AS_SLICE_LIT("systematic") };
    rpt_manifest m = { .version = AS_SLICE_LIT("0.1.0"), .build = AS_SLICE_LIT("b"), .argv = argv, .argc = 3,
                       .started = at(0, 0), .finished = at(0, 0), .inputs = in, .n_inputs = 1, .seeds = &start,
                       .n_seeds = 1 };
    as_buf b;
    const char *j = render(&m, &b);
    assert_non_null(strstr(j, "\"cwd\": null,"));
    assert_non_null(strstr(j, "\"period\": null,"));
    assert_non_null(strstr(j, "\"sha256\": null,"));          /* not read whole: no digest */
    assert_non_null(strstr(j, "\"path\": \"p\\\"o\\\\p.csv\""));  /* escaped */
    assert_non_null(strstr(j, "\"\\\"x\\\"\\n</script>\""));
    assert_non_null(strstr(j, "\"start\": \"1/3\""));
    assert_null(strstr(j, "not_listed"));
    assert_non_null(strstr(j, "\"rules\": [],"));
    assert_non_null(strstr(j, "\"outputs\": []\n}"));
    as_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_run),
        cmocka_unit_test(test_manifest_sample_and_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
