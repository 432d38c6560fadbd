"""Reference: OpenBLAS float32 GEMM through numpy (Debian python3-numpy with libopenblas0-pthread).

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/anchors/openblas_sgemm.py [repeats]
The shapes of dev.kronet.bench.SgemmBenchmark: 1024 x 1024 x 1024, and the GEMMs a ResNet-20
convolution is as im2col (filters x patch x pixels of a batch of 128). Prints the best of `repeats`
calls in GFLOP/s per shape. Set OPENBLAS_CORETYPE=Haswell to hold OpenBLAS to its AVX2 kernels when
kronet runs at 8 lanes on an AVX-512 machine. A reference measurement for bench/perf.sh.
"""
import sys, time
import numpy as np

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
SHAPES = [("1024", 1024, 1024, 1024), ("64x576x6272", 64, 576, 6272),
          ("16x144x100352", 16, 144, 100352), ("32x288x25088", 32, 288, 25088),
          ("64x6272x576", 64, 6272, 576)]
rng = np.random.default_rng(0)
for name, m, k, n in SHAPES:
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        best = min(best, time.perf_counter() - t)
    print(f"openblas sgemm size={name} gflops={2.0 * m * k * n / best / 1e9:.1f}")
