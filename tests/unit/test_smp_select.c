/* test_smp_select.c: unit tests of samplers/ selection: the selection
 * vectors of docs/sampling.md B.5 (SEL1-SEL3 interval selection, SEL4 the
 * keyed-hash bottom-k, SEL5 its uniformity), inclusion frequencies of every
 * method over many seeds, a chi-square test with fixed seeds (deterministic),
 * the property that bottom-k does not depend on order or sharding (and that
 * the workers' prefilter keeps it whole), seeds,
 * strata labels and the stratified allocation. */
#include <setjmp.h>  /* cmocka needs these four before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>   /* snprintf */
#include <string.h>  /* strcmp, memcmp */
#include <time.h>    /* gmtime_r, strftime: the reference for period labels */

#include "samplers/smp.h"

static smp_keyer *keyer_text(const char *s)
{
    smp_seed sd;
    assert_int_equal(smp_seed_parse(s, &sd), 0);
    smp_keyer *k = smp_keyer_new(&sd);
    assert_non_null(k);
    return k;
}

static const char *k_sel4_key = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/* SEL1: N = 5, n = 2, start 1.2 (interval 2.5): items 2, 4. */
static void test_smp_select_sel1_fixed_interval(void **state)
{
    (void)state;
    unsigned __int128 u;
    assert_int_equal(smp_unit_start(5, 2, 1, 12, 10, &u), AS_OK);
    assert_true(u == 2);
    assert_int_equal(smp_unit_start(5, 2, 2, 12, 10, &u), AS_OK);
    assert_true(u == 4);
}

/* SEL2: MUS over values 7,3,4,9,0,1,8,2,6,5 (45), n = 5, start 2 (interval
 * 9): units 2, 11, 20, 29, 38 fall in items 1, 3, 4, 7, 9. */
static void test_smp_select_sel2_mus_interval(void **state)
{
    (void)state;
    static const uint64_t v[10] = { 7, 3, 4, 9, 0, 1, 8, 2, 6, 5 };
    static const unsigned want[5] = { 1, 3, 4, 7, 9 };
    for (uint64_t j = 1; j <= 5; j++) {
        unsigned __int128 u;
        assert_int_equal(smp_unit_start(45, 5, j, 2, 1, &u), AS_OK);
        uint64_t cum = 0;
        unsigned item = 0;
        while (cum < (uint64_t)u)
            cum += v[item++];
        assert_int_equal(item, want[j - 1]);
    }
}

/* SEL3: N = 1000, n = 100, start 3: rows 3, 13, ..., 993. */
static void test_smp_select_sel3_rows(void **state)
{
    (void)state;
    for (uint64_t j = 1; j <= 100; j++) {
        unsigned __int128 u;
        assert_int_equal(smp_unit_start(1000, 100, j, 3, 1, &u), AS_OK);
        assert_true(u == 3 + 10 * (j - 1));
    }
}

static void sel4_ids(char ids[1000][16])
{
    for (int i = 0; i < 1000; i++)
        snprintf(ids[i], 16, "rec-%06d", i + 1);
}

static void check_sel4(smp_bottomk *b)
{
    static const char *const want[5] = { "rec-000247", "rec-000662", "rec-000127", "rec-000874", "rec-000182" };
    static const uint64_t keys[5] = { 0x00294625bf55577full, 0x0037fc57ad8e766dull, 0x0058053888a05c27ull,
                                      0x01082f20c3a3a3c6ull, 0x016a3ba813b253a2ull };
    smp_bottomk_sort(b);
    assert_int_equal(b->n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(b->v[i].id_len, 10);
        assert_memory_equal(b->v[i].id, want[i], 10);
        assert_true(b->v[i].key == keys[i]);
    }
}

/* SEL4: HMAC-SHA256 with key bytes 0x00..0x1f over rec-000001..rec-001000,
 * bottom 5: the same set in any order and from a 4-shard merge. */
static void test_smp_select_sel4_keyed_hash_bottom_k(void **state)
{
    (void)state;
    static char ids[1000][16];
    sel4_ids(ids);
    smp_keyer *k = keyer_text(k_sel4_key);
    smp_bottomk b;
    smp_bottomk_init(&b, 5, NULL);
    for (int i = 0; i < 1000; i++) {
        uint64_t key;
        assert_int_equal(smp_keyer_key(k, as_slice_cstr(ids[i]), &key), 0);
        assert_int_equal(smp_bottomk_push(&b, key, as_slice_cstr(ids[i]), NULL), AS_OK);
    }
    check_sel4(&b);
    smp_bottomk_fini(&b);
    /* reversed, then strided order */
    smp_bottomk_init(&b, 5, NULL);
    for (int s = 0; s < 7; s++)
        for (int i = 999 - s; i >= 0; i -= 7) {
            uint64_t key;
            assert_int_equal(smp_keyer_key(k, as_slice_cstr(ids[i]), &key), 0);
            assert_int_equal(smp_bottomk_push(&b, key, as_slice_cstr(ids[i]), NULL), AS_OK);
        }
    check_sel4(&b);
    smp_bottomk_fini(&b);
    /* four shards (i mod 4), each its own bottom-5, merged */
    smp_bottomk sh[4], all;
    smp_bottomk_init(&all, 5, NULL);
    for (int s = 0; s < 4; s++) {
        smp_bottomk_init(&sh[s], 5, NULL);
        for (int i = s; i < 1000; i += 4) {
            uint64_t key;
            assert_int_equal(smp_keyer_key(k, as_slice_cstr(ids[i]), &key), 0);
            assert_int_equal(smp_bottomk_push(&sh[s], key, as_slice_cstr(ids[i]), NULL), AS_OK);
        }
        assert_int_equal(smp_bottomk_merge(&all, &sh[s]), AS_OK);
    }
    check_sel4(&all);
    smp_bottomk_fini(&all);
    smp_keyer_free(k);
}

/* The workers' prefilter never drops an item of the bottom-k: keys from a
 * small space (many ties), dealt to three filters in an irregular order;
 * what passes, pushed into one bottom-k, equals the bottom-k of everything.
 * And it does filter: far fewer than N pass over random keys. */
static void test_smp_select_kfilter_keeps_bottomk(void **state)
{
    (void)state;
    for (uint64_t k = 1; k <= 40; k += 13) {
        for (int space = 0; space < 2; space++) {
            smp_kfilter f[3];
            for (int w = 0; w < 3; w++)
                smp_kfilter_init(&f[w], k);
            smp_bottomk all, passed;
            smp_bottomk_init(&all, k, NULL);
            smp_bottomk_init(&passed, k, NULL);
            uint64_t x = 88172645463325252ull, n_pass = 0;
            const int N = 5000;
            for (int i = 0; i < N; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;            /* xorshift64 */
                uint64_t key = space ? x : x % 50;                  /* space 0: ties everywhere */
                char id[16];
                snprintf(id, sizeof id, "r%d", i);
                assert_int_equal(smp_bottomk_push(&all, key, as_slice_cstr(id), NULL), AS_OK);
                int w = (int)((x >> 40) % 3);
                if (smp_kfilter_offer(&f[w], key)) {
                    n_pass++;
                    assert_int_equal(smp_bottomk_push(&passed, key, as_slice_cstr(id), NULL), AS_OK);
                }
            }
            smp_bottomk_sort(&all);
            smp_bottomk_sort(&passed);
            assert_int_equal(all.n, passed.n);
            for (size_t i = 0; i < all.n; i++) {
                assert_int_equal(all.v[i].key, passed.v[i].key);
                assert_int_equal(all.v[i].id_len, passed.v[i].id_len);
                assert_memory_equal(all.v[i].id, passed.v[i].id, all.v[i].id_len);
            }
            if (space)                                  /* 3 k (1 + ln(N / 3k)) expected */
                assert_true(n_pass < (uint64_t)N / 4);
            smp_bottomk_fini(&all);
            smp_bottomk_fini(&passed);
            for (int w = 0; w < 3; w++) {
                assert_false(f[w].oom);
                smp_kfilter_fini(&f[w]);
            }
        }
    }
    smp_kfilter z;                                      /* k = 0 keeps nothing */
    smp_kfilter_init(&z, 0);
    assert_false(smp_kfilter_offer(&z, 1));
    smp_kfilter_fini(&z);
}

/* The prepared-state HMAC equals core's one-shot HMAC (libcrypto's HMAC()). */
static void test_smp_select_keyer_equals_hmac(void **state)
{
    (void)state;
    const char *seeds[] = { "s", "audit-2025-fy", k_sel4_key, "0123456789012345678901234567890123456789012345678901234567890123" };
    const char *msgs[] = { "", "a", "9f86d081884c7d65:123456", "db-01/2025-10-01",
                           "a message that is longer than one sixty-four byte block of SHA-256 input........" };
    for (size_t i = 0; i < 4; i++) {
        smp_seed sd;
        assert_int_equal(smp_seed_parse(seeds[i], &sd), 0);
        smp_keyer *k = smp_keyer_new(&sd);
        assert_non_null(k);
        for (size_t m = 0; m < 5; m++) {
            uint8_t a[AS_SHA256_LEN], b[AS_SHA256_LEN];
            assert_int_equal(smp_keyer_mac(k, as_slice_cstr(msgs[m]), a), 0);
            assert_int_equal(as_hmac_sha256((as_slice){ (const char *)sd.key, sd.key_len }, as_slice_cstr(msgs[m]), b), 0);
            assert_memory_equal(a, b, AS_SHA256_LEN);
        }
        smp_keyer_free(k);
    }
}

/* smp_keyer_key's one-block path (ids up to 55 bytes) and its general path
 * give the first 8 bytes of the HMAC, big-endian, for every id length
 * around the block boundaries. */
static void test_smp_select_key_every_length(void **state)
{
    (void)state;
    const char *seeds[] = { "s", k_sel4_key, "0123456789012345678901234567890123456789012345678901234567890123" };
    char msg[200];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (char)('!' + (i * 7) % 90);
    for (size_t si = 0; si < 3; si++) {
        smp_seed sd;
        assert_int_equal(smp_seed_parse(seeds[si], &sd), 0);
        smp_keyer *k = smp_keyer_new(&sd);
        assert_non_null(k);
        for (size_t len = 0; len <= 140; len++) {
            uint8_t b[AS_SHA256_LEN];
            assert_int_equal(as_hmac_sha256((as_slice){ (const char *)sd.key, sd.key_len }, (as_slice){ msg, len }, b), 0);
            uint64_t key;
            assert_int_equal(smp_keyer_key(k, (as_slice){ msg, len }, &key), 0);
            assert_int_equal(key, smp_key_from_mac(b));
        }
        /* in batches (16 lanes of AVX-512 where the CPU has it, one by one
         * otherwise): the ids of every length mixed, batches of 1 to 141 */
        as_slice ids[141];
        uint64_t one[141], many[141];
        for (size_t len = 0; len <= 140; len++) {
            size_t at = (len * 37) % 141;               /* lengths shuffled */
            ids[at] = (as_slice){ msg + len % 7, len };
            assert_int_equal(smp_keyer_key(k, ids[at], &one[at]), 0);
        }
        for (int mb = 0; mb < 2; mb++) {
            smp_keyer_set_multibuffer(k, mb);
            for (size_t bn = 1; bn <= 141; bn += (bn < 20 ? 1 : 30)) {
                memset(many, 0, sizeof many);
                for (size_t at = 0; at < 141; at += bn)
                    assert_int_equal(smp_keyer_keys(k, ids + at, at + bn <= 141 ? bn : 141 - at, many + at), 0);
                assert_memory_equal(one, many, sizeof one);
            }
        }
        smp_keyer_free(k);
    }
}

static void test_smp_select_seed_forms(void **state)
{
    (void)state;
    smp_seed s;
    assert_int_equal(smp_seed_parse("audit-2025", &s), 0);
    assert_int_equal(s.key_len, 10);
    assert_false(s.is_hex);
    assert_int_equal(smp_seed_parse("hex:00ff", &s), 0);
    assert_int_equal(s.key_len, 2);
    assert_int_equal(s.key[1], 0xff);
    assert_true(s.is_hex);
    assert_int_equal(smp_seed_parse("", &s), -1);
    assert_int_equal(smp_seed_parse("hex:0", &s), -1);
    assert_int_equal(smp_seed_parse("hex:zz", &s), -1);
    assert_int_equal(smp_seed_parse("tab\there", &s), -1);
    char longs[80];
    memset(longs, 'a', 65);
    longs[65] = '\0';
    assert_int_equal(smp_seed_parse(longs, &s), -1);  /* > 64 key bytes */
    smp_seed r1, r2;
    assert_int_equal(smp_seed_random(&r1), 0);
    assert_int_equal(smp_seed_random(&r2), 0);
    assert_true(r1.is_random && r1.is_hex);
    assert_int_equal(r1.key_len, SMP_SEED_RANDOM_BYTES);
    assert_int_equal(strncmp(r1.text, "hex:", 4), 0);
    assert_true(memcmp(r1.key, r2.key, SMP_SEED_RANDOM_BYTES) != 0);
}

/* SEL5: N = 20, k = 5 over 20,000 seeds. sampling.md reports its own run
 * (frequencies in [0.2402, 0.2538], chi-square about 15.1) without saying
 * which 20,000 seeds it used, so those exact numbers cannot be re-derived;
 * five natural seed schemes give ranges inside [0.2408, 0.2567] and
 * chi-squares 10.3-19.4. Here the seeds are fixed ("sel5-1".."sel5-20000"),
 * so the statistic is the same on every run: every frequency within four
 * standard errors of 0.25 (+-0.0122) and the chi-square (df 19) below the
 * 1% critical value 36.19. */
static void test_smp_select_sel5_uniformity_chi_square(void **state)
{
    (void)state;
    enum { N = 20, K = 5, SEEDS = 20000 };
    uint64_t hits[N] = { 0 };
    char id[16], sd[24];
    for (int s = 1; s <= SEEDS; s++) {
        snprintf(sd, sizeof sd, "sel5-%d", s);
        smp_keyer *k = keyer_text(sd);
        smp_bottomk b;
        smp_bottomk_init(&b, K, NULL);
        for (int i = 0; i < N; i++) {
            uint64_t key;
            snprintf(id, sizeof id, "rec-%06d", i + 1);
            assert_int_equal(smp_keyer_key(k, as_slice_cstr(id), &key), 0);
            assert_int_equal(smp_bottomk_push(&b, key, as_slice_cstr(id), NULL), AS_OK);
        }
        assert_int_equal(b.n, K);
        for (size_t i = 0; i < b.n; i++) {
            int r = 0;
            assert_int_equal(sscanf(b.v[i].id + 4, "%6d", &r), 1);
            hits[r - 1]++;
        }
        smp_bottomk_fini(&b);
        smp_keyer_free(k);
    }
    double chi = 0, e = (double)SEEDS * K / N, lo = 1, hi = 0;
    for (int i = 0; i < N; i++) {
        double f = (double)hits[i] / SEEDS;
        lo = f < lo ? f : lo;
        hi = f > hi ? f : hi;
        assert_true(f >= 0.25 - 0.0122 && f <= 0.25 + 0.0122);
        chi += ((double)hits[i] - e) * ((double)hits[i] - e) / e;
    }
    print_message("      SEL5 frequencies in [%.4f, %.4f], chi-square (df 19) = %.2f\n", lo, hi, chi);
    assert_true(chi < 36.19);
}

/* Systematic with a random start and cell selection: every unit is hit with
 * probability n/N (frequency over 20,000 seeds within 4 standard errors),
 * each draw j lands in its own interval, and draws never repeat a unit. */
static void test_smp_select_interval_inclusion(void **state)
{
    (void)state;
    enum { N = 23, n = 5, SEEDS = 20000 };
    uint64_t sys[N] = { 0 }, cell[N] = { 0 };
    char sd[24];
    for (int s = 1; s <= SEEDS; s++) {
        snprintf(sd, sizeof sd, "iv-%d", s);
        smp_keyer *k = keyer_text(sd);
        uint64_t h;
        assert_int_equal(smp_keyer_draw(k, "assay-systematic-start", 0, &h), 0);
        unsigned __int128 prev = 0;
        for (uint64_t j = 1; j <= n; j++) {
            unsigned __int128 u, c;
            assert_int_equal(smp_unit_random(N, n, j, h, &u), AS_OK);
            assert_true(u > prev && u <= N);
            prev = u;
            sys[(size_t)u - 1]++;
            uint64_t hc;
            assert_int_equal(smp_keyer_draw(k, "assay-cell", j, &hc), 0);
            assert_int_equal(smp_unit_random(N, n, j, hc, &c), AS_OK);
            /* cell j covers units in ((j-1) N/n, j N/n] rounded outwards */
            assert_true((uint64_t)c >= (j - 1) * N / n + 1 - ((j - 1) * N % n == 0 ? 0 : 0));
            assert_true((uint64_t)c <= (j * N + n - 1) / n);
            cell[(size_t)c - 1]++;
        }
        smp_keyer_free(k);
    }
    double p = (double)n / N, se = 0;
    se = 4.0 * __builtin_sqrt(p * (1 - p) / SEEDS);
    for (int i = 0; i < N; i++) {
        double fs = (double)sys[i] / SEEDS, fc = (double)cell[i] / SEEDS;
        assert_true(fs > p - se && fs < p + se);
        assert_true(fc > p - se && fc < p + se);
    }
    /* the extremes of h: u = 0 gives units 1, 1 + I, ...; the largest h the last unit of each interval */
    unsigned __int128 u;
    assert_int_equal(smp_unit_random(1000, 100, 1, 0, &u), AS_OK);
    assert_true(u == 1);
    assert_int_equal(smp_unit_random(1000, 100, 100, UINT64_MAX, &u), AS_OK);
    assert_true(u == 1000);
    /* totals far beyond 64 bits do not overflow */
    unsigned __int128 big = (unsigned __int128)1 << 100;
    assert_int_equal(smp_unit_random(big, 3, 3, UINT64_MAX, &u), AS_OK);
    assert_true(u <= big && u > big / 3 * 2);
}

/* Property: bottom-k of any split into shards, in any order, merged = the
 * bottom-k of the whole (random keys, many ties in key broken by id). */
static void test_smp_select_bottom_k_shards_property(void **state)
{
    (void)state;
    enum { M = 3000, KK = 37 };
    static uint64_t keys[M];
    static char ids[M][12];
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < M; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        keys[i] = x % 500;                         /* many equal keys: ties by id */
        snprintf(ids[i], sizeof ids[i], "id%05d", (int)(x >> 40) % 100000);
    }
    smp_bottomk whole;
    smp_bottomk_init(&whole, KK, NULL);
    for (int i = 0; i < M; i++)
        assert_int_equal(smp_bottomk_push(&whole, keys[i], as_slice_cstr(ids[i]), NULL), AS_OK);
    smp_bottomk_sort(&whole);
    for (int shards = 1; shards <= 9; shards++) {
        smp_bottomk sh[9], all;
        smp_bottomk_init(&all, KK, NULL);
        for (int s = 0; s < shards; s++)
            smp_bottomk_init(&sh[s], KK, NULL);
        for (int i = M - 1; i >= 0; i--)
            assert_int_equal(smp_bottomk_push(&sh[(i * 7 + shards) % shards], keys[i], as_slice_cstr(ids[i]), NULL), AS_OK);
        for (int s = shards - 1; s >= 0; s--)
            assert_int_equal(smp_bottomk_merge(&all, &sh[s]), AS_OK);
        smp_bottomk_sort(&all);
        assert_int_equal(all.n, whole.n);
        for (size_t i = 0; i < all.n; i++) {
            assert_true(all.v[i].key == whole.v[i].key);
            assert_int_equal(all.v[i].id_len, whole.v[i].id_len);
            assert_memory_equal(all.v[i].id, whole.v[i].id, all.v[i].id_len);
        }
        smp_bottomk_fini(&all);
    }
    smp_bottomk_fini(&whole);
}

static void test_smp_select_period_labels(void **state)
{
    (void)state;
    char b[SMP_LABEL_MAX];
    as_time t;
    assert_true(as_time_parse_iso(as_slice_cstr("2025-10-01T03:00:00Z"), 0, &t) > 0);
    smp_period_label(SMP_PERIOD_MONTH, t, b);
    assert_string_equal(b, "2025-10");
    smp_period_label(SMP_PERIOD_QUARTER, t, b);
    assert_string_equal(b, "2025Q4");
    smp_period_label(SMP_PERIOD_WEEK, t, b);
    assert_string_equal(b, "2025-W40");
    assert_true(as_time_parse_iso(as_slice_cstr("2021-01-03T23:59:59Z"), 0, &t) > 0);   /* a Sunday */
    smp_period_label(SMP_PERIOD_WEEK, t, b);
    assert_string_equal(b, "2020-W53");
    assert_true(as_time_parse_iso(as_slice_cstr("2024-12-30T00:00:00Z"), 0, &t) > 0);   /* a Monday */
    smp_period_label(SMP_PERIOD_WEEK, t, b);
    assert_string_equal(b, "2025-W01");
    /* an offset time is labelled by its UTC instant */
    assert_true(as_time_parse_iso(as_slice_cstr("2025-10-01T01:00:00+02:00"), 0, &t) > 0);
    smp_period_label(SMP_PERIOD_MONTH, t, b);
    assert_string_equal(b, "2025-09");
    /* every day from 1899 to 2101 against gmtime + strftime (%G-W%V for ISO weeks) */
    for (int64_t sec = -2240611200ll; sec < 4165516800ll; sec += 86400 - 1) {
        time_t tt = (time_t)sec;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char want[32];
        t = (as_time){ .sec = sec, .flags = AS_TIME_VALID };
        strftime(want, sizeof want, "%Y-%m", &tm);
        assert_int_equal(smp_period_label(SMP_PERIOD_MONTH, t, b), strlen(want));
        assert_string_equal(b, want);
        strftime(want, sizeof want, "%G-W%V", &tm);
        assert_int_equal(smp_period_label(SMP_PERIOD_WEEK, t, b), strlen(want));
        assert_string_equal(b, want);
        snprintf(want, sizeof want, "%04dQ%d", tm.tm_year + 1900, tm.tm_mon / 3 + 1);
        assert_int_equal(smp_period_label(SMP_PERIOD_QUARTER, t, b), strlen(want));
        assert_string_equal(b, want);
    }
    smp_period p;
    assert_int_equal(smp_period_from_name("quarter", &p), 0);
    assert_int_equal(smp_period_from_name("day", &p), -1);
}

static void alloc_ok(const uint64_t *N_h, size_t S, uint64_t n, uint64_t m, const uint64_t *want)
{
    uint64_t got[16];
    as_err e;
    as_err_clear(&e);
    assert_int_equal(smp_allocate(N_h, S, n, m, got, &e), AS_OK);
    uint64_t sum = 0;
    for (size_t h = 0; h < S; h++) {
        if (got[h] != want[h])
            print_error("stratum %zu: %llu, want %llu\n", h, (unsigned long long)got[h], (unsigned long long)want[h]);
        assert_int_equal(got[h], want[h]);
        assert_true(got[h] <= N_h[h]);
        sum += got[h];
    }
    uint64_t N = 0;
    for (size_t h = 0; h < S; h++)
        N += N_h[h];
    assert_int_equal(sum, n < N ? n : N);
}

static void test_smp_select_stratified_allocation(void **state)
{
    (void)state;
    /* 12 equal months, n = 25: 2 each, and the first month (label order) takes the last one */
    uint64_t eq[12], w1[12] = { 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 };
    for (int i = 0; i < 12; i++)
        eq[i] = 1000;
    alloc_ok(eq, 12, 25, 1, w1);
    /* proportional, largest remainder: 60 over 500/300/200 */
    uint64_t a[3] = { 500, 300, 200 }, wa[3] = { 30, 18, 12 };
    alloc_ok(a, 3, 60, 1, wa);
    /* 10 over 7/2/1 (shares 7, 2, 1 exactly) and 9: shares 6.3/1.8/0.9, min 1 fixes the last */
    uint64_t b[3] = { 7, 2, 1 }, wb[3] = { 7, 2, 1 }, wb9[3] = { 6, 2, 1 };
    alloc_ok(b, 3, 10, 1, wb);
    alloc_ok(b, 3, 9, 1, wb9);
    /* a quiet month still gets its minimum; the rest is proportional */
    uint64_t c[4] = { 1000, 1000, 1000, 3 }, wc[4] = { 7, 7, 6, 2 }, wc1[4] = { 7, 7, 7, 1 };
    alloc_ok(c, 4, 22, 2, wc);
    alloc_ok(c, 4, 22, 1, wc1);
    /* a stratum smaller than the minimum gives all it has */
    uint64_t d[2] = { 100, 1 }, wd[2] = { 9, 1 };
    alloc_ok(d, 2, 10, 3, wd);
    /* n >= N: everything */
    uint64_t f[2] = { 3, 4 }, wf[2] = { 3, 4 };
    alloc_ok(f, 2, 50, 1, wf);
    /* the minimums alone are more than n */
    uint64_t got[12];
    as_err e;
    as_err_clear(&e);
    assert_int_equal(smp_allocate(eq, 12, 11, 1, got, &e), AS_ERR_USAGE);
    assert_non_null(strstr(e.msg, "--min-per-stratum"));
}

static void test_smp_select_tally(void **state)
{
    (void)state;
    smp_tally t, u;
    smp_tally_init(&t);
    smp_tally_init(&u);
    char lab[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(lab, sizeof lab, "L%03d", i % 37);
        assert_int_equal(smp_tally_add(i % 2 ? &t : &u, as_slice_cstr(lab), 1, (unsigned __int128)i), AS_OK);
    }
    assert_int_equal(smp_tally_merge(&t, &u), AS_OK);
    assert_int_equal(t.n, 37);
    smp_tally_ent **v = smp_tally_sorted(&t);
    assert_non_null(v);
    uint64_t total = 0;
    for (size_t i = 0; i < t.n; i++) {
        snprintf(lab, sizeof lab, "L%03u", (unsigned)i);
        assert_string_equal(v[i]->label, lab);
        assert_int_equal(v[i]->index, i);
        total += v[i]->count;
    }
    assert_int_equal(total, 1000);
    as_free(v);
    smp_tally_fini(&t);
    smp_tally_fini(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smp_select_sel1_fixed_interval),
        cmocka_unit_test(test_smp_select_sel2_mus_interval),
        cmocka_unit_test(test_smp_select_sel3_rows),
        cmocka_unit_test(test_smp_select_sel4_keyed_hash_bottom_k),
        cmocka_unit_test(test_smp_select_keyer_equals_hmac),
        cmocka_unit_test(test_smp_select_seed_forms),
        cmocka_unit_test(test_smp_select_sel5_uniformity_chi_square),
        cmocka_unit_test(test_smp_select_interval_inclusion),
        cmocka_unit_test(test_smp_select_bottom_k_shards_property),
        cmocka_unit_test(test_smp_select_period_labels),
        cmocka_unit_test(test_smp_select_stratified_allocation),
        cmocka_unit_test(test_smp_select_tally),
        cmocka_unit_test(test_smp_select_kfilter_keeps_bottomk),
        cmocka_unit_test(test_smp_select_key_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
