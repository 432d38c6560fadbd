package dev.kronet.gkpd.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;
import dev.kronet.engine.ops.OpCounter;
import dev.kronet.engine.testing.Property;
import dev.kronet.gkpd.baseline.TruncatedSvd;
import dev.kronet.gkpd.baseline.Tucker2;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The truncated-SVD and Tucker-2 layers compute the convolution with their reconstructed weight,
 * and at full rank the original convolution. Each output is a chain of at most three float sums of
 * at most K = C·kh·kw products, so {@link Tolerance#dense} with the largest weight of the chain's
 * product bounds the difference.
 */
class BaselineLayersTest {

  private static Conv2d conv(ConvCase c, Rng rng) {
    return new Conv2d(c.inChannels(), c.outChannels(), c.kh(), c.kw(), c.spec(), c.bias(), rng);
  }

  private static double chainScale(Conv2d... convs) {
    double s = 1;
    for (Conv2d c : convs) {
      s *= Tolerance.maxAbs(c.weight()) * c.weight().size(1) * c.kernelHeight() * c.kernelWidth();
    }
    return s;
  }

  @Test
  void svdConvComputesItsReconstructionAndIsExactAtFullRank() {
    Property.check(
        "svdConvEqualsReconstruction",
        30,
        ConvCase.gen(3),
        c -> {
          Rng rng = new Rng(c.seed());
          Conv2d dense = conv(c, rng);
          TruncatedSvd svd = TruncatedSvd.decompose(Weights.toDouble(dense.weight()));
          int rank = 1 + rng.nextInt(svd.maxRank());
          SvdConv layer = SvdConv.fromConv(dense, rank);
          ConvShape shape = ConvShape.of(dense.weight().shape());
          assertEquals(SvdConv.params(shape, rank, c.bias()), layer.numParameters());
          Tensor x = c.x(rng);
          Tensor rebuilt = Weights.toTensor(svd.reconstruct(rank));
          Tensor expected = Convolution.conv2d(x, rebuilt, dense.bias(), c.spec());
          double tol =
              4.0
                  * (c.fanIn() + rank)
                  * Tolerance.UNIT_ROUNDOFF
                  * Tolerance.maxAbs(x)
                  * (chainScale(layer.reduce(), layer.expand())
                      + c.fanIn() * Tolerance.maxAbs(rebuilt));
          assertTrue(Tolerance.maxDiff(layer.forward(x), expected) <= tol);
          SvdConv full = SvdConv.fromConv(dense, svd.maxRank());
          double tolFull =
              4.0
                  * (c.fanIn() + svd.maxRank())
                  * Tolerance.UNIT_ROUNDOFF
                  * Tolerance.maxAbs(x)
                  * (chainScale(full.reduce(), full.expand())
                      + c.fanIn() * Tolerance.maxAbs(dense.weight()));
          assertTrue(Tolerance.maxDiff(full.forward(x), dense.forward(x)) <= tolFull);
        });
  }

  @Test
  void tucker2ConvComputesItsReconstructionAndIsExactAtFullRanks() {
    Property.check(
        "tucker2ConvEqualsReconstruction",
        30,
        ConvCase.gen(3),
        c -> {
          Rng rng = new Rng(c.seed());
          Conv2d dense = conv(c, rng);
          Tucker2 tucker = Tucker2.decompose(Weights.toDouble(dense.weight()));
          int rc = 1 + rng.nextInt(tucker.maxRankC());
          int rf = 1 + rng.nextInt(tucker.maxRankF());
          Tucker2Conv layer = Tucker2Conv.fromConv(dense, rc, rf);
          ConvShape shape = ConvShape.of(dense.weight().shape());
          assertEquals(Tucker2Conv.params(shape, rc, rf, c.bias()), layer.numParameters());
          Tensor x = c.x(rng);
          Tensor rebuilt = Weights.toTensor(tucker.reconstruct(rc, rf));
          Tensor expected = Convolution.conv2d(x, rebuilt, dense.bias(), c.spec());
          int terms = c.fanIn() + c.inChannels() + c.outChannels();
          double tol =
              4.0
                  * terms
                  * Tolerance.UNIT_ROUNDOFF
                  * Tolerance.maxAbs(x)
                  * (chainScale(layer.first(), layer.core(), layer.last())
                      + c.fanIn() * Tolerance.maxAbs(rebuilt));
          assertTrue(Tolerance.maxDiff(layer.forward(x), expected) <= tol);
          Tucker2Conv full = Tucker2Conv.fromConv(dense, tucker.maxRankC(), tucker.maxRankF());
          double tolFull =
              4.0
                  * terms
                  * Tolerance.UNIT_ROUNDOFF
                  * Tolerance.maxAbs(x)
                  * (chainScale(full.first(), full.core(), full.last())
                      + c.fanIn() * Tolerance.maxAbs(dense.weight()));
          assertTrue(Tolerance.maxDiff(full.forward(x), dense.forward(x)) <= tolFull);
        });
  }

  /**
   * Counted forward MACs against the baseline cost models: SvdConv runs exactly what {@link
   * TruncatedSvd#macs} charges, Tucker2Conv what {@link Tucker2#macs} charges (its first 1×1
   * projection on the unpadded input; the geometries include padding 0, 1 and 2).
   */
  @Test
  void countedMacsMatchTheBaselineCostModels() {
    Rng rng = new Rng(32);
    for (int[] g : new int[][] {{7, 6, 1, 1}, {8, 9, 2, 1}, {5, 5, 1, 0}, {9, 7, 2, 2}}) {
      int h = g[0];
      int w = g[1];
      int stride = g[2];
      int pad = g[3];
      Conv2d dense = new Conv2d(4, 6, 3, 3, ConvSpec.of(stride, pad), true, rng);
      ConvShape shape = ConvShape.of(dense.weight().shape());
      ConvSetting geometry = ConvSetting.of(h, w, stride, pad);
      Tensor x = Tensor.randn(rng, 2, 4, h, w);
      try (OpCounter counter = OpCounter.count()) {
        SvdConv.fromConv(dense, 3).forward(x);
        assertEquals(2 * TruncatedSvd.macs(shape, 3, geometry), counter.macs());
      }
      try (OpCounter counter = OpCounter.count()) {
        Tucker2Conv.fromConv(dense, 2, 3).forward(x);
        assertEquals(2 * Tucker2.macs(shape, 2, 3, geometry), counter.macs());
      }
    }
  }

  @Test
  void childNamesAndGroupedRejection() {
    Rng rng = new Rng(31);
    Conv2d dense = new Conv2d(4, 6, 3, 3, ConvSpec.of(1, 1), true, rng);
    assertEquals(
        List.of("reduce.weight", "expand.weight", "expand.bias"),
        List.copyOf(SvdConv.fromConv(dense, 2).stateDict().keySet()));
    assertEquals(
        List.of("first.weight", "core.weight", "last.weight", "last.bias"),
        List.copyOf(Tucker2Conv.fromConv(dense, 2, 3).stateDict().keySet()));
    Conv2d grouped = new Conv2d(4, 6, 3, 3, ConvSpec.of(1, 1, 1, 2), true, rng);
    assertThrows(KronetException.class, () -> SvdConv.fromConv(grouped, 1));
    assertThrows(KronetException.class, () -> Tucker2Conv.fromConv(grouped, 1, 1));
  }
}
