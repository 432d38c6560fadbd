package dev.kronet.datasets;

import dev.kronet.engine.KronetException;

/** The shape of one image in channel-major (C, H, W) layout, as stored and as batched. */
public record ImageShape(int channels, int height, int width) {
  public ImageShape {
    if (channels < 1 || height < 1 || width < 1) {
      throw new KronetException(
          "ImageShape: found ("
              + channels
              + ", "
              + height
              + ", "
              + width
              + "), expected every dimension ≥ 1");
    }
    if ((long) channels * height * width > Integer.MAX_VALUE) {
      throw new KronetException(
          "ImageShape: ("
              + channels
              + ", "
              + height
              + ", "
              + width
              + ") has more than 2^31-1 values per image");
    }
  }

  /** Values per image, C·H·W. */
  public int size() {
    return channels * height * width;
  }

  /** Values per channel plane, H·W. */
  public int planeSize() {
    return height * width;
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
