package dev.kronet.engine.kernel;

/** The public entry point {@link Sgemm#sgemm}, on two threads, as ops call it. */
class SgemmDispatchTest extends SgemmContract {
  @Override
  int threads() {
    return 2;
  }

  @Override
  void gemm(GemmArgs g) {
    Sgemm.sgemm(
        g.transA(),
        g.transB(),
        g.m(),
        g.n(),
        g.k(),
        g.a(),
        g.aOff(),
        g.lda(),
        g.b(),
        g.bOff(),
        g.ldb(),
        g.c(),
        g.cOff(),
        g.ldc(),
        g.accumulate());
  }
}
