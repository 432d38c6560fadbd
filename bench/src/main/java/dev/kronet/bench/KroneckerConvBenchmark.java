package dev.kronet.bench;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.gkpd.layer.KroneckerConvolution;
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
 * How long does {@link KroneckerConvolution#conv2d} take for the 3×3 layers of a ResNet-20 (all but
 * the stem) in the anchor's Kronecker configuration ({@code bench/anchors/torch_models.py}: {@code
 * A [R̂, F/4, C/4, 3, 3] ⊗ B [R̂, 4, 4, 1, 1]}, R̂ = 3), batch 128 on {@code 1×28×28} inputs,
 * forward alone and forward plus backward (gradients of the input and both factors)? The PyTorch
 * figures come from {@code bench/anchors/torch_conv_layers.py}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar KroneckerConvBenchmark -p threads=1}.
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
public class KroneckerConvBenchmark {
  static final int RANK = 3;
  static final int DIV = 4;

  @Param({"c16", "c16to32s2", "c32", "c32to64s2", "c64"})
  public String layer;

  @Param({"1", "2"})
  public int threads;

  private Tensor x;
  private Tensor a;
  private Tensor b;
  private Tensor gradOut;
  private ConvSpec spec;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    ResNet20Conv conv = ResNet20Conv.named(layer);
    spec = conv.spec();
    Rng rng = new Rng(42);
    int c = conv.inChannels();
    int f = conv.outChannels();
    x = Tensor.randn(rng, Conv2dBenchmark.BATCH, c, conv.size(), conv.size()).requiresGrad(true);
    a = Tensor.randn(rng, RANK, f / DIV, c / DIV, conv.kernel(), conv.kernel()).requiresGrad(true);
    b = Tensor.randn(rng, RANK, DIV, DIV, 1, 1).requiresGrad(true);
    int out = spec.outHeight(conv.size(), conv.kernel());
    gradOut = Tensor.randn(rng, Conv2dBenchmark.BATCH, f, out, out);
  }

  @Benchmark
  public Tensor forward() {
    try (var scope = Autograd.noGrad()) {
      return KroneckerConvolution.conv2d(x, a, b, null, spec);
    }
  }

  @Benchmark
  public Tensor forwardBackward() {
    x.zeroGrad();
    a.zeroGrad();
    b.zeroGrad();
    KroneckerConvolution.conv2d(x, a, b, null, spec).backward(gradOut);
    return a.grad();
  }
}
