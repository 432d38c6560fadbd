package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpCounterTest {

  record ConvCase(int n, int c, int f, int groups, int h, int w, int kh, int kw, ConvSpec spec) {}

  private static final Gen<ConvCase> CONVS =
      Gen.<ConvCase>of(
              (rng, size) -> {
                int groups = 1 + rng.nextInt(3);
                int c = groups * (1 + rng.nextInt(3));
                int f = groups * (1 + rng.nextInt(3));
                int kh = 1 + rng.nextInt(3);
                int kw = 1 + rng.nextInt(3);
                ConvSpec spec =
                    new ConvSpec(
                        1 + rng.nextInt(2),
                        1 + rng.nextInt(2),
                        rng.nextInt(2),
                        rng.nextInt(2),
                        rng.nextInt(2),
                        rng.nextInt(2),
                        1 + rng.nextInt(2),
                        1 + rng.nextInt(2),
                        groups);
                int h = 2 * kh + rng.nextInt(4);
                int w = 2 * kw + rng.nextInt(4);
                return new ConvCase(1 + rng.nextInt(2), c, f, groups, h, w, kh, kw, spec);
              })
          .withEdgeCases(
              List.of(
                  new ConvCase(1, 1, 1, 1, 1, 1, 1, 1, ConvSpec.DEFAULT),
                  // depthwise goes through its own kernel
                  new ConvCase(2, 3, 3, 3, 5, 4, 3, 2, ConvSpec.of(2, 1, 1, 3))));

  @Test
  void conv2dCountsBatchFiltersOutputPixelsAndKernelVolume() {
    Property.check(
        "conv2dMacs",
        30,
        CONVS,
        k -> {
          Rng rng = new Rng(k.hashCode());
          Tensor x = Tensor.randn(rng, k.n(), k.c(), k.h(), k.w());
          Tensor wt = Tensor.randn(rng, k.f(), k.c() / k.groups(), k.kh(), k.kw());
          try (OpCounter counter = OpCounter.count()) {
            Tensor y = Convolution.conv2d(x, wt, null, k.spec());
            long expected =
                (long) k.n()
                    * k.f()
                    * y.size(2)
                    * y.size(3)
                    * (k.c() / k.groups())
                    * k.kh()
                    * k.kw();
            assertEquals(expected, counter.macs());
          }
        });
  }

  @Test
  void linearAndMatMulCountRowsTimesColumnsTimesInner() {
    Rng rng = new Rng(7);
    try (OpCounter counter = OpCounter.count()) {
      Linear.linear(Tensor.randn(rng, 3, 4, 5), Tensor.randn(rng, 6, 5), null);
      assertEquals(3L * 4 * 6 * 5, counter.macs());
    }
    try (OpCounter counter = OpCounter.count()) {
      MatMul.bmm(Tensor.randn(rng, 2, 3, 4), Tensor.randn(rng, 2, 4, 5));
      assertEquals(2L * 3 * 5 * 4, counter.macs());
    }
  }

  @Test
  void scopesNestAndBackwardIsNotCounted() {
    Rng rng = new Rng(8);
    Tensor a = Tensor.randn(rng, 2, 3).requiresGrad(true);
    Tensor b = Tensor.randn(rng, 3, 4);
    try (OpCounter outer = OpCounter.count()) {
      Tensor y = MatMul.mm(a, b);
      try (OpCounter inner = OpCounter.count()) {
        MatMul.mm(a, b);
        y.sum().backward();
        assertEquals(24, inner.macs());
      }
      assertEquals(48, outer.macs());
      MatMul.mm(a, b);
      assertEquals(72, outer.macs());
    }
    // no open scope: nothing is recorded anywhere and nothing fails
    MatMul.mm(a, b);
  }

  @Test
  void outOfOrderCloseIsRejected() {
    OpCounter outer = OpCounter.count();
    OpCounter inner = OpCounter.count();
    assertThrows(IllegalStateException.class, outer::close);
    inner.close();
    outer.close();
    // both closed: a new scope starts from nothing and is the only one
    try (OpCounter fresh = OpCounter.count()) {
      MatMul.mm(Tensor.ones(1, 1), Tensor.ones(1, 1));
      assertEquals(1, fresh.macs());
      assertEquals(0, outer.macs());
    }
  }
}
