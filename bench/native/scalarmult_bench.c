/*
 * Native baseline for Jointly's group benchmarks: libsodium's X25519 (crypto_scalarmult) and
 * ristretto255 (crypto_scalarmult_ristretto255) variable-base scalar multiplication, the PSI hot
 * path. Prints one JSON object per primitive with the median and quartiles of per-call time over
 * several rounds, so that bench/run.sh can put Jointly's figures beside them as ratios.
 *
 * Build and run: bench/native/run-native.sh (installs libsodium-dev from Debian if missing).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef int (*op_fn)(unsigned char *out, const unsigned char *n, const unsigned char *p);

/* Times `rounds` rounds of `calls` chained calls each (the output feeds the next input, so the
 * compiler cannot hoist anything); reports per-call nanoseconds. */
static void measure(const char *name, op_fn op, const unsigned char *scalar,
                    const unsigned char *point, int rounds, int calls) {
  unsigned char in[32], out[32];
  double *per_call = malloc(sizeof(double) * (size_t)rounds);
  memcpy(in, point, 32);
  for (int w = 0; w < calls; w++) { /* warm-up */
    if (op(out, scalar, in) != 0) { fprintf(stderr, "%s failed\n", name); exit(1); }
    memcpy(in, out, 32);
  }
  for (int r = 0; r < rounds; r++) {
    double t0 = now_ns();
    for (int c = 0; c < calls; c++) {
      if (op(out, scalar, in) != 0) { fprintf(stderr, "%s failed\n", name); exit(1); }
      memcpy(in, out, 32);
    }
    per_call[r] = (now_ns() - t0) / calls;
  }
  qsort(per_call, (size_t)rounds, sizeof(double), cmp_double);
  printf("{\"primitive\":\"%s\",\"unit\":\"us/op\",\"median\":%.3f,\"p25\":%.3f,\"p75\":%.3f,"
         "\"rounds\":%d,\"calls_per_round\":%d,\"libsodium\":\"%s\"}\n",
         name, per_call[rounds / 2] / 1e3, per_call[rounds / 4] / 1e3,
         per_call[(3 * rounds) / 4] / 1e3, rounds, calls, sodium_version_string());
  free(per_call);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 15;
  int calls = argc > 2 ? atoi(argv[2]) : 2000;
  if (sodium_init() < 0) { fprintf(stderr, "sodium_init failed\n"); return 1; }
  unsigned char scalar[32], point[32], hash[64];

  /* X25519: a random scalar (clamped inside crypto_scalarmult) and a random u-coordinate. */
  randombytes_buf(scalar, sizeof scalar);
  crypto_scalarmult_base(point, scalar);
  randombytes_buf(scalar, sizeof scalar);
  measure("x25519", crypto_scalarmult, scalar, point, rounds, calls);

  /* ristretto255: a random non-zero scalar and a random element (from_hash of random bytes).
   * crypto_scalarmult_ristretto255 decodes (validates) the input and encodes the output, as
   * Jointly's EcdhGroup.multiply does. */
  crypto_core_ristretto255_scalar_random(scalar);
  randombytes_buf(hash, sizeof hash);
  crypto_core_ristretto255_from_hash(point, hash);
  measure("ristretto255", crypto_scalarmult_ristretto255, scalar, point, rounds, calls);
  return 0;
}
