package dev.kronet.bench;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.kernel.Sgemm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * How many GFLOP/s does {@link Sgemm#sgemm} reach on square products and on the GEMMs of a
 * ResNet-20's convolutions on 28×28 inputs at batch 128 (im2col form, M×K×N = out channels × in
 * channels·9 × 128·H·W, e.g. 16×144×100352), on one and two threads? {@code 64x6272x576} is the
 * weight gradient of the last stage (dW = dY·colsᵀ: run it with {@code -p transB=true} for the
 * layout training uses). The {@code gflop} secondary score is the rate in GFLOP/s (2·M·N·K per
 * call); the primary score is calls per second.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar
 * SgemmBenchmark -p size=1024 -p threads=1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64"})
public class SgemmBenchmark {
  /** A square side ("1024") or M×K×N ("64x576x6272"). */
  @Param({
    "256",
    "512",
    "1024",
    "2048",
    "16x144x100352",
    "32x288x25088",
    "64x576x6272",
    "64x6272x576"
  })
  public String size;

  @Param({"1", "2"})
  public int threads;

  /** Whether B is stored transposed (n×k), as the weight-gradient GEMM reads im2col columns. */
  @Param({"false"})
  public boolean transB;

  private int m;
  private int n;
  private int k;
  private float[] a;
  private float[] b;
  private float[] c;

  /** Floating-point work done, in GFLOP; JMH reports it per second, i.e. as GFLOP/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    public double gflop;

    @Setup(Level.Iteration)
    public void reset() {
      gflop = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    String[] dims = size.split("x");
    if (dims.length == 1) {
      m = k = n = Integer.parseInt(dims[0]);
    } else {
      m = Integer.parseInt(dims[0]);
      k = Integer.parseInt(dims[1]);
      n = Integer.parseInt(dims[2]);
    }
    Parallel.setThreads(threads);
    Rng rng = new Rng(42);
    a = random(rng, m * k);
    b = random(rng, k * n);
    c = new float[m * n];
  }

  private static float[] random(Rng rng, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = rng.nextFloat() - 0.5f;
    }
    return v;
  }

  @Benchmark
  public float[] sgemm(Flops flops) {
    Sgemm.sgemm(false, transB, m, n, k, a, 0, k, b, 0, transB ? k : n, c, 0, n, false);
    flops.gflop += 2e-9 * m * n * k;
    return c;
  }
}
