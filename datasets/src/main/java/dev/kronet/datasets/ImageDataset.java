package dev.kronet.datasets;

import java.util.List;

/**
 * A labelled image-classification set held compactly: one {@code byte} per pixel value (0…255) in
 * (N, C, H, W) order and one {@code int} label per image. A 60 000-image Fashion-MNIST split is 47
 * MB this way instead of 188 MB as float32; the loader converts to float only one batch at a time.
 *
 * <p>Immutable: the constructor takes ownership of the arrays it is given, and nothing hands them
 * out again.
 */
public final class ImageDataset {
  private final String name;
  private final ImageShape shape;
  private final byte[] pixels;
  private final int[] labels;
  private final List<String> classNames;

  /**
   * @param name where the data came from (a file or folder), used in error messages
   * @param pixels {@code labels.length · shape.size()} values in (N, C, H, W) order, owned from now
   * @param labels one class index per image, each in {@code [0, classNames.size())}, owned from now
   */
  public ImageDataset(
      String name, ImageShape shape, byte[] pixels, int[] labels, List<String> classNames) {
    this.name = name;
    this.shape = shape;
    this.pixels = pixels;
    this.labels = labels;
    this.classNames = List.copyOf(classNames);
    if (classNames.isEmpty()) {
      throw new DatasetException(name + ": found no classes, expected at least one class name");
    }
    long expected = (long) labels.length * shape.size();
    if (pixels.length != expected) {
      throw new DatasetException(
          name
              + ": found "
              + pixels.length
              + " pixel values, expected "
              + expected
              + " ("
              + labels.length
              + " images of "
              + shape
              + ")");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new DatasetException(
            name
                + ": image "
                + i
                + " has label "
                + labels[i]
                + ", expected 0…"
                + (classNames.size() - 1));
      }
    }
  }

  public String name() {
    return name;
  }

  public ImageShape shape() {
    return shape;
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  public int numClasses() {
    return classNames.size();
  }

  public List<String> classNames() {
    return classNames;
  }

  public int label(int index) {
    return labels[index];
  }

  /** A copy of all labels. */
  public int[] labels() {
    return labels.clone();
  }

  /** Pixel value (0…255) number {@code k} (in C, H, W order) of image {@code index}. */
  public int pixel(int index, int k) {
    return pixels[index * shape.size() + k] & 0xFF;
  }

  /**
   * Writes image {@code index} as floats {@code value / 255} (so in [0, 1]) into {@code dst[offset
   * .. offset + shape().size())}.
   */
  public void copyImageTo(int index, float[] dst, int offset) {
    int n = shape.size();
    int src = index * n;
    final float scale = 1f / 255f;
    for (int k = 0; k < n; k++) {
      dst[offset + k] = (pixels[src + k] & 0xFF) * scale;
    }
  }

  /** How many images carry each label. */
  public int[] classCounts() {
    int[] counts = new int[numClasses()];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /** A new dataset of the images at {@code indices}, in that order (copied). */
  public ImageDataset subset(int[] indices) {
    int n = shape.size();
    byte[] px = new byte[Math.multiplyExact(indices.length, n)];
    int[] lb = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int src = indices[i];
      if (src < 0 || src >= labels.length) {
        throw new DatasetException(
            name
                + ": subset index "
                + src
                + " at position "
                + i
                + ", expected 0…"
                + (labels.length - 1));
      }
      System.arraycopy(pixels, src * n, px, i * n, n);
      lb[i] = labels[src];
    }
    return new ImageDataset(name, shape, px, lb, classNames);
  }

  @Override
  public String toString() {
    return name + " (" + size() + " images of " + shape + ", " + numClasses() + " classes)";
  }
}
