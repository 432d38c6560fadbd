package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The Vector API SGEMM with the tiles for a 16-register file (6 × 2 and 4 × 2 vectors) whatever
 * this machine's file, default blocking, one thread (as {@link SgemmVectorTest} for 32 registers).
 */
class SgemmVectorSixteenRegistersTest extends SgemmContract {
  @BeforeAll
  static void needsSimd() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
  }

  @Override
  void gemm(GemmArgs g) {
    SgemmVector.sgemm(g, GemmBlocking.DEFAULT, 16);
  }
}
