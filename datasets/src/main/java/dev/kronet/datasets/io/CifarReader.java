package dev.kronet.datasets.io;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.ImageShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for the CIFAR-10 and CIFAR-100 binary batch files (Krizhevsky, 2009).
 *
 * <p>A file is a sequence of fixed-size records with no header: CIFAR-10 records are 1 label byte +
 * 3072 pixel bytes; CIFAR-100 records are 1 coarse-label byte + 1 fine-label byte + 3072 pixel
 * bytes. The 3072 pixels are the red, green and blue 32×32 planes in that order, rows top to bottom
 * — already the (C, H, W) layout kronet stores.
 */
public final class CifarReader {
  /** The image shape of every CIFAR record. */
  public static final ImageShape SHAPE = new ImageShape(3, 32, 32);

  /** Which label of a CIFAR-100 record to use. */
  public enum Cifar100Label {
    /** The 20 superclasses (first label byte). */
    COARSE,
    /** The 100 classes (second label byte). */
    FINE
  }

  /** Longest total we read: pixel storage must fit one Java array. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

  private CifarReader() {}

  /** Reads and concatenates CIFAR-10 batch files (in the order given). */
  public static ImageDataset readCifar10(List<Path> files, List<String> classNames) {
    return read(files, 1, 0, classNames, "CIFAR-10");
  }

  /** Reads and concatenates CIFAR-100 batch files, using the chosen label. */
  public static ImageDataset readCifar100(
      List<Path> files, Cifar100Label label, List<String> classNames) {
    return read(files, 2, label == Cifar100Label.COARSE ? 0 : 1, classNames, "CIFAR-100");
  }

  private static ImageDataset read(
      List<Path> files, int labelBytes, int labelIndex, List<String> classNames, String format) {
    if (files.isEmpty()) {
      throw new DatasetException(format + ": found no batch files, expected at least one");
    }
    int pixelsPerImage = SHAPE.size();
    int record = labelBytes + pixelsPerImage;
    List<byte[]> contents = new ArrayList<>();
    long total = 0;
    for (Path file : files) {
      byte[] bytes;
      try (DataFiles.Source src = DataFiles.open(file)) {
        bytes = src.readRest(MAX_BYTES - total, format + " records");
      }
      checkLength(file, bytes.length, record, labelBytes, format);
      contents.add(bytes);
      total += bytes.length;
    }
    int n = (int) (total / record);
    byte[] pixels = new byte[n * pixelsPerImage];
    int[] labels = new int[n];
    int i = 0;
    for (int f = 0; f < files.size(); f++) {
      byte[] bytes = contents.get(f);
      contents.set(f, null); // let each file's bytes go as soon as they are copied
      for (int r = 0; r < bytes.length / record; r++, i++) {
        int at = r * record;
        int label = bytes[at + labelIndex] & 0xFF;
        if (label >= classNames.size()) {
          throw new DatasetException(
              files.get(f)
                  + ": record "
                  + r
                  + " (byte "
                  + (at + labelIndex)
                  + ") has label "
                  + label
                  + ", expected 0…"
                  + (classNames.size() - 1));
        }
        labels[i] = label;
        System.arraycopy(bytes, at + labelBytes, pixels, i * pixelsPerImage, pixelsPerImage);
      }
    }
    String name = files.size() == 1 ? files.get(0).toString() : files.toString();
    return new ImageDataset(name, SHAPE, pixels, labels, classNames);
  }

  private static void checkLength(
      Path file, int length, int record, int labelBytes, String format) {
    if (length > 0 && length % record == 0) {
      return;
    }
    int otherRecord = record == 3073 ? 3074 : 3073;
    String hint =
        length > 0 && length % otherRecord == 0
            ? "; its length does divide into "
                + otherRecord
                + "-byte "
                + (otherRecord == 3074 ? "CIFAR-100" : "CIFAR-10")
                + " records: wrong format?"
            : "";
    throw new DatasetException(
        file
            + ": length "
            + length
            + " bytes is not a positive whole number of "
            + record
            + "-byte "
            + format
            + " records ("
            + labelBytes
            + " label byte"
            + (labelBytes == 1 ? "" : "s")
            + " + 3072 pixel bytes): found "
            + (length / record)
            + " records and "
            + (length % record)
            + " stray bytes at byte "
            + (length - length % record)
            + hint);
  }
}
