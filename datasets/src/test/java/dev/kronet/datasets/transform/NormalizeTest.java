package dev.kronet.datasets.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.ImageShape;
import dev.kronet.datasets.SyntheticImages;
import dev.kronet.datasets.io.FashionMnist;
import dev.kronet.datasets.io.Split;
import dev.kronet.engine.Rng;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class NormalizeTest {
  /** Mean and standard deviation per channel of the normalised images, in double. */
  static double[][] normalisedMoments(ImageDataset d, Normalize n) {
    ImageShape s = d.shape();
    double[] sum = new double[s.channels()];
    double[] sumSq = new double[s.channels()];
    float[] img = new float[s.size()];
    for (int i = 0; i < d.size(); i++) {
      d.copyImageTo(i, img, 0);
      n.apply(img, 0, s, new Rng(0));
      for (int k = 0; k < img.length; k++) {
        int c = k / s.planeSize();
        sum[c] += img[k];
        sumSq[c] += (double) img[k] * img[k];
      }
    }
    double count = (double) d.size() * s.planeSize();
    double[] mean = new double[s.channels()];
    double[] std = new double[s.channels()];
    for (int c = 0; c < s.channels(); c++) {
      mean[c] = sum[c] / count;
      std[c] = Math.sqrt(sumSq[c] / count - mean[c] * mean[c]);
    }
    return new double[][] {mean, std};
  }

  @Test
  void givenStatisticsApplyPerChannel() {
    Normalize n = new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.125f});
    float[] x = {9, 0, 1, 0.5f, 0.25f, 9};
    n.apply(x, 1, new ImageShape(2, 1, 2), new Rng(0));
    assertArrayEquals(new float[] {9, -1, 1, 2, 0, 9}, x, 1e-6f);
  }

  @Test
  void fittedStatisticsStandardiseTheTrainingSplit() {
    ImageDataset d = SyntheticImages.generate(new SyntheticImages.Spec(300, 3, 8, 8, 4, 5, 0.2));
    double[][] m = normalisedMoments(d, Normalize.fit(d));
    assertArrayEquals(new double[] {0, 0, 0}, m[0], 1e-4);
    assertArrayEquals(new double[] {1, 1, 1}, m[1], 1e-4);
  }

  @Test
  void fittedStatisticsMatchAKnownTinySet() {
    // Two 1×1×2 images with pixel values {0, 255} and {255, 255}: mean 191.25, population std
    // sqrt(191.25·63.75) on the 0…255 scale.
    ImageDataset d =
        new ImageDataset(
            "tiny",
            new ImageShape(1, 1, 2),
            new byte[] {0, (byte) 255, (byte) 255, (byte) 255},
            new int[] {0, 0},
            java.util.List.of("x"));
    Normalize n = Normalize.fit(d);
    assertEquals(0.75f, n.mean()[0], 1e-6f);
    assertEquals((float) (Math.sqrt(191.25 * 63.75) / 255), n.std()[0], 1e-6f);
  }

  @Test
  void fashionMnistTrainingSplitNormalisesToZeroMeanUnitStd() {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed");
    ImageDataset train = FashionMnist.load(FashionMnist.DEFAULT_DIR, Split.TRAIN);
    Normalize n = Normalize.fit(train);
    // The widely quoted Fashion-MNIST statistics are mean 0.2860, std 0.3530.
    assertEquals(0.2860, n.mean()[0], 1e-4);
    assertEquals(0.3530, n.std()[0], 1e-4);
    double[][] m = normalisedMoments(train, n);
    assertEquals(0, m[0][0], 1e-4);
    assertEquals(1, m[1][0], 1e-4);
  }
}
