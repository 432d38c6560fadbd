package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;

/**
 * Inverted dropout, as {@code torch.nn.functional.dropout}: in training each element is zeroed with
 * probability p and the survivors are scaled by 1/(1 − p), so the expected value is unchanged and
 * evaluation needs no rescaling; in evaluation it is the identity.
 */
public final class Dropout {
  private Dropout() {}

  /**
   * Applies dropout with drop probability {@code p} ∈ [0, 1]. Returns {@code x} itself when not
   * training or when p = 0; with p = 1 every element is dropped (zeros). The mask is drawn from
   * {@code rng} in row-major order (one {@link Rng#nextFloat()} per element, kept when ≥ p) and the
   * same mask scales the gradient in backward.
   */
  public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
    if (!(p >= 0f && p <= 1f)) {
      throw new KronetException("dropout: probability p must be in [0, 1], got " + p);
    }
    if (!training || p == 0f) {
      return x;
    }
    if (rng == null) {
      throw new KronetException("dropout: training mode needs an Rng to draw the mask, got null");
    }
    int n = x.numel();
    // The mask holds the factor each element is multiplied by: 0 or 1/(1 − p) (0 for all if p = 1).
    float keepScale = p == 1f ? 0f : 1f / (1f - p);
    float[] mask = new float[n];
    for (int i = 0; i < n; i++) {
      mask[i] = rng.nextFloat() >= p ? keepScale : 0f;
    }
    float[] v = x.toArray();
    for (int i = 0; i < n; i++) {
      v[i] *= mask[i];
    }
    return Tensor.fromOp(
        "dropout",
        v,
        x.shape(),
        g -> {
          float[] gx = g.toArray();
          for (int i = 0; i < n; i++) {
            gx[i] *= mask[i];
          }
          return new Tensor[] {Tensor.wrap(gx, x.shape())};
        },
        x);
  }
}
