package dev.kronet.bench;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.ops.Convolution;
import dev.kronet.gkpd.layer.KroneckerConvolution;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.Supplier;

/**
 * A load-tolerant cross-check of {@link Conv2dBenchmark} and {@link KroneckerConvBenchmark}: on one
 * thread, the best <em>CPU time</em> of the calling thread over a number of calls, per ResNet-20
 * layer. On a shared machine wall-clock times include the time the thread waited for a core; its
 * CPU time does not, so these figures can be compared with {@code
 * bench/anchors/torch_conv_layers.py}'s thread-time column measured minutes apart.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 -Xms4g
 * -Xmx4g -XX:+AlwaysPreTouch -cp bench/target/benchmarks.jar dev.kronet.bench.ConvLayerCpuTimes
 * [calls] [layer,layer…]} (the launcher's fixed heap: with G1's default sizing the 3–6 MB gradients
 * are humongous allocations and the runs were noisier); prints one line per layer in ms: forward,
 * forward + backward, and for the dense layers forward + input gradient only and forward + weight
 * gradient only, which tell the three kernels of a plan apart.
 */
public final class ConvLayerCpuTimes {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String[] LAYERS = {
    "stem", "c16", "c16to32s2", "c32", "c32to64s2", "c64", "sc16to32", "sc32to64"
  };

  private ConvLayerCpuTimes() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<String> only = args.length > 1 ? List.of(args[1].split(",")) : null;
    Parallel.setThreads(1);
    System.out.println("kronet thread CPU time, 1 thread, batch 128, best of " + calls + ", ms");
    warmUp();
    for (String name : LAYERS) {
      if (only != null && !only.contains(name)) {
        continue;
      }
      ResNet20Conv conv = ResNet20Conv.named(name);
      Rng rng = new Rng(42);
      Tensor x = input(rng, conv);
      Tensor w =
          Tensor.randn(rng, conv.outChannels(), conv.inChannels(), conv.kernel(), conv.kernel())
              .requiresGrad(true);
      Tensor dy = gradOut(rng, conv);
      double fwd = best(calls, () -> forward(() -> Convolution.conv2d(x, w, null, conv.spec())));
      double both = best(calls, () -> backward(x, w, dy, conv));
      Tensor xConstant = x.detach();
      Tensor wConstant = w.detach();
      double inputGradient = best(calls, () -> backward(x, wConstant, dy, conv));
      double weightGradient = best(calls, () -> backward(xConstant, w, dy, conv));
      System.out.printf(
          "conv2d %-10s fwd %8.3f fwd+bwd %8.3f  (fwd+dx %8.3f fwd+dw %8.3f)  plan %s%n",
          name, fwd, both, inputGradient, weightGradient, conv.plan());
    }
    for (String name : LAYERS) {
      ResNet20Conv conv = ResNet20Conv.named(name);
      if (only != null && !only.contains(name)) {
        continue;
      }
      if (conv.kernel() != 3 || conv.inChannels() < KroneckerConvBenchmark.DIV) {
        continue;
      }
      Rng rng = new Rng(42);
      int r = KroneckerConvBenchmark.RANK;
      int div = KroneckerConvBenchmark.DIV;
      Tensor x = input(rng, conv);
      Tensor a =
          Tensor.randn(rng, r, conv.outChannels() / div, conv.inChannels() / div, 3, 3)
              .requiresGrad(true);
      Tensor b = Tensor.randn(rng, r, div, div, 1, 1).requiresGrad(true);
      Tensor dy = gradOut(rng, conv);
      double fwd =
          best(calls, () -> forward(() -> KroneckerConvolution.conv2d(x, a, b, null, conv.spec())));
      double both =
          best(
              calls,
              () -> {
                x.zeroGrad();
                a.zeroGrad();
                b.zeroGrad();
                KroneckerConvolution.conv2d(x, a, b, null, conv.spec()).backward(dy);
              });
      System.out.printf("kron   %-10s fwd %8.3f fwd+bwd %8.3f%n", name, fwd, both);
    }
  }

  /**
   * Runs every dense layer forward and backward for at least 10 s first: until C2 has compiled the
   * Vector API GEMM kernels they run boxed, hundreds of times slower, and on a loaded machine that
   * took longer than one layer's warm-up (the stem, measured first, was 5× too slow).
   */
  private static void warmUp() {
    long end = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < end) {
      for (String name : LAYERS) {
        ResNet20Conv conv = ResNet20Conv.named(name);
        Rng rng = new Rng(1);
        Tensor x = input(rng, conv);
        Tensor w =
            Tensor.randn(rng, conv.outChannels(), conv.inChannels(), conv.kernel(), conv.kernel())
                .requiresGrad(true);
        Convolution.conv2d(x, w, null, conv.spec()).backward(gradOut(rng, conv));
      }
    }
  }

  /** One forward and backward pass; only the operands that require a gradient get one. */
  private static void backward(Tensor x, Tensor w, Tensor dy, ResNet20Conv conv) {
    x.zeroGrad();
    w.zeroGrad();
    Convolution.conv2d(x, w, null, conv.spec()).backward(dy);
  }

  private static Tensor input(Rng rng, ResNet20Conv conv) {
    return Tensor.randn(rng, Conv2dBenchmark.BATCH, conv.inChannels(), conv.size(), conv.size())
        .requiresGrad(true);
  }

  private static Tensor gradOut(Rng rng, ResNet20Conv conv) {
    int out = conv.spec().outHeight(conv.size(), conv.kernel());
    return Tensor.randn(rng, Conv2dBenchmark.BATCH, conv.outChannels(), out, out);
  }

  private static void forward(Supplier<Tensor> op) {
    try (var off = Autograd.noGrad()) {
      op.get();
    }
  }

  /** Best thread CPU time of {@code calls} runs after warm-up calls that reach C2, in ms. */
  private static double best(int calls, Runnable body) {
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) {
      body.run();
    }
    double best = Double.MAX_VALUE;
    for (int i = 0; i < calls; i++) {
      long start = THREADS.getCurrentThreadCpuTime();
      body.run();
      best = Math.min(best, (THREADS.getCurrentThreadCpuTime() - start) / 1e6);
    }
    return best;
  }
}
