package dev.kronet.datasets.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files in the exact published layout, for tests. */
final class IdxFiles {
  private IdxFiles() {}

  /** The bytes of an unsigned-byte IDX file with the given dimensions and elements. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes an MNIST-style split: n images of h×w with pixel (i, k) = (i + 7k) mod 256. */
  static void writeSplit(Path dir, Split split, int n, int h, int w, int[] labels, boolean gz) {
    byte[] px = new byte[n * h * w];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < h * w; k++) {
        px[i * h * w + k] = (byte) (i + 7 * k);
      }
    }
    byte[] lb = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      lb[i] = (byte) labels[i];
    }
    byte[] images = idx(new int[] {n, h, w}, px);
    byte[] labelBytes = idx(new int[] {labels.length}, lb);
    String suffix = gz ? ".gz" : "";
    var names = IdxDirectory.fileNames(split);
    write(dir.resolve(names.get(0) + suffix), gz ? gzip(images) : images);
    write(dir.resolve(names.get(1) + suffix), gz ? gzip(labelBytes) : labelBytes);
  }
}
