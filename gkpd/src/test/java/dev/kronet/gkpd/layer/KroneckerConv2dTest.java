package dev.kronet.gkpd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.cost.ConvCost;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.search.Budget;
import dev.kronet.gkpd.search.Candidate;
import dev.kronet.gkpd.search.FactorPair;
import dev.kronet.gkpd.search.LayerSearch;
import dev.kronet.gkpd.search.LayerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KroneckerConv2dTest {

  private static Conv2d conv(ConvCase c, Rng rng) {
    return new Conv2d(c.inChannels(), c.outChannels(), c.kh(), c.kw(), c.spec(), c.bias(), rng);
  }

  private static int fullRank(ConvCase c) {
    return (int) Math.min(ConvShape.of(c.a()).numel(), ConvShape.of(c.b()).numel());
  }

  @Test
  void fromConvAtFullKroneckerRankReproducesTheConvolution() {
    Property.check(
        "fromConvFullRankReproducesConv",
        30,
        ConvCase.gen(3),
        c -> {
          Rng rng = new Rng(c.seed());
          Conv2d dense = conv(c, rng);
          KroneckerConv2d kron = KroneckerConv2d.fromConv(dense, c.a(), c.b(), fullRank(c));
          Tensor x = c.x(rng);
          double tol =
              Tolerance.kronecker(c.fanIn(), kron.rank(), x, kron.a(), kron.b(), dense.weight());
          double diff = Tolerance.maxDiff(kron.forward(x), dense.forward(x));
          assertTrue(diff <= tol, "max |kron − conv| = " + diff + " > " + tol);
        });
  }

  @Test
  void fromConvAtRankRHasTheReportedRelativeError() {
    Property.check(
        "fromConvErrorIsDecompositionError",
        30,
        ConvCase.gen(3),
        c -> {
          Rng rng = new Rng(c.seed());
          Conv2d dense = conv(c, rng);
          KroneckerDecomposition d = KroneckerConv2d.decompose(dense, c.a(), c.b());
          int rank = 1 + rng.nextInt(d.kroneckerRank());
          KroneckerConv2d kron = KroneckerConv2d.fromConv(dense, c.a(), c.b(), rank);
          DoubleTensor w = Weights.toDouble(dense.weight());
          double measured = kron.denseWeight().distance(w) / w.frobeniusNorm();
          // float32 factors move Σ A_r ⊗ B_r by about u·R·||W|| (relative), far below 1e-5
          assertEquals(d.relativeError(rank), measured, 1e-5, "rank " + rank);
        });
  }

  @Test
  void toDenseIsAnEquivalentConvolutionAndRoundTrips() {
    Property.check(
        "toDenseRoundTrip",
        30,
        ConvCase.gen(3),
        c -> {
          Rng rng = new Rng(c.seed());
          KroneckerConv2d kron =
              new KroneckerConv2d(c.factorA(rng), c.factorB(rng), c.biasOrNull(rng), c.spec());
          Conv2d dense = kron.toDense();
          assertEquals(c.spec(), dense.spec());
          assertArrayEquals(
              new int[] {c.outChannels(), c.inChannels(), c.kh(), c.kw()}, dense.weight().shape());
          if (c.bias()) {
            assertArrayEquals(kron.bias().toArray(), dense.bias().toArray());
          } else {
            assertEquals(null, dense.bias());
          }
          Tensor x = c.x(rng);
          double tol =
              Tolerance.kronecker(c.fanIn(), c.rank(), x, kron.a(), kron.b(), dense.weight());
          assertTrue(Tolerance.maxDiff(kron.forward(x), dense.forward(x)) <= tol);
          // and back: the dense layer has Kronecker rank ≤ R, so R terms rebuild it
          KroneckerConv2d again =
              KroneckerConv2d.fromConv(dense, c.a(), c.b(), Math.min(c.rank(), fullRank(c)));
          DoubleTensor w = Weights.toDouble(dense.weight());
          assertTrue(
              again.denseWeight().distance(w) <= 1e-5 * Math.max(1, w.frobeniusNorm()),
              "round trip moved W by " + again.denseWeight().distance(w));
        });
  }

  @Test
  void fromCandidateUsesItsShapesAndRank() {
    Rng rng = new Rng(11);
    Conv2d dense = new Conv2d(4, 6, 3, 3, ConvSpec.of(1, 1), true, rng);
    FactorPair pair = new FactorPair(new ConvShape(2, 2, 3, 1), new ConvShape(3, 2, 1, 3));
    KroneckerConv2d kron =
        KroneckerConv2d.fromConv(dense, new Candidate(pair, 2, 0, 0, Double.NaN));
    assertArrayEquals(new int[] {2, 2, 2, 3, 1}, kron.a().shape());
    assertArrayEquals(new int[] {2, 3, 2, 1, 3}, kron.b().shape());
    assertEquals(2, kron.rank());
  }

  @Test
  void stateDictNamesAreABAndBias() {
    Rng rng = new Rng(12);
    Conv2d dense = new Conv2d(4, 4, 3, 3, ConvSpec.of(1, 1), true, rng);
    KroneckerConv2d kron =
        KroneckerConv2d.fromConv(dense, new int[] {2, 2, 3, 3}, new int[] {2, 2, 1, 1}, 2);
    Map<String, StoredTensor> state = kron.stateDict();
    assertEquals(List.of("A", "B", "bias"), List.copyOf(state.keySet()));
    assertEquals(List.of("A", "B"), List.copyOf(kron.namedParameters().keySet()).subList(0, 2));
    KroneckerConv2d fresh =
        KroneckerConv2d.random(
            4, 4, new int[] {2, 2, 3, 3}, new int[] {2, 2, 1, 1}, 2, ConvSpec.of(1, 1), true, rng);
    fresh.loadStateDict(state, true);
    assertArrayEquals(kron.a().toArray(), fresh.a().toArray());
    assertArrayEquals(kron.b().toArray(), fresh.b().toArray());
    assertArrayEquals(kron.bias().toArray(), fresh.bias().toArray());
    KroneckerConv2d noBias =
        KroneckerConv2d.random(
            4, 4, new int[] {2, 2, 3, 3}, new int[] {2, 2, 1, 1}, 1, ConvSpec.DEFAULT, false, rng);
    assertEquals(List.of("A", "B"), List.copyOf(noBias.stateDict().keySet()));
    assertEquals(1L * (2 * 2 * 9 + 2 * 2), noBias.numParameters());
  }

  /**
   * The implied W of {@link KroneckerConv2d#random} has PyTorch's default variance 1/(3·fan_in).
   * Each draw's mean square m_d is an average of entries W² with E[W²] = R·σ⁴ = 1/(3·fan_in); the
   * 30 draws are independent, so by the central limit theorem their mean lies within 5 standard
   * errors s/√30 of the target except with probability below 10⁻⁶ (the seeds are fixed, so the test
   * is deterministic; the bound says it is not tuned to them). The mean of W must likewise be 0
   * within 5 standard errors.
   */
  @Test
  void randomInitHasTheDefaultConvVariance() {
    int[] a = {4, 4, 3, 3};
    int[] b = {4, 2, 1, 1};
    int rank = 3;
    int in = 8;
    int out = 16;
    double target = 1.0 / (3.0 * in * 9);
    int draws = 30;
    double[] meanSquares = new double[draws];
    double[] means = new double[draws];
    for (int d = 0; d < draws; d++) {
      KroneckerConv2d k =
          KroneckerConv2d.random(in, out, a, b, rank, ConvSpec.of(1, 1), true, new Rng(100 + d));
      double[] w = k.denseWeight().data();
      for (double v : w) {
        meanSquares[d] += v * v / w.length;
        means[d] += v / w.length;
      }
      double bound = 1 / Math.sqrt(in * 9.0);
      for (float v : k.bias().toArray()) {
        assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
      }
    }
    assertWithinFiveStandardErrors("E[W²]", meanSquares, target);
    assertWithinFiveStandardErrors("E[W]", means, 0);
  }

  private static void assertWithinFiveStandardErrors(String what, double[] samples, double target) {
    double mean = 0;
    for (double s : samples) {
      mean += s / samples.length;
    }
    double var = 0;
    for (double s : samples) {
      var += (s - mean) * (s - mean) / (samples.length - 1);
    }
    double se = Math.sqrt(var / samples.length);
    assertTrue(
        Math.abs(mean - target) <= 5 * se,
        what + " = " + mean + ", target " + target + ", standard error " + se);
  }

  @Test
  void groupedConvolutionsAndBadShapesAreRejected() {
    Rng rng = new Rng(13);
    Conv2d grouped = new Conv2d(4, 4, 3, 3, ConvSpec.of(1, 1, 1, 2), false, rng);
    KronetException e =
        assertThrows(
            KronetException.class,
            () ->
                KroneckerConv2d.fromConv(
                    grouped, new int[] {2, 1, 3, 3}, new int[] {2, 2, 1, 1}, 1));
    assertTrue(e.getMessage().contains("groups=2"), e.getMessage());
    assertThrows(
        KronetException.class,
        () ->
            new KroneckerConv2d(
                Tensor.zeros(1, 2, 2, 1, 1),
                Tensor.zeros(1, 2, 2, 3, 3),
                null,
                ConvSpec.of(1, 1, 1, 2)));
    Conv2d dense = new Conv2d(4, 4, 3, 3, ConvSpec.of(1, 1), false, rng);
    assertThrows(
        KronetException.class,
        () -> KroneckerConv2d.fromConv(dense, new int[] {2, 2, 3, 3}, new int[] {2, 2, 1, 1}, 5));
    assertThrows(
        KronetException.class,
        () -> KroneckerConv2d.fromConv(dense, new int[] {3, 2, 3, 3}, new int[] {2, 2, 1, 1}, 1));
    assertThrows(
        KronetException.class,
        () ->
            KroneckerConv2d.random(
                4,
                4,
                new int[] {2, 2, 3, 3},
                new int[] {2, 1, 1, 1},
                1,
                ConvSpec.DEFAULT,
                false,
                rng));
  }

  @Test
  void layerMacsMatchTheFunctionalCount() {
    KroneckerConv2d k =
        KroneckerConv2d.random(
            6,
            4,
            new int[] {2, 3, 3, 1},
            new int[] {2, 2, 1, 3},
            2,
            ConvSpec.of(2, 1),
            false,
            new Rng(14));
    assertEquals(
        KroneckerConvolution.macs(3, 9, 8, k.aShape(), k.bShape(), 2, k.spec()), k.macs(3, 9, 8));
    assertTrue(k.toString().contains("R=2"), k.toString());
  }

  /**
   * A convolution with different strides per axis, uneven padding and a dilation is searched,
   * costed and run with its own spec: the compressed model no longer leaves such layers dense.
   */
  @Test
  void aNonSquareConvolutionIsSearchedCostedAndRunWithItsOwnSpec() {
    ConvSpec spec = new ConvSpec(2, 1, 1, 0, 2, 1, 1, 2, 1);
    Conv2d conv = new Conv2d(8, 8, 3, 3, spec, false, new Rng(1));
    ConvSetting setting = new ConvSetting(9, 11, spec);
    LayerSpec layer =
        LayerSpec.ofFloats("odd", conv.weight().toArray(), conv.weight().shape(), setting);
    Candidate c = new LayerSearch(layer).best(Budget.compression(conv.weight().numel(), 2));
    KroneckerConv2d k = KroneckerConv2d.fromConv(conv, c);

    Tensor x = Tensor.randn(new Rng(2), 2, 8, 9, 11);
    Tensor rebuilt = Tensor.of(k.denseWeight().toFloatArray(), 8, 8, 3, 3);
    float[] want = Convolution.conv2d(x, rebuilt, null, spec).toArray();
    float[] got = k.forward(x).toArray();
    assertEquals(2 * 8 * 4 * 10, got.length, "out 4×10: (9 + 1 − 3) / 2 + 1, 11 + 3 − 4");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])), "output " + i);
    }
    assertEquals(
        8L * 8 * 9 * 4 * 10, ConvCost.denseMacs(ConvShape.of(conv.weight().shape()), setting));
    assertEquals(
        KroneckerConvolution.macs(1, 9, 11, c.a().toArray(), c.b().toArray(), c.rank(), spec),
        c.macs(),
        "the search costs what the layer runs");
  }
}
