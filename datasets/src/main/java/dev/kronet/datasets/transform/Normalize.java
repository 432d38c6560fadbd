package dev.kronet.datasets.transform;

import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.ImageShape;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import java.util.Arrays;

/**
 * Per-channel standardisation {@code x ← (x − mean[c]) / std[c]} of pixels already scaled to [0,
 * 1]. The statistics are given (e.g. published ones) or computed from a training split with {@link
 * #fit}; never from the split being evaluated.
 */
public final class Normalize implements Transform {
  private final float[] mean;
  private final float[] std;
  private final float[] invStd;

  public Normalize(float[] mean, float[] std) {
    if (mean.length != std.length || mean.length == 0) {
      throw new KronetException(
          "Normalize: found "
              + mean.length
              + " means and "
              + std.length
              + " standard deviations, expected one of each per channel");
    }
    this.mean = mean.clone();
    this.std = std.clone();
    this.invStd = new float[std.length];
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
        throw new KronetException(
            "Normalize: channel "
                + c
                + " has mean "
                + mean[c]
                + ", std "
                + std[c]
                + ", expected a finite mean and a finite std > 0");
      }
      invStd[c] = 1f / std[c];
    }
  }

  /**
   * Mean and (population) standard deviation of each channel over every pixel of {@code train}, on
   * the [0, 1] scale. Sums are exact integers, so the result does not depend on order.
   */
  public static Normalize fit(ImageDataset train) {
    ImageShape s = train.shape();
    int plane = s.planeSize();
    long[] sum = new long[s.channels()];
    long[] sumSq = new long[s.channels()];
    for (int i = 0; i < train.size(); i++) {
      for (int c = 0; c < s.channels(); c++) {
        long a = 0;
        long b = 0;
        for (int k = c * plane, end = k + plane; k < end; k++) {
          int v = train.pixel(i, k);
          a += v;
          b += v * v;
        }
        sum[c] += a;
        sumSq[c] += b;
      }
    }
    double count = (double) train.size() * plane;
    float[] mean = new float[s.channels()];
    float[] std = new float[s.channels()];
    for (int c = 0; c < s.channels(); c++) {
      double m = sum[c] / count;
      double var = Math.max(0, sumSq[c] / count - m * m);
      mean[c] = (float) (m / 255.0);
      // A constant channel would divide by zero; std 1 then leaves it merely centred.
      std[c] = var > 0 ? (float) (Math.sqrt(var) / 255.0) : 1f;
    }
    return new Normalize(mean, std);
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  @Override
  public void apply(float[] data, int offset, ImageShape shape, Rng rng) {
    if (shape.channels() != mean.length) {
      throw new KronetException(
          "Normalize: image has " + shape.channels() + " channels, expected " + mean.length);
    }
    int plane = shape.planeSize();
    for (int c = 0; c < mean.length; c++) {
      float m = mean[c];
      float inv = invStd[c];
      for (int k = offset + c * plane, end = k + plane; k < end; k++) {
        data[k] = (data[k] - m) * inv;
      }
    }
  }

  @Override
  public String toString() {
    return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
  }
}
