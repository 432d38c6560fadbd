package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/** The Vector API SGEMM, default blocking, one thread. */
class SgemmVectorTest extends SgemmContract {
  @BeforeAll
  static void needsSimd() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
  }

  @Override
  void gemm(GemmArgs g) {
    SgemmVector.sgemm(g, GemmBlocking.DEFAULT);
  }
}
