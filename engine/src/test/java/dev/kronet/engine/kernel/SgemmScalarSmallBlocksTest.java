package dev.kronet.engine.kernel;

/** The blocked scalar SGEMM with tiny blocks on two threads: every block boundary is crossed. */
class SgemmScalarSmallBlocksTest extends SgemmContract {
  @Override
  int threads() {
    return 2;
  }

  @Override
  void gemm(GemmArgs g) {
    SgemmScalar.sgemm(g, SgemmVectorSmallBlocksTest.SMALL);
  }
}
