package dev.kronet.datasets.io;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.ImageShape;
import java.nio.file.Path;
import java.util.List;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
 *
 * <p>Layout (big-endian): bytes 0–1 are zero, byte 2 is the element type (0x08 = unsigned byte, the
 * only type these sets use), byte 3 the number of dimensions d; then d 32-bit sizes; then the
 * elements in row-major order. Images are d = 3 (N, rows, cols), labels d = 1 (N).
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** An IDX array of unsigned bytes: its dimensions and its elements. */
  public record IdxArray(int[] dims, byte[] data) {}

  /** Reads an IDX file of unsigned bytes that must have {@code expectedDims} dimensions. */
  public static IdxArray read(Path file, int expectedDims) {
    try (DataFiles.Source src = DataFiles.open(file)) {
      byte[] magic = src.readHeader(4, "the magic number");
      long found = DataFiles.u32(magic, 0);
      long expected = (UNSIGNED_BYTE << 8) | expectedDims;
      if (found != expected) {
        throw new DatasetException(
            src.describe()
                + ": at byte 0 found magic number "
                + String.format("0x%08X", found)
                + ", expected "
                + String.format("0x%08X", expected)
                + " (IDX unsigned bytes, "
                + expectedDims
                + " dimension"
                + (expectedDims == 1 ? "" : "s")
                + ")");
      }
      byte[] header = src.readHeader(4 * expectedDims, "the " + expectedDims + " dimension sizes");
      int[] dims = new int[expectedDims];
      long count = 1;
      for (int i = 0; i < expectedDims; i++) {
        long d = DataFiles.u32(header, 4 * i);
        if (d < 1 || d > Integer.MAX_VALUE) {
          throw new DatasetException(
              src.describe()
                  + ": at byte "
                  + (4 + 4 * i)
                  + " dimension "
                  + i
                  + " is "
                  + d
                  + ", expected 1…"
                  + Integer.MAX_VALUE);
        }
        dims[i] = (int) d;
        count *= d; // at most 3 factors below 2^31: cannot overflow a long before we check it
        if (count > Integer.MAX_VALUE) {
          count = Integer.MAX_VALUE + 1L;
        }
      }
      byte[] data = src.readPayload(count, "IDX elements");
      return new IdxArray(dims, data);
    }
  }

  /**
   * Reads an image file and its label file into a dataset, checking that the counts agree and that
   * every label is a valid class index.
   */
  public static ImageDataset readDataset(Path images, Path labels, List<String> classNames) {
    IdxArray img = read(images, 3);
    IdxArray lab = read(labels, 1);
    int n = img.dims()[0];
    if (lab.dims()[0] != n) {
      throw new DatasetException(
          labels
              + ": found "
              + lab.dims()[0]
              + " labels, expected "
              + n
              + " to match the images in "
              + images);
    }
    int[] y = new int[n];
    byte[] raw = lab.data();
    for (int i = 0; i < n; i++) {
      int v = raw[i] & 0xFF;
      if (v >= classNames.size()) {
        throw new DatasetException(
            labels
                + ": label "
                + i
                + " (byte "
                + (8 + i)
                + ") is "
                + v
                + ", expected 0…"
                + (classNames.size() - 1));
      }
      y[i] = v;
    }
    ImageShape shape = new ImageShape(1, img.dims()[1], img.dims()[2]);
    return new ImageDataset(images.toString(), shape, img.data(), y, classNames);
  }
}
