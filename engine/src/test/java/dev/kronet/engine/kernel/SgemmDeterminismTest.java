package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.testing.Property;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Same inputs, different thread counts: the blocked SGEMMs must give bitwise identical C, because
 * threads own disjoint parts of C and the summation order of an element never depends on the split
 * (tall problems split rows, wide ones columns; tiny blocks force a split even for small shapes).
 */
class SgemmDeterminismTest {
  @Test
  void vectorResultDoesNotDependOnThreadCount() {
    if (Simd.ENABLED) {
      checkThreadIndependence(g -> SgemmVector.sgemm(g, SgemmVectorSmallBlocksTest.SMALL));
      checkThreadIndependence(g -> SgemmVector.sgemm(g, GemmBlocking.DEFAULT));
    }
  }

  @Test
  void scalarResultDoesNotDependOnThreadCount() {
    checkThreadIndependence(g -> SgemmScalar.sgemm(g, SgemmVectorSmallBlocksTest.SMALL));
  }

  private void checkThreadIndependence(Consumer<GemmArgs> gemm) {
    Property.check(
        "sgemmThreadIndependent",
        20,
        GemmCase.gen(90, 200),
        gc -> {
          float[] a = gc.a();
          float[] b = gc.b();
          float[] one = gc.c();
          float[] two = one.clone();
          float[] three = one.clone();
          onThreads(1, () -> gemm.accept(gc.args(a, b, one)));
          onThreads(2, () -> gemm.accept(gc.args(a, b, two)));
          onThreads(3, () -> gemm.accept(gc.args(a, b, three)));
          assertArrayEquals(one, two, 0f, "1 vs 2 threads");
          assertArrayEquals(one, three, 0f, "1 vs 3 threads");
        });
  }

  private static void onThreads(int threads, Runnable r) {
    try (var scope = Parallel.withThreads(threads)) {
      r.run();
    }
  }
}
