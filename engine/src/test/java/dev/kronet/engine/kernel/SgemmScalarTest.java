package dev.kronet.engine.kernel;

/** The blocked scalar SGEMM (the fallback without SIMD), default blocking, one thread. */
class SgemmScalarTest extends SgemmContract {
  @Override
  void gemm(GemmArgs g) {
    SgemmScalar.sgemm(g, GemmBlocking.DEFAULT);
  }
}
