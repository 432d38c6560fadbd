package dev.kronet.datasets.loader;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.ImageShape;
import dev.kronet.datasets.transform.SampleSeeds;
import dev.kronet.datasets.transform.Transform;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import java.util.List;

/**
 * Turns an {@link ImageDataset} into mini-batches: pixels scaled to [0, 1], then the transforms in
 * order, written straight into the batch's [N, C, H, W] float array.
 *
 * <p>Determinism: epoch e's order is a permutation drawn from (seed, e), and sample i's transforms
 * draw from an {@link Rng} seeded by (seed, e, i) (see {@link SampleSeeds}). So {@link #batch} and
 * the prefetching {@link #epoch} stream give identical batches, and the same seed gives the same
 * batches on any machine.
 *
 * <p>A loader holds no threads; each {@link #epoch} call starts one producer thread that lives
 * until the epoch is consumed or the stream is closed.
 */
public final class DataLoader {
  /** Salt that keeps the shuffle stream apart from the per-sample transform streams. */
  private static final long SHUFFLE_SALT = 0x5EEDF00DC0FFEEL;

  private final ImageDataset data;
  private final List<Transform> transforms;
  private final LoaderOptions options;

  /** The last epoch's order, so that {@link #batch} over one epoch shuffles once, not per call. */
  private volatile EpochOrder cachedOrder;

  private record EpochOrder(int epoch, int[] order) {}

  public DataLoader(ImageDataset data, List<Transform> transforms, LoaderOptions options) {
    this.data = data;
    this.transforms = List.copyOf(transforms);
    this.options = options;
    if (data.size() == 0) {
      throw new KronetException("DataLoader: dataset " + data.name() + " is empty");
    }
    if (numBatches() == 0) {
      throw new KronetException(
          "DataLoader: dropLast with batchSize "
              + options.batchSize()
              + " over "
              + data.size()
              + " samples gives no batch, expected batchSize ≤ "
              + data.size());
    }
  }

  public ImageDataset dataset() {
    return data;
  }

  public LoaderOptions options() {
    return options;
  }

  /** Batches per epoch. */
  public int numBatches() {
    int n = data.size();
    int b = options.batchSize();
    return options.dropLast() ? n / b : (n + b - 1) / b;
  }

  /** The sample order of {@code epoch}: a seeded permutation, or 0…N−1 without shuffling. */
  public int[] order(int epoch) {
    return orderOf(epoch).clone();
  }

  /** The shared (never modified) order of {@code epoch}. */
  int[] orderOf(int epoch) {
    EpochOrder cached = cachedOrder;
    if (cached != null && cached.epoch() == epoch) {
      return cached.order();
    }
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (options.shuffle()) {
      new Rng(SampleSeeds.of(options.seed() ^ SHUFFLE_SALT, epoch, 0)).shuffle(order);
    }
    cachedOrder = new EpochOrder(epoch, order);
    return order;
  }

  /** Batch {@code index} of {@code epoch}, computed on the calling thread. */
  public Batch batch(int epoch, int index) {
    return build(orderOf(epoch), epoch, index);
  }

  /**
   * All batches of {@code epoch}, prepared by a background thread up to {@link
   * LoaderOptions#prefetch()} ahead. Close it (try-with-resources) to stop the thread early.
   */
  public BatchStream epoch(int epoch) {
    return new BatchStream(this, epoch);
  }

  /** Builds batch {@code index} from an epoch's sample order. */
  Batch build(int[] order, int epoch, int index) {
    if (index < 0 || index >= numBatches()) {
      throw new KronetException(
          "DataLoader: batch index " + index + ", expected 0…" + (numBatches() - 1));
    }
    int start = index * options.batchSize();
    int n = Math.min(options.batchSize(), data.size() - start);
    ImageShape shape = data.shape();
    int size = shape.size();
    float[] out = new float[n * size];
    int[] labels = new int[n];
    for (int j = 0; j < n; j++) {
      int sample = order[start + j];
      int offset = j * size;
      data.copyImageTo(sample, out, offset);
      if (!transforms.isEmpty()) {
        Rng rng = SampleSeeds.rng(options.seed(), epoch, sample);
        for (Transform t : transforms) {
          t.apply(out, offset, shape, rng);
        }
      }
      labels[j] = data.label(sample);
    }
    return new Batch(Tensor.wrap(out, n, shape.channels(), shape.height(), shape.width()), labels);
  }

  /** A failure of the producer thread, rethrown on the consumer's thread with context. */
  static DatasetException workerFailure(int epoch, int batch, Throwable cause) {
    return new DatasetException(
        "data loader thread failed while preparing batch "
            + batch
            + " of epoch "
            + epoch
            + ": "
            + cause,
        cause);
  }
}
