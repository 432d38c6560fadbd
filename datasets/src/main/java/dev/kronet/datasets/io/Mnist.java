package dev.kronet.datasets.io;

import dev.kronet.datasets.ImageDataset;
import java.nio.file.Path;
import java.util.List;

/** MNIST handwritten digits (LeCun et al.): the same IDX layout and file names as Fashion-MNIST. */
public final class Mnist {
  public static final List<String> CLASS_NAMES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private Mnist() {}

  /** Reads a split from a directory holding the four published MNIST files. */
  public static ImageDataset load(Path dir, Split split) {
    return IdxDirectory.load(dir, split, CLASS_NAMES);
  }
}
