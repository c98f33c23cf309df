/*
 * Reference driver over sphlib's C (from the PyPI sdist x16s-hash 1.0.1),
 * used by the x16s crate's differential tests and by `x16s bench`.
 * Built by ./build-sphlib; not part of the Rust build.
 *
 * Modes (hex in on stdin, one item a line; hex out on stdout, one a line):
 *   sphlib_driver fn <index 0..15>  digest of each input line with that function
 *   sphlib_driver x16s              X16S (32 bytes) of each 80-byte header line
 *   sphlib_driver bench <millis>    timings of sphlib itself (thread CPU time), tab-separated:
 *                                   "fn <name> <ns per 64-byte input>" per function,
 *                                   then "x16s <hashes per second>" for 80-byte headers
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "x16s.h"
#include "sph_blake.h"
#include "sph_bmw.h"
#include "sph_groestl.h"
#include "sph_jh.h"
#include "sph_keccak.h"
#include "sph_skein.h"
#include "sph_luffa.h"
#include "sph_cubehash.h"
#include "sph_shavite.h"
#include "sph_simd.h"
#include "sph_echo.h"
#include "sph_hamsi.h"
#include "sph_fugue.h"
#include "sph_shabal.h"
#include "sph_whirlpool.h"
#include "sph_sha2.h"

#define MAX_INPUT 65536

/* One-shot digest: init, absorb, close, on a context large enough for any function. */
#define ONE_SHOT(ctx_type, prefix)                                            \
    static void prefix##_digest(const void *data, size_t len, void *out) {    \
        ctx_type ctx;                                                         \
        prefix##_init(&ctx);                                                  \
        prefix(&ctx, data, len);                                              \
        prefix##_close(&ctx, out);                                            \
    }

ONE_SHOT(sph_blake512_context, sph_blake512)
ONE_SHOT(sph_bmw512_context, sph_bmw512)
ONE_SHOT(sph_groestl512_context, sph_groestl512)
ONE_SHOT(sph_jh512_context, sph_jh512)
ONE_SHOT(sph_keccak512_context, sph_keccak512)
ONE_SHOT(sph_skein512_context, sph_skein512)
ONE_SHOT(sph_luffa512_context, sph_luffa512)
ONE_SHOT(sph_cubehash512_context, sph_cubehash512)
ONE_SHOT(sph_shavite512_context, sph_shavite512)
ONE_SHOT(sph_simd512_context, sph_simd512)
ONE_SHOT(sph_echo512_context, sph_echo512)
ONE_SHOT(sph_hamsi512_context, sph_hamsi512)
ONE_SHOT(sph_fugue512_context, sph_fugue512)
ONE_SHOT(sph_shabal512_context, sph_shabal512)
ONE_SHOT(sph_whirlpool_context, sph_whirlpool)
ONE_SHOT(sph_sha512_context, sph_sha512)

typedef void (*digest_fn)(const void *, size_t, void *);

static const struct {
    const char *name;
    digest_fn digest;
} FUNCTIONS[16] = {
    {"blake512", sph_blake512_digest},     {"bmw512", sph_bmw512_digest},
    {"groestl512", sph_groestl512_digest}, {"jh512", sph_jh512_digest},
    {"keccak512", sph_keccak512_digest},   {"skein512", sph_skein512_digest},
    {"luffa512", sph_luffa512_digest},     {"cubehash512", sph_cubehash512_digest},
    {"shavite512", sph_shavite512_digest}, {"simd512", sph_simd512_digest},
    {"echo512", sph_echo512_digest},       {"hamsi512", sph_hamsi512_digest},
    {"fugue512", sph_fugue512_digest},     {"shabal512", sph_shabal512_digest},
    {"whirlpool", sph_whirlpool_digest},   {"sha512", sph_sha512_digest},
};

static int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes a hex line (without its newline) into out; returns the byte count or -1. */
static long decode_hex(const char *line, size_t len, unsigned char *out) {
    if (len % 2 != 0 || len / 2 > MAX_INPUT) return -1;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hex_value(line[2 * i]), lo = hex_value(line[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(len / 2);
}

static void print_hex(const unsigned char *bytes, size_t len) {
    for (size_t i = 0; i < len; i++) printf("%02x", bytes[i]);
    putchar('\n');
}

/* Applies `function` (-1: X16S) to every hex line of stdin. */
static int run_lines(int function) {
    static char line[2 * MAX_INPUT + 3];
    static unsigned char input[MAX_INPUT];
    unsigned char digest[64];
    unsigned long number = 0;
    while (fgets(line, sizeof line, stdin)) {
        number++;
        size_t len = strcspn(line, "\r\n");
        long n = decode_hex(line, len, input);
        if (n < 0) {
            fprintf(stderr, "line %lu: not hex of at most %d bytes\n", number, MAX_INPUT);
            return 1;
        }
        if (function < 0) {
            if (n != 80) {
                fprintf(stderr, "line %lu: X16S takes an 80-byte header, got %ld\n", number, n);
                return 1;
            }
            x16s_hash((const char *)input, (char *)digest);
            print_hex(digest, 32);
        } else {
            FUNCTIONS[function].digest(input, (size_t)n, digest);
            print_hex(digest, 64);
        }
        fflush(stdout);
    }
    return 0;
}

/* CPU time of this thread: other processes on a shared machine do not count. */
static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Times each function on a 64-byte input and X16S on 80-byte headers, for about `millis` each. */
static int run_bench(long millis) {
    double budget = (double)millis / 1000.0;
    unsigned char block[80] = {0}, digest[64];
    for (int i = 0; i < 80; i++) block[i] = (unsigned char)(i * 7 + 1);
    for (int f = 0; f < 16; f++) {
        unsigned long count = 0;
        double start = now_seconds(), elapsed;
        do {
            for (int k = 0; k < 256; k++) {
                FUNCTIONS[f].digest(block, 64, digest);
                block[0] ^= digest[0];
            }
            count += 256;
        } while ((elapsed = now_seconds() - start) < budget);
        printf("fn\t%s\t%.1f\n", FUNCTIONS[f].name, elapsed * 1e9 / (double)count);
    }
    unsigned long count = 0;
    double start = now_seconds(), elapsed;
    do {
        for (int k = 0; k < 64; k++) {
            /* Vary the nonce and the previous hash so every order is exercised. */
            block[76] = (unsigned char)k;
            block[4 + (k & 7)] += 1;
            x16s_hash((const char *)block, (char *)digest);
            block[77] ^= digest[0];
        }
        count += 64;
    } while ((elapsed = now_seconds() - start) < budget);
    printf("x16s\t%.1f\n", (double)count / elapsed);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "fn") == 0) {
        int index = atoi(argv[2]);
        if (index < 0 || index > 15) {
            fprintf(stderr, "function index must be 0..15\n");
            return 2;
        }
        return run_lines(index);
    }
    if (argc == 2 && strcmp(argv[1], "x16s") == 0) return run_lines(-1);
    if (argc == 3 && strcmp(argv[1], "bench") == 0) return run_bench(atol(argv[2]));
    fprintf(stderr, "usage: %s fn <0..15> | x16s | bench <millis per item>\n", argv[0]);
    return 2;
}
