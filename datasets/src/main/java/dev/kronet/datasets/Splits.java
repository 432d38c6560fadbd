package dev.kronet.datasets;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import java.util.Arrays;

/** Seeded train/validation splits. */
public final class Splits {
  /** The two parts of a split. */
  public record TrainValidation(ImageDataset train, ImageDataset validation) {}

  private Splits() {}

  /**
   * Moves {@code round(fraction · size)} images, chosen by a seeded shuffle, into the validation
   * part; the rest, in their original order, form the training part. Same seed → same split.
   */
  public static TrainValidation trainValidation(
      ImageDataset data, double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new KronetException(
          "trainValidation: validationFraction "
              + validationFraction
              + ", expected a value strictly between 0 and 1");
    }
    int n = data.size();
    int nVal = (int) Math.round(validationFraction * n);
    if (nVal < 1 || nVal >= n) {
      throw new KronetException(
          "trainValidation: fraction "
              + validationFraction
              + " of "
              + n
              + " images gives "
              + nVal
              + " validation images, expected 1…"
              + (n - 1));
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    new Rng(seed).shuffle(order);
    int[] val = Arrays.copyOfRange(order, 0, nVal);
    int[] train = Arrays.copyOfRange(order, nVal, n);
    // Sorted so that each part keeps the source order, which makes a split easy to inspect.
    Arrays.sort(val);
    Arrays.sort(train);
    return new TrainValidation(data.subset(train), data.subset(val));
  }
}
