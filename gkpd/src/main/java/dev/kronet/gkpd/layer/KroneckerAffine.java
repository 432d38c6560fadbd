package dev.kronet.gkpd.layer;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Linear;
import java.util.Arrays;

/**
 * The matrix case of the Kronecker layer (eq. 2–6): {@code y = (Σ_r A_r ⊗ B_r)·x + bias} without
 * forming the {@code [M1·M2, K1·K2]} matrix, as two {@link Linear#linear} products.
 *
 * <p>With {@code x} of length K1·K2 read as the row-major matrix {@code X [K1, K2]} (index {@code k
 * = k1·K2 + k2}) and y as {@code Y [M1, M2]} ({@code m = m1·M2 + m2}), {@code (A ⊗ B)·x} is {@code
 * Y = A·X·Bᵀ}: the row-major form of the identity {@code (A ⊗ B)·vec(X) = vec(B·X·Aᵀ)}, whose vec
 * stacks columns. Stage 1 applies B to every row of X for all terms at once ({@code Z[k1, r, m2] =
 * Σ_{k2} B_r[m2, k2]·X[k1, k2]}); stage 2 contracts (r, k1) with A ({@code Y[m2, m1] = Σ_{r, k1}
 * A_r[m1, k1]·Z[k1, r, m2]}). Cost per input row: {@code R·(K1·M2·K2 + M2·M1·K1)} multiply-adds
 * instead of {@code M1·M2·K1·K2}.
 */
public final class KroneckerAffine {
  private KroneckerAffine() {}

  /**
   * {@code y[..., m] = Σ_k (Σ_r A_r ⊗ B_r)[m, k]·x[..., k] + bias[m]} for {@code x [..., K1·K2]},
   * {@code A [R, M1, K1]}, {@code B [R, M2, K2]}, {@code bias [M1·M2]} or null (PyTorch's {@code
   * [out, in]} weight convention for each factor).
   */
  public static Tensor linear(Tensor x, Tensor a, Tensor b, Tensor bias) {
    int[] as = a.shape();
    int[] bs = b.shape();
    if (as.length != 3 || bs.length != 3 || as[0] != bs[0]) {
      throw new KronetException(
          "kronecker linear: factors must be A [R, M1, K1] and B [R, M2, K2] with the same R, got"
              + " A "
              + Shapes.format(as)
              + " and B "
              + Shapes.format(bs));
    }
    int r = as[0];
    int m1 = as[1];
    int k1 = as[2];
    int m2 = bs[1];
    int k2 = bs[2];
    int[] xs = x.shape();
    if (xs.length < 1 || xs[xs.length - 1] != k1 * k2) {
      throw new KronetException(
          "kronecker linear: input x must end in K1·K2 = "
              + k1 * k2
              + " features for A "
              + Shapes.format(as)
              + " and B "
              + Shapes.format(bs)
              + ", got "
              + Shapes.format(xs));
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != m1 * m2)) {
      throw new KronetException(
          "kronecker linear: bias must have shape [M1·M2] = ["
              + m1 * m2
              + "], got "
              + Shapes.format(bias.shape()));
    }
    int rows = Shapes.numel(Arrays.copyOf(xs, xs.length - 1));
    Tensor z = Linear.linear(x.reshape(rows * k1, k2), b.reshape(r * m2, k2), null);
    // [rows·K1, R·M2] → [rows, M2, R, K1]: each output column m2 contracts (r, k1) with A.
    Tensor zt = z.reshape(rows, k1, r, m2).permute(0, 3, 2, 1).reshape(rows * m2, r * k1);
    Tensor aw = a.permute(1, 0, 2).reshape(m1, r * k1);
    Tensor y = Linear.linear(zt, aw, null);
    int[] ys = xs.clone();
    ys[ys.length - 1] = m1 * m2;
    Tensor out = y.reshape(rows, m2, m1).permute(0, 2, 1).reshape(ys);
    return bias == null ? out : out.add(bias);
  }
}
