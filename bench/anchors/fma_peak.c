/*
 * FP32 fused multiply-add peak of this machine at a chosen vector width, one thread and all.
 *
 *   gcc -O3 -march=native -ffp-contract=fast -fopenmp -DLANES=16 bench/anchors/fma_peak.c -o /tmp/fma16
 *   /tmp/fma16 [threads]
 *
 * LANES is the float lanes per vector (16: AVX-512, 8: AVX2, 4: NEON or SSE); without an FMA unit
 * (-mno-fma) the compiler emits a multiply and an add and the figure is that machine's peak instead.
 * Each thread runs ACCUMULATORS independent chains acc = acc * m + c: enough chains to hide the FMA
 * latency on two pipes, few enough to stay in registers with 16 of them. A reference measurement
 * for bench/perf.sh, not product code.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef LANES
#define LANES 8
#endif
#define ACCUMULATORS 10
#define ROUNDS 100000000L

typedef float vec __attribute__((vector_size(LANES * sizeof(float))));

static double chains(long rounds) {
  vec acc[ACCUMULATORS];
  vec m, c;
  for (int l = 0; l < LANES; l++) {
    m[l] = 0.999999f;
    c[l] = 1e-7f;
  }
  for (int k = 0; k < ACCUMULATORS; k++) acc[k] = m * (float)(k + 1);
  for (long i = 0; i < rounds; i++) {
#pragma GCC unroll 16
    for (int k = 0; k < ACCUMULATORS; k++) acc[k] = acc[k] * m + c;
  }
  double sum = 0; /* printed, so the chains cannot be optimised away */
  for (int k = 0; k < ACCUMULATORS; k++)
    for (int l = 0; l < LANES; l++) sum += acc[k][l];
  return sum;
}

/* The best of three runs: on a shared machine a run can lose its core for a while. */
static void measure(int threads, long rounds) {
  double sink = 0, best = 1e30;
  for (int run = 0; run < 3; run++) {
    double t = omp_get_wtime();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    sink += chains(rounds);
    t = omp_get_wtime() - t;
    if (t < best) best = t;
  }
  double flops = 2.0 * LANES * ACCUMULATORS * rounds * threads;
  printf("fma_peak lanes=%d threads=%d gflops=%.1f (checksum %.3g)\n", LANES, threads, flops / best / 1e9,
         sink);
}

int main(int argc, char **argv) {
  int max = argc > 1 ? atoi(argv[1]) : omp_get_num_procs();
  long rounds = ROUNDS / LANES;
  chains(rounds / 10); /* wake the core up to its boost clock */
  for (int threads = 1; threads <= max; threads *= 2) measure(threads, rounds);
  if (max & (max - 1)) measure(max, rounds);
  return 0;
}
