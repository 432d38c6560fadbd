package dev.kronet.bench;

import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.SyntheticImages;
import dev.kronet.datasets.io.FashionMnist;
import dev.kronet.datasets.io.IdxDirectory;
import dev.kronet.datasets.io.Split;
import dev.kronet.datasets.loader.Batch;
import dev.kronet.datasets.loader.BatchStream;
import dev.kronet.datasets.loader.DataLoader;
import dev.kronet.datasets.loader.LoaderOptions;
import dev.kronet.datasets.transform.HorizontalFlip;
import dev.kronet.datasets.transform.RandomCrop;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Two questions about the data path (targets from the datasets issue): how long does decoding the
 * Fashion-MNIST training split take (target < 1 s), and how many images per second does one thread
 * turn into augmented (random crop pad 2 + horizontal flip) float batches (target ≥ 20 000 img/s)?
 *
 * <p>The loader benchmarks read Fashion-MNIST when installed and otherwise a synthetic set of the
 * same shape (60 000 × 1 × 28 × 28), so they run anywhere; the decode benchmark needs the files.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DatasetsBenchmark {
  private static final int BATCH = 128;

  /** 60 000 / 128 rounded down: every measured epoch is full batches only (dropLast). */
  private static final int BATCHES_PER_EPOCH = 60000 / BATCH;

  private DataLoader loader;
  private int nextBatch;
  private int epoch;

  @Setup
  public void setUp() {
    ImageDataset train =
        IdxDirectory.isComplete(FashionMnist.DEFAULT_DIR) || System.getenv("KRONET_DATA") != null
            ? FashionMnist.load(null, Split.TRAIN)
            : SyntheticImages.generate(new SyntheticImages.Spec(60000, 1, 28, 28, 10, 1, 0.1));
    loader =
        new DataLoader(
            train,
            List.of(new RandomCrop(2), new HorizontalFlip(0.5)),
            LoaderOptions.training(BATCH, 7).withDropLast(true));
  }

  /** Reads and validates train-images/train-labels (gzip) into a compact dataset. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 5)
  public ImageDataset decodeFashionMnistTrain() {
    return FashionMnist.load(null, Split.TRAIN);
  }

  /** One augmented batch built on the benchmark thread; scores are images per second. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 3)
  public Batch cropFlipBatchOneThread() {
    if (nextBatch == BATCHES_PER_EPOCH) {
      nextBatch = 0;
      epoch++;
    }
    return loader.batch(epoch, nextBatch++);
  }

  /**
   * A whole epoch through the prefetching stream (one producer thread, this thread consuming);
   * scores are images per second.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCHES_PER_EPOCH * BATCH)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public void cropFlipEpochPrefetched(Blackhole bh) {
    try (BatchStream s = loader.epoch(epoch++)) {
      for (Batch b : s) {
        bh.consume(b);
      }
    }
  }
}
