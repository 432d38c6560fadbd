package dev.kronet.datasets.io;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 directories as unpacked from the published binary archives: {@code
 * cifar-10-batches-bin/} ({@code data_batch_1.bin}…{@code data_batch_5.bin}, {@code
 * test_batch.bin}, {@code batches.meta.txt}) and {@code cifar-100-binary/} ({@code train.bin},
 * {@code test.bin}, {@code coarse_label_names.txt}, {@code fine_label_names.txt}).
 */
public final class Cifar {
  /** CIFAR-10 class names in label order, used when {@code batches.meta.txt} is absent. */
  public static final List<String> CIFAR10_CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private Cifar() {}

  /** Reads a CIFAR-10 split from {@code dir}. */
  public static ImageDataset loadCifar10(Path dir, Split split) {
    List<Path> files = new ArrayList<>();
    if (split == Split.TRAIN) {
      for (int i = 1; i <= 5; i++) {
        files.add(require(dir, "data_batch_" + i + ".bin"));
      }
    } else {
      files.add(require(dir, "test_batch.bin"));
    }
    List<String> names = readNames(dir.resolve("batches.meta.txt"), 10);
    return CifarReader.readCifar10(files, names != null ? names : CIFAR10_CLASSES);
  }

  /** Reads a CIFAR-100 split from {@code dir} with coarse (20) or fine (100) labels. */
  public static ImageDataset loadCifar100(Path dir, Split split, CifarReader.Cifar100Label label) {
    Path file = require(dir, split == Split.TRAIN ? "train.bin" : "test.bin");
    boolean coarse = label == CifarReader.Cifar100Label.COARSE;
    int classes = coarse ? 20 : 100;
    List<String> names =
        readNames(dir.resolve(coarse ? "coarse_label_names.txt" : "fine_label_names.txt"), classes);
    if (names == null) {
      names = new ArrayList<>();
      for (int i = 0; i < classes; i++) {
        names.add(Integer.toString(i));
      }
    }
    return CifarReader.readCifar100(List.of(file), label, names);
  }

  private static Path require(Path dir, String name) {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new DatasetException(dir + ": found no " + name + ", expected the CIFAR batch file");
    }
    return p;
  }

  /** Class names, one per non-blank line; null when the file is absent. */
  private static List<String> readNames(Path file, int expected) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      if (Files.size(file) > 1 << 20) {
        throw new DatasetException(
            file + ": " + Files.size(file) + " bytes, expected a short list of class names");
      }
      List<String> names =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .toList();
      if (names.size() != expected) {
        throw new DatasetException(
            file + ": found " + names.size() + " class names, expected " + expected);
      }
      return names;
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read class names: " + e.getMessage(), e);
    }
  }
}
