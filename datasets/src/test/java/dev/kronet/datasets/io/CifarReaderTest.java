package dev.kronet.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
  @TempDir Path dir;

  /** Pixel k of image i in file f: a value that differs across files, images and positions. */
  static int pixelValue(int f, int i, int k) {
    return (31 * f + 17 * i + k) & 0xFF;
  }

  /** A CIFAR-10 batch (1 label byte + 3072 pixels per record). */
  static byte[] cifar10(int f, int[] labels) {
    byte[] b = new byte[labels.length * 3073];
    for (int i = 0; i < labels.length; i++) {
      b[i * 3073] = (byte) labels[i];
      for (int k = 0; k < 3072; k++) {
        b[i * 3073 + 1 + k] = (byte) pixelValue(f, i, k);
      }
    }
    return b;
  }

  /** A CIFAR-100 batch (coarse byte + fine byte + 3072 pixels per record). */
  static byte[] cifar100(int[] coarse, int[] fine) {
    byte[] b = new byte[coarse.length * 3074];
    for (int i = 0; i < coarse.length; i++) {
      b[i * 3074] = (byte) coarse[i];
      b[i * 3074 + 1] = (byte) fine[i];
      for (int k = 0; k < 3072; k++) {
        b[i * 3074 + 2 + k] = (byte) pixelValue(0, i, k);
      }
    }
    return b;
  }

  @Test
  void cifar10DirectoryConcatenatesTheFiveTrainingBatchesInOrder() throws Exception {
    for (int f = 1; f <= 5; f++) {
      IdxFiles.write(dir.resolve("data_batch_" + f + ".bin"), cifar10(f, new int[] {f, 9 - f}));
    }
    IdxFiles.write(dir.resolve("test_batch.bin"), cifar10(0, new int[] {7}));
    ImageDataset train = Cifar.loadCifar10(dir, Split.TRAIN);
    assertEquals(10, train.size());
    assertEquals(CifarReader.SHAPE, train.shape());
    assertArrayEquals(new int[] {1, 8, 2, 7, 3, 6, 4, 5, 5, 4}, train.labels());
    for (int f = 1; f <= 5; f++) {
      for (int i = 0; i < 2; i++) {
        for (int k : new int[] {0, 1023, 1024, 2048, 3071}) {
          assertEquals(pixelValue(f, i, k), train.pixel(2 * (f - 1) + i, k));
        }
      }
    }
    assertEquals(Cifar.CIFAR10_CLASSES, train.classNames());
    ImageDataset test = Cifar.loadCifar10(dir, Split.TEST);
    assertArrayEquals(new int[] {7}, test.labels());
  }

  @Test
  void cifar10ClassNamesComeFromBatchesMeta() throws Exception {
    IdxFiles.write(dir.resolve("test_batch.bin"), cifar10(0, new int[] {1}));
    List<String> names = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", names) + "\n\n");
    assertEquals(names, Cifar.loadCifar10(dir, Split.TEST).classNames());
  }

  @Test
  void cifar100ReadsCoarseOrFineLabels() {
    IdxFiles.write(dir.resolve("train.bin"), cifar100(new int[] {19, 0, 4}, new int[] {99, 3, 50}));
    ImageDataset coarse = Cifar.loadCifar100(dir, Split.TRAIN, CifarReader.Cifar100Label.COARSE);
    ImageDataset fine = Cifar.loadCifar100(dir, Split.TRAIN, CifarReader.Cifar100Label.FINE);
    assertArrayEquals(new int[] {19, 0, 4}, coarse.labels());
    assertEquals(20, coarse.numClasses());
    assertArrayEquals(new int[] {99, 3, 50}, fine.labels());
    assertEquals(100, fine.numClasses());
    assertEquals(pixelValue(0, 2, 3071), fine.pixel(2, 3071));
  }

  @Test
  void cifar100FileReadAsCifar10IsAWrongRecordSize() {
    Path f =
        IdxFiles.write(dir.resolve("test_batch.bin"), cifar100(new int[] {1, 2}, new int[] {3, 4}));
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> CifarReader.readCifar10(List.of(f), Cifar.CIFAR10_CLASSES));
    String m = e.getMessage();
    assertTrue(m.contains(f.toString()) && m.contains("6148") && m.contains("3073"), m);
    assertTrue(m.contains("3074-byte CIFAR-100 records"), m);
  }

  @Test
  void truncatedBatchIsRejected() {
    byte[] full = cifar10(0, new int[] {1, 2, 3});
    Path f = IdxFiles.write(dir.resolve("b.bin"), Arrays.copyOf(full, full.length - 100));
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> CifarReader.readCifar10(List.of(f), Cifar.CIFAR10_CLASSES));
    assertTrue(e.getMessage().contains("2 records and 2973 stray bytes"), e.getMessage());
  }

  @Test
  void labelOutOfRangeNamesRecordAndByte() {
    Path f = IdxFiles.write(dir.resolve("b.bin"), cifar10(0, new int[] {1, 10}));
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> CifarReader.readCifar10(List.of(f), Cifar.CIFAR10_CLASSES));
    assertTrue(
        e.getMessage().contains("record 1 (byte 3073) has label 10, expected 0…9"), e.getMessage());
  }

  @Test
  void emptyFileIsRejected() {
    Path f = IdxFiles.write(dir.resolve("b.bin"), new byte[0]);
    assertThrows(
        DatasetException.class, () -> CifarReader.readCifar10(List.of(f), Cifar.CIFAR10_CLASSES));
  }

  @Test
  void missingBatchFileIsNamed() {
    DatasetException e =
        assertThrows(DatasetException.class, () -> Cifar.loadCifar10(dir, Split.TRAIN));
    assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
  }
}
