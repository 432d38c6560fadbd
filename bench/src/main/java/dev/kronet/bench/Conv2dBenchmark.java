package dev.kronet.bench;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does {@link Convolution#conv2d} take per ResNet-20 layer at batch 128 on {@code 1×28×28}
 * inputs (see {@link ResNet20Conv} for the layers), forward alone and forward plus backward
 * (gradients of the input and the weight; no bias, as in the network), on one and two threads? The
 * PyTorch figures for the same shapes come from {@code bench/anchors/torch_conv_layers.py}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar Conv2dBenchmark -p threads=1 -p layer=c16}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// A fixed, pre-touched heap: the first touch of a fresh heap page faults, and on this VM that cost
// more than the kernels themselves (docs/performance-log.md); PyTorch's anchors raise malloc's
// thresholds for the same reason.
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules",
      "jdk.incubator.vector",
      "-XX:ObjectAlignmentInBytes=64",
      "-Xms4g",
      "-Xmx4g",
      "-XX:+AlwaysPreTouch"
    })
public class Conv2dBenchmark {
  static final int BATCH = 128;

  @Param({"stem", "c16", "c16to32s2", "c32", "c32to64s2", "c64", "sc16to32", "sc32to64"})
  public String layer;

  @Param({"1", "2"})
  public int threads;

  private Tensor x;
  private Tensor weight;
  private Tensor gradOut;
  private ConvSpec spec;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    ResNet20Conv conv = ResNet20Conv.named(layer);
    spec = conv.spec();
    Rng rng = new Rng(42);
    x = Tensor.randn(rng, BATCH, conv.inChannels(), conv.size(), conv.size()).requiresGrad(true);
    weight =
        Tensor.randn(rng, conv.outChannels(), conv.inChannels(), conv.kernel(), conv.kernel())
            .requiresGrad(true);
    int out = spec.outHeight(conv.size(), conv.kernel());
    gradOut = Tensor.randn(rng, BATCH, conv.outChannels(), out, out);
  }

  @Benchmark
  public Tensor forward() {
    try (var scope = Autograd.noGrad()) {
      return Convolution.conv2d(x, weight, null, spec);
    }
  }

  @Benchmark
  public Tensor forwardBackward() {
    x.zeroGrad();
    weight.zeroGrad();
    Convolution.conv2d(x, weight, null, spec).backward(gradOut);
    return weight.grad();
  }
}
