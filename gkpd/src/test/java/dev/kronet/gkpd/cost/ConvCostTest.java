package dev.kronet.gkpd.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.Kronecker;
import dev.kronet.gkpd.algebra.KroneckerLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvCostTest {

  record Case(ConvShape a, ConvShape b, int rank, ConvSetting g, long seed) {}

  private static final Gen<Case> CASES =
      Gen.<Case>of(
              (rng, size) -> {
                ConvShape a = shape(rng);
                ConvShape b = shape(rng);
                ConvShape w = a.times(b);
                int pad = rng.nextInt(0, 2);
                int h = Math.max(1, w.kh() - 2 * pad) + rng.nextInt(0, 4);
                int wd = Math.max(1, w.kw() - 2 * pad) + rng.nextInt(0, 4);
                return new Case(
                    a,
                    b,
                    rng.nextInt(1, 3),
                    ConvSetting.of(h, wd, rng.nextInt(1, 3), pad),
                    rng.nextLong());
              })
          .withEdgeCases(
              List.of(
                  new Case(
                      new ConvShape(1, 1, 1, 1),
                      new ConvShape(1, 1, 1, 1),
                      1,
                      ConvSetting.of(1, 1, 1, 0),
                      1),
                  new Case(
                      new ConvShape(2, 2, 3, 3),
                      new ConvShape(2, 2, 1, 1),
                      2,
                      ConvSetting.of(5, 5, 1, 1),
                      2),
                  new Case(
                      new ConvShape(3, 3, 1, 1),
                      new ConvShape(2, 1, 3, 3),
                      2,
                      ConvSetting.of(6, 5, 2, 1),
                      12),
                  new Case(
                      new ConvShape(2, 1, 3, 1),
                      new ConvShape(1, 2, 1, 3),
                      1,
                      ConvSetting.of(6, 5, 2, 1),
                      3),
                  new Case(
                      new ConvShape(1, 2, 2, 2),
                      new ConvShape(2, 1, 2, 2),
                      3,
                      ConvSetting.of(7, 6, 2, 0),
                      4)));

  private static ConvShape shape(Rng rng) {
    return new ConvShape(
        rng.nextInt(1, 3), rng.nextInt(1, 3), rng.nextInt(1, 3), rng.nextInt(1, 3));
  }

  @Test
  void macCountsEqualTheMultiplyAddsAlgorithmOneRuns() {
    Property.check(
        "kroneckerMacsCountAlgorithmOne",
        40,
        CASES,
        c -> {
          Rng rng = new Rng(c.seed());
          ConvShape ws = c.a().times(c.b());
          DoubleTensor x = DoubleTensor.randn(rng, ws.c(), c.g().inH(), c.g().inW());
          double[] as = DoubleTensor.randn(rng, c.rank() * (int) c.a().numel()).data();
          double[] bs = DoubleTensor.randn(rng, c.rank() * (int) c.b().numel()).data();
          DoubleTensor w =
              Kronecker.kronSum(
                  KroneckerLayout.of(c.a().toArray(), c.b().toArray()), as, bs, c.rank());
          NaiveConv dense = new NaiveConv();
          double[] yd = dense.dense(x.data(), c.g().inH(), c.g().inW(), w.data(), ws, c.g());
          NaiveConv kron = new NaiveConv();
          double[] yk =
              kron.kronecker(
                  x.data(), c.g().inH(), c.g().inW(), as, bs, c.a(), c.b(), c.rank(), c.g());
          assertEquals(yd.length, yk.length);
          for (int i = 0; i < yd.length; i++) {
            assertEquals(yd[i], yk[i], 1e-10 * (1 + Math.abs(yd[i])), "output " + i);
          }
          assertEquals(ConvCost.denseMacs(ws, c.g()), dense.macs);
          // eq. (17) charges both stages per output pixel: never more than a spatial B stage
          // first runs (a 1×1 B runs on the unpadded input, which padding can make smaller than
          // the output grid)
          if (c.b().kh() * c.b().kw() > 1) {
            assertTrue(kron.macs >= ConvCost.kroneckerMacsPaper(c.a(), c.b(), c.rank(), c.g()));
          }
          long runs = kron.macs;
          if (c.a().kh() == 1 && c.a().kw() == 1) {
            NaiveConv swapped = new NaiveConv();
            double[] ya =
                swapped.kroneckerAFirst(
                    x.data(), c.g().inH(), c.g().inW(), as, bs, c.a(), c.b(), c.rank(), c.g());
            for (int i = 0; i < yd.length; i++) {
              assertEquals(yd[i], ya[i], 1e-10 * (1 + Math.abs(yd[i])), "A first, output " + i);
            }
            runs = Math.min(runs, swapped.macs);
          }
          // the order KroneckerConvolution runs: A first only where that is strictly cheaper
          assertEquals(runs, ConvCost.kroneckerMacs(c.a(), c.b(), c.rank(), c.g()));
        });
  }

  @Test
  void paperAndExactCountsAgreeForPointwiseAFactorsAtStrideOne() {
    ConvShape a = new ConvShape(4, 2, 1, 1);
    ConvShape b = new ConvShape(2, 3, 3, 3);
    ConvSetting g = ConvSetting.same(8, 8, 3);
    assertEquals(ConvCost.kroneckerMacsPaper(a, b, 2, g), ConvCost.kroneckerMacs(a, b, 2, g));
  }

  @Test
  void resnetLayerWorkedByHand() {
    // A 64→64 3×3 conv on 32×32 ("same" padding) as A 8×8×3×3 ⊗ B 8×8×1×1, R̂ = 2.
    ConvShape a = new ConvShape(8, 8, 3, 3);
    ConvShape b = new ConvShape(8, 8, 1, 1);
    ConvSetting g = ConvSetting.same(32, 32, 3);
    ConvShape w = a.times(b);
    assertEquals(36_864, ConvCost.denseParams(w));
    assertEquals(36_864L * 1024, ConvCost.denseMacs(w, g));
    assertEquals(2 * (576 + 64), ConvCost.kroneckerParams(a, b, 2));
    // eq. 17 denominator: 2·(F2·|A| + C1·|B|) = 2·(8·576 + 8·64).
    assertEquals(10_240, ConvCost.kroneckerMacsPerPixel(a, b, 2));
    assertEquals(10_240L * 1024, ConvCost.kroneckerMacsPaper(a, b, 2, g));
    // As run: the 1×1 B stage on the unpadded 32×32 input, the A stage on the 32×32 output; here
    // that is eq. 17's count (the reference kron_conv pads first: 34×34 for the B stage).
    assertEquals(2 * (8L * 64 * 32 * 32 + 8L * 576 * 1024), ConvCost.kroneckerMacs(a, b, 2, g));
    assertEquals(36_864.0 / 1280, ConvCost.memoryReduction(a, b, 2), 1e-12);
    assertEquals(3.6, ConvCost.flopReduction(a, b, 2), 1e-12);
  }

  @Test
  void separableThreeByThreeFactorsGiveEquationEighteen() {
    for (int[] fc : new int[][] {{4, 2, 8, 16}, {1, 1, 1, 1}, {16, 4, 2, 32}}) {
      ConvShape a = new ConvShape(fc[0], fc[1], 3, 1);
      ConvShape b = new ConvShape(fc[2], fc[3], 1, 3);
      double f1 = fc[0];
      double c2 = fc[3];
      assertEquals(3 * f1 * c2 / (f1 + c2), ConvCost.flopReduction(a, b, 1), 1e-12);
    }
    // By hand for F1 = 4, C2 = 16: 3·4·16 / 20.
    assertEquals(
        9.6,
        ConvCost.flopReduction(new ConvShape(4, 2, 3, 1), new ConvShape(8, 16, 1, 3), 1),
        1e-12);
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(KronetException.class, () -> new ConvShape(0, 1, 1, 1));
    assertThrows(KronetException.class, () -> ConvSetting.of(4, 4, 0, 0));
    var e = assertThrows(KronetException.class, () -> ConvSetting.of(2, 2, 1, 0).outH(3));
    assertTrue(e.getMessage().contains("height 3"), e.getMessage());
    assertThrows(
        KronetException.class,
        () -> ConvCost.kroneckerParams(new ConvShape(1, 1, 1, 1), new ConvShape(1, 1, 1, 1), 0));
  }
}
