package dev.kronet.training.cli;

import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.SyntheticImages;
import dev.kronet.datasets.io.FashionMnist;
import dev.kronet.datasets.io.Split;
import dev.kronet.datasets.transform.HorizontalFlip;
import dev.kronet.datasets.transform.Normalize;
import dev.kronet.datasets.transform.RandomCrop;
import dev.kronet.datasets.transform.Transform;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the images come from: Fashion-MNIST (default) or a synthetic set, optionally subsampled.
 */
final class DataOptions {
  @Option(
      names = "--data",
      description =
          "Fashion-MNIST IDX directory (default: KRONET_DATA, then"
              + " /usr/share/datasets/fashion-mnist).")
  Path dataDir;

  @Option(
      names = "--synthetic",
      description = "Use a synthetic 1×28×28, 10-class set instead of Fashion-MNIST (for trials).")
  boolean synthetic;

  @Option(
      names = "--train-limit",
      description = "Train on a seeded random subset of this many images (default: all).")
  int trainLimit;

  @Option(
      names = "--test-limit",
      description = "Evaluate on a seeded random subset of this many test images (default: all).")
  int testLimit;

  /** The training and test splits (both 1×28×28, 10 classes), subsampled as asked. */
  Data load(long seed) {
    ImageDataset train;
    ImageDataset test;
    if (synthetic) {
      train = SyntheticImages.generate(new SyntheticImages.Spec(6000, 1, 28, 28, 10, 1, 0.3));
      test = SyntheticImages.generate(new SyntheticImages.Spec(1000, 1, 28, 28, 10, 2, 0.3));
    } else {
      train = FashionMnist.load(dataDir, Split.TRAIN);
      test = FashionMnist.load(dataDir, Split.TEST);
    }
    // Statistics of the whole training split, so that every subset (and eval) agrees.
    Normalize normalize = Normalize.fit(train);
    train = limit(train, trainLimit, seed, "--train-limit");
    test = limit(test, testLimit, seed + 1, "--test-limit");
    return new Data(
        synthetic ? "synthetic" : "fashion-mnist",
        train,
        test,
        List.of(new RandomCrop(2), new HorizontalFlip(0.5), normalize),
        List.of(normalize));
  }

  private static ImageDataset limit(ImageDataset ds, int limit, long seed, String option) {
    if (limit < 0) {
      throw new KronetException(option + " must be ≥ 0, got " + limit);
    }
    if (limit == 0 || limit >= ds.size()) {
      return ds;
    }
    int[] order = new int[ds.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    new Rng(seed).shuffle(order);
    return ds.subset(java.util.Arrays.copyOf(order, limit));
  }

  /** Loaded splits with their training and evaluation transforms. */
  record Data(
      String name,
      ImageDataset train,
      ImageDataset test,
      List<Transform> trainTransforms,
      List<Transform> evalTransforms) {}
}
