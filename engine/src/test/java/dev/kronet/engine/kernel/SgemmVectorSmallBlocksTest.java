package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The Vector API SGEMM with tiny blocks and no minimum task size on two threads, so that small
 * problems cross every block boundary (K blocks, B blocks, thread splits over M and over N), and
 * with B always packed (the default blocking of {@link SgemmVectorTest} reads a small B in place
 * when C has few rows).
 */
class SgemmVectorSmallBlocksTest extends SgemmContract {
  static final GemmBlocking SMALL = new GemmBlocking(16, 16 * 3 * 32, 1, 0);

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
    SgemmVector.sgemm(g, SMALL);
  }
}
