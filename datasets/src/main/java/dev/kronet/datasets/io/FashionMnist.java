package dev.kronet.datasets.io;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 60 000 training and 10 000 test greyscale images
 * of 28×28 pixels in 10 clothing classes, stored as IDX files.
 *
 * <p>Where it is looked for, in order: the directory given explicitly (the CLI's {@code --data
 * DIR}), the {@code KRONET_DATA} environment variable, then {@link #DEFAULT_DIR}, where the Debian
 * package {@code dataset-fashion-mnist} installs it. In each place the files may sit directly or in
 * a {@code fashion-mnist} subdirectory.
 */
public final class FashionMnist {
  /** Where {@code apt-get install dataset-fashion-mnist} puts the four {@code .gz} files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The environment variable naming a data directory. */
  public static final String ENV_VAR = "KRONET_DATA";

  /** Class names in label order, as published with the data set. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private FashionMnist() {}

  /** Reads a split, locating the files as described in the class comment. */
  public static ImageDataset load(Path explicitDir, Split split) {
    return IdxDirectory.load(locate(explicitDir), split, CLASS_NAMES);
  }

  /**
   * The directory holding the files.
   *
   * @param explicitDir a directory the user named, or null
   * @throws DatasetException saying where it looked and how to get the data
   */
  public static Path locate(Path explicitDir) {
    return locate(explicitDir, System.getenv(ENV_VAR), DEFAULT_DIR);
  }

  static Path locate(Path explicitDir, String envValue, Path defaultDir) {
    List<Path> tried = new ArrayList<>();
    if (explicitDir != null) {
      Path found = lookIn(explicitDir, tried);
      if (found != null) {
        return found;
      }
      // An explicit directory that lacks the files is an error, not a cue to look elsewhere.
      throw notFound(tried, "the directory given with --data");
    }
    if (envValue != null && !envValue.isBlank()) {
      Path found = lookIn(Path.of(envValue.trim()), tried);
      if (found != null) {
        return found;
      }
    }
    Path found = lookIn(defaultDir, tried);
    if (found != null) {
      return found;
    }
    throw notFound(tried, ENV_VAR + " and the default location");
  }

  private static Path lookIn(Path dir, List<Path> tried) {
    for (Path candidate : List.of(dir, dir.resolve("fashion-mnist"))) {
      tried.add(candidate);
      if (Files.isDirectory(candidate) && IdxDirectory.isComplete(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static DatasetException notFound(List<Path> tried, String where) {
    List<String> files = new ArrayList<>();
    for (Split s : Split.values()) {
      for (String n : IdxDirectory.fileNames(s)) {
        files.add(n + ".gz");
      }
    }
    return new DatasetException(
        "Fashion-MNIST not found (searched "
            + where
            + ": "
            + tried
            + "); expected the files "
            + String.join(", ", files)
            + " (or the same names without .gz). To get them: run"
            + " `sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist`"
            + " (installs into "
            + DEFAULT_DIR
            + "), or put the four files in a directory DIR and pass --data DIR"
            + " or set "
            + ENV_VAR
            + "=DIR.");
  }
}
