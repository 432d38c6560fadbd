package dev.kronet.datasets.io;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory holding the four files of an MNIST-style set under their published names ({@code
 * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code
 * t10k-labels-idx1-ubyte}), each raw or with a {@code .gz} suffix.
 */
public final class IdxDirectory {
  private IdxDirectory() {}

  /** The published base names (without {@code .gz}) of the image and label files of a split. */
  public static List<String> fileNames(Split split) {
    String prefix = split == Split.TRAIN ? "train" : "t10k";
    return List.of(prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte");
  }

  /** True when both files of both splits are present in {@code dir}. */
  public static boolean isComplete(Path dir) {
    for (Split s : Split.values()) {
      for (String name : fileNames(s)) {
        if (find(dir, name) == null) {
          return false;
        }
      }
    }
    return true;
  }

  /** Reads one split from {@code dir}. */
  public static ImageDataset load(Path dir, Split split, List<String> classNames) {
    List<String> names = fileNames(split);
    Path images = require(dir, names.get(0));
    Path labels = require(dir, names.get(1));
    return IdxReader.readDataset(images, labels, classNames);
  }

  private static Path require(Path dir, String name) {
    Path p = find(dir, name);
    if (p == null) {
      throw new DatasetException(
          dir + ": found neither " + name + " nor " + name + ".gz, expected one of them");
    }
    return p;
  }

  private static Path find(Path dir, String name) {
    for (String candidate : new String[] {name + ".gz", name}) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
