package dev.kronet.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void generatedFilesRoundTripRawAndGzip(boolean gz) {
    int[] labels = {3, 0, 9, 1, 1};
    IdxFiles.writeSplit(dir, Split.TRAIN, 5, 4, 3, labels, gz);
    ImageDataset d = Mnist.load(dir, Split.TRAIN);
    assertEquals(5, d.size());
    assertEquals(1, d.shape().channels());
    assertEquals(4, d.shape().height());
    assertEquals(3, d.shape().width());
    assertArrayEquals(labels, d.labels());
    for (int i = 0; i < 5; i++) {
      for (int k = 0; k < 12; k++) {
        assertEquals((i + 7 * k) & 0xFF, d.pixel(i, k), "pixel " + k + " of image " + i);
      }
    }
  }

  @Test
  void wrongMagicNamesFileOffsetFoundAndExpected() {
    byte[] labelsFile = IdxFiles.idx(new int[] {2}, new byte[] {1, 2});
    Path f = IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), labelsFile);
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(f, 3));
    String m = e.getMessage();
    assertTrue(m.contains(f.toString()) && m.contains("byte 0"), m);
    assertTrue(m.contains("0x00000801") && m.contains("0x00000803"), m);
  }

  @Test
  void truncatedPayloadIsRejectedWithOffsets() {
    byte[] full = IdxFiles.idx(new int[] {3, 2, 2}, new byte[12]);
    Path f = IdxFiles.write(dir.resolve("t.idx"), Arrays.copyOf(full, full.length - 5));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(f, 3));
    assertTrue(
        e.getMessage().contains("truncated") && e.getMessage().contains("16"), e.getMessage());
  }

  @Test
  void truncatedGzipIsRejected() {
    byte[] gz = IdxFiles.gzip(IdxFiles.idx(new int[] {50, 8, 8}, new byte[3200]));
    Path f = IdxFiles.write(dir.resolve("t.gz"), Arrays.copyOf(gz, gz.length / 2));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(f, 3));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] full = IdxFiles.idx(new int[] {2}, new byte[] {1, 2});
    Path f = IdxFiles.write(dir.resolve("l.idx"), Arrays.copyOf(full, full.length + 1));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(f, 1));
    assertTrue(e.getMessage().contains("extra data at byte 10"), e.getMessage());
  }

  @Test
  void countMismatchBetweenImagesAndLabelsIsRejected() {
    IdxFiles.writeSplit(dir, Split.TEST, 4, 2, 2, new int[] {0, 1, 2}, false);
    DatasetException e = assertThrows(DatasetException.class, () -> Mnist.load(dir, Split.TEST));
    assertTrue(e.getMessage().contains("found 3 labels, expected 4"), e.getMessage());
  }

  @Test
  void labelOutOfRangeNamesEntryAndByte() {
    IdxFiles.writeSplit(dir, Split.TEST, 3, 2, 2, new int[] {0, 10, 2}, false);
    DatasetException e = assertThrows(DatasetException.class, () -> Mnist.load(dir, Split.TEST));
    assertTrue(e.getMessage().contains("label 1 (byte 9) is 10, expected 0…9"), e.getMessage());
  }

  @Test
  void lyingHeaderIsRejectedBeforeAllocating() {
    // Declares 60000×28×28 images but holds 10 bytes of data.
    Path f =
        IdxFiles.write(dir.resolve("lie"), IdxFiles.idx(new int[] {60000, 28, 28}, new byte[10]));
    DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(f, 3));
    assertTrue(e.getMessage().contains("47040000"), e.getMessage());
  }

  @Test
  void missingFileSaysSo() {
    DatasetException e = assertThrows(DatasetException.class, () -> Mnist.load(dir, Split.TRAIN));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
  }
}
