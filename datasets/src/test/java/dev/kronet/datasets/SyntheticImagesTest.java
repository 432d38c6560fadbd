package dev.kronet.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import org.junit.jupiter.api.Test;

class SyntheticImagesTest {
  private static final SyntheticImages.Spec SPEC =
      new SyntheticImages.Spec(600, 3, 12, 12, 6, 2024, 0.15);

  private static byte[] pixels(ImageDataset d) {
    byte[] b = new byte[d.size() * d.shape().size()];
    for (int i = 0; i < d.size(); i++) {
      for (int k = 0; k < d.shape().size(); k++) {
        b[i * d.shape().size() + k] = (byte) d.pixel(i, k);
      }
    }
    return b;
  }

  @Test
  void sameSpecGivesTheSameImagesAndOtherSeedsOthers() {
    ImageDataset a = SyntheticImages.generate(SPEC);
    ImageDataset b = SyntheticImages.generate(SPEC);
    assertArrayEquals(pixels(a), pixels(b));
    assertArrayEquals(a.labels(), b.labels());
    ImageDataset c =
        SyntheticImages.generate(new SyntheticImages.Spec(600, 3, 12, 12, 6, 2025, 0.15));
    assertFalse(java.util.Arrays.equals(pixels(a), pixels(c)));
  }

  @Test
  void classesAreBalancedAndShapedAsAsked() {
    ImageDataset d = SyntheticImages.generate(SPEC);
    assertEquals(new ImageShape(3, 12, 12), d.shape());
    assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100}, d.classCounts());
  }

  /**
   * Learnable: a nearest-class-mean classifier fitted on a training split labels a held-out split
   * far above chance (1/6), while noise keeps single pixels uninformative.
   */
  @Test
  void aNearestMeanClassifierLearnsItFromATrainingSplit() {
    ImageDataset d = SyntheticImages.generate(SPEC);
    Splits.TrainValidation split = Splits.trainValidation(d, 0.25, 3);
    ImageDataset train = split.train();
    int n = d.shape().size();
    double[][] means = new double[d.numClasses()][n];
    int[] counts = train.classCounts();
    for (int i = 0; i < train.size(); i++) {
      for (int k = 0; k < n; k++) {
        means[train.label(i)][k] += train.pixel(i, k) / (double) counts[train.label(i)];
      }
    }
    ImageDataset val = split.validation();
    int correct = 0;
    for (int i = 0; i < val.size(); i++) {
      int best = -1;
      double bestDist = Double.MAX_VALUE;
      for (int c = 0; c < means.length; c++) {
        double dist = 0;
        for (int k = 0; k < n; k++) {
          double diff = val.pixel(i, k) - means[c][k];
          dist += diff * diff;
        }
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      if (best == val.label(i)) {
        correct++;
      }
    }
    double accuracy = correct / (double) val.size();
    assertTrue(accuracy > 0.9, "held-out nearest-mean accuracy " + accuracy);
  }

  @Test
  void splitsAreSeededDisjointAndComplete() {
    ImageDataset d = SyntheticImages.generate(SPEC);
    Splits.TrainValidation a = Splits.trainValidation(d, 0.2, 9);
    Splits.TrainValidation b = Splits.trainValidation(d, 0.2, 9);
    assertEquals(480, a.train().size());
    assertEquals(120, a.validation().size());
    assertArrayEquals(pixels(a.validation()), pixels(b.validation()));
    Splits.TrainValidation other = Splits.trainValidation(d, 0.2, 10);
    assertFalse(java.util.Arrays.equals(pixels(a.validation()), pixels(other.validation())));
    int[] total = a.train().classCounts();
    int[] val = a.validation().classCounts();
    for (int c = 0; c < total.length; c++) {
      total[c] += val[c];
    }
    assertArrayEquals(d.classCounts(), total);
    assertThrows(KronetException.class, () -> Splits.trainValidation(d, 1.0, 1));
    assertThrows(KronetException.class, () -> Splits.trainValidation(d, 0.0001, 1));
  }

  @Test
  void datasetRejectsInconsistentArrays() {
    ImageShape s = new ImageShape(1, 2, 2);
    assertThrows(
        DatasetException.class,
        () -> new ImageDataset("x", s, new byte[7], new int[2], java.util.List.of("a")));
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> new ImageDataset("x", s, new byte[8], new int[] {0, 1}, java.util.List.of("a")));
    assertTrue(e.getMessage().contains("image 1 has label 1, expected 0…0"), e.getMessage());
  }
}
