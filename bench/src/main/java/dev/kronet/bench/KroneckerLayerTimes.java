package dev.kronet.bench;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;
import dev.kronet.gkpd.layer.KroneckerConvolution;
import java.util.Locale;

/**
 * Forward and forward+backward times (best of 30 after 10 warm-up calls, ms per batch of 128) of
 * the Kronecker layer shapes of the pipeline's GKPD 5× ResNet-20 on 1×28×28 Fashion-MNIST (factor
 * shapes as {@code kronet compress --compression 5} chose them) next to the dense 3×3 layers they
 * replace. The whole list runs twice and only the second pass is printed: on the first, the layers
 * measured early also pay for the JIT compiling the kernels.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * dev.kronet.bench.KroneckerLayerTimes [threads]}
 */
public final class KroneckerLayerTimes {
  private static final int BATCH = 128;

  private KroneckerLayerTimes() {}

  /**
   * A layer: input channels and size, factor shapes and rank (null A: dense {@code [F, C, 3, 3]}).
   */
  private record Layer(String name, int c, int size, int[] a, int[] b, int rank, int stride) {}

  private static final Layer[] LAYERS = {
    new Layer("layer1.0.conv1", 16, 28, new int[] {16, 1, 1, 3}, new int[] {1, 16, 3, 1}, 4, 1),
    new Layer("layer1.0.conv2", 16, 28, new int[] {8, 16, 1, 1}, new int[] {2, 1, 3, 3}, 3, 1),
    new Layer("layer1.2.conv1", 16, 28, new int[] {16, 8, 1, 1}, new int[] {1, 2, 3, 3}, 3, 1),
    new Layer("layer1.2.conv2", 16, 28, new int[] {2, 1, 3, 3}, new int[] {8, 16, 1, 1}, 3, 1),
    new Layer("layer2.0.conv1", 16, 28, new int[] {32, 1, 3, 1}, new int[] {1, 16, 1, 3}, 6, 2),
    new Layer("layer2.1.conv1", 32, 14, new int[] {32, 1, 1, 3}, new int[] {1, 32, 3, 1}, 9, 1),
    new Layer("layer3.0.conv1", 32, 14, new int[] {64, 1, 1, 3}, new int[] {1, 32, 3, 1}, 12, 2),
    new Layer("layer3.1.conv1", 64, 7, new int[] {64, 1, 3, 1}, new int[] {1, 64, 1, 3}, 19, 1),
    new Layer("dense 16→16 @28", 16, 28, null, new int[] {16, 16, 3, 3}, 0, 1),
    new Layer("dense 32→32 @14", 32, 14, null, new int[] {32, 32, 3, 3}, 0, 1),
    new Layer("dense 64→64 @7", 64, 7, null, new int[] {64, 64, 3, 3}, 0, 1),
  };

  public static void main(String[] args) {
    Parallel.setThreads(args.length > 0 ? Integer.parseInt(args[0]) : 1);
    for (int pass = 0; pass < 2; pass++) {
      for (Layer l : LAYERS) {
        double[] ms = time(l, new Rng(1));
        if (pass == 1) {
          System.out.printf(
              Locale.ROOT,
              "%-16s %-32s fwd %6.2f ms  fwd+bwd %6.2f ms%n",
              l.name(),
              describe(l),
              ms[0],
              ms[1]);
        }
      }
    }
  }

  private static String describe(Layer l) {
    if (l.a() == null) {
      return "W " + java.util.Arrays.toString(l.b());
    }
    return "A "
        + java.util.Arrays.toString(l.a())
        + " B "
        + java.util.Arrays.toString(l.b())
        + " R"
        + l.rank()
        + (l.stride() > 1 ? " s" + l.stride() : "");
  }

  /** Best forward and forward+backward milliseconds. */
  private static double[] time(Layer l, Rng rng) {
    ConvSpec spec = ConvSpec.of(l.stride(), 1);
    Tensor x = Tensor.randn(rng, BATCH, l.c(), l.size(), l.size()).requiresGrad(true);
    Tensor[] weights =
        l.a() == null
            ? new Tensor[] {Tensor.randn(rng, l.b()).requiresGrad(true)}
            : new Tensor[] {
              Tensor.randn(rng, l.rank(), l.a()[0], l.a()[1], l.a()[2], l.a()[3])
                  .requiresGrad(true),
              Tensor.randn(rng, l.rank(), l.b()[0], l.b()[1], l.b()[2], l.b()[3]).requiresGrad(true)
            };
    Tensor g = Tensor.randn(rng, forward(x, weights, spec).shape());
    double forward = Double.MAX_VALUE;
    double both = Double.MAX_VALUE;
    for (int rep = 0; rep < 40; rep++) {
      long t0 = System.nanoTime();
      Tensor y = forward(x, weights, spec);
      long t1 = System.nanoTime();
      y.backward(g);
      long t2 = System.nanoTime();
      x.zeroGrad();
      for (Tensor w : weights) {
        w.zeroGrad();
      }
      if (rep >= 10) {
        forward = Math.min(forward, (t1 - t0) / 1e6);
        both = Math.min(both, (t2 - t0) / 1e6);
      }
    }
    return new double[] {forward, both};
  }

  private static Tensor forward(Tensor x, Tensor[] w, ConvSpec spec) {
    return w.length == 1
        ? Convolution.conv2d(x, w[0], null, spec)
        : KroneckerConvolution.conv2d(x, w[0], w[1], null, spec);
  }
}
