package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The 16-register tiles with {@link SgemmVectorSmallBlocksTest}'s tiny blocks on two threads: every
 * block boundary and thread split, B always packed.
 */
class SgemmVectorSixteenRegistersSmallBlocksTest extends SgemmContract {
  @BeforeAll
  static void needsSimd() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
  }

  @Override
  int threads() {
    return 2;
  }

  @Override
  void gemm(GemmArgs g) {
    SgemmVector.sgemm(g, SgemmVectorSmallBlocksTest.SMALL, 16);
  }
}
