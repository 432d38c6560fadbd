package dev.kronet.gkpd.algebra;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;

/**
 * The index map of the multidimensional Kronecker product for factor shapes {@code a} and {@code b}
 * (same rank N) and product shape {@code w = a ⊙ b} (elementwise). Eq. (8) splits a W index as
 * {@code i_n = j_n·b_n + k_n} ({@code j_n = ⌊i_n / b_n⌋}, {@code k_n = i_n mod b_n}), which is
 * Lemma 1's re-indexing {@code g(j_n, k_n)}. For 4-d convolution weights this is the factor index
 * convention {@code f = f1·F2 + f2}, {@code c = c1·C2 + c2}, {@code i = i1·kh2 + i2}, {@code j =
 * j1·kw2 + j2}.
 *
 * <p>Because the flat row-major W offset of {@code g(j, k)} is a sum of a part that depends only on
 * j and a part that depends only on k, the layout precomputes both: {@code W[aOffset(ja) +
 * bOffset(kb)]} is the element scaled by {@code A[ja]·B[kb]} in A ⊗ B, where ja and kb are flat
 * row-major indices into A and B. The Kronecker product (7) and the rearrangement R_w (12) are both
 * single loops over these two tables.
 */
public final class KroneckerLayout {
  private final int[] aShape;
  private final int[] bShape;
  private final int[] wShape;
  private final int[] aOffsets;
  private final int[] bOffsets;

  private KroneckerLayout(int[] aShape, int[] bShape) {
    this.aShape = aShape;
    this.bShape = bShape;
    this.wShape = new int[aShape.length];
    for (int n = 0; n < aShape.length; n++) {
      wShape[n] = Math.multiplyExact(aShape[n], bShape[n]);
    }
    Shapes.numel(wShape);
    int[] wStrides = Shapes.contiguousStrides(wShape);
    int[] aStep = new int[aShape.length];
    for (int n = 0; n < aShape.length; n++) {
      aStep[n] = bShape[n] * wStrides[n];
    }
    this.aOffsets = offsets(aShape, aStep);
    this.bOffsets = offsets(bShape, wStrides);
  }

  /** The layout of A ⊗ B for factors of shapes {@code a} and {@code b}. */
  public static KroneckerLayout of(int[] aShape, int[] bShape) {
    if (aShape.length != bShape.length) {
      throw new KronetException(
          "Kronecker factors must have the same rank: A "
              + Shapes.format(aShape)
              + " has rank "
              + aShape.length
              + ", B "
              + Shapes.format(bShape)
              + " has rank "
              + bShape.length);
    }
    requirePositive("A", aShape);
    requirePositive("B", bShape);
    return new KroneckerLayout(aShape.clone(), bShape.clone());
  }

  /**
   * The layout that splits W of shape {@code w} into A of shape {@code a} and B of shape {@code w /
   * a}; each {@code a_n} must divide {@code w_n}.
   */
  public static KroneckerLayout splitting(int[] wShape, int[] aShape) {
    if (wShape.length != aShape.length) {
      throw new KronetException(
          "factor shape A "
              + Shapes.format(aShape)
              + " must have the rank of W "
              + Shapes.format(wShape)
              + " ("
              + wShape.length
              + ")");
    }
    requirePositive("W", wShape);
    requirePositive("A", aShape);
    int[] b = new int[wShape.length];
    for (int n = 0; n < wShape.length; n++) {
      if (wShape[n] % aShape[n] != 0) {
        throw new KronetException(
            "factor shape A "
                + Shapes.format(aShape)
                + " does not divide W "
                + Shapes.format(wShape)
                + ": dimension "
                + n
                + " is "
                + aShape[n]
                + ", expected a divisor of "
                + wShape[n]);
      }
      b[n] = wShape[n] / aShape[n];
    }
    return new KroneckerLayout(aShape.clone(), b);
  }

  public int[] aShape() {
    return aShape.clone();
  }

  public int[] bShape() {
    return bShape.clone();
  }

  public int[] wShape() {
    return wShape.clone();
  }

  public int rank() {
    return aShape.length;
  }

  /** ∏ a_n, the number of rows of R_w(W). */
  public int aSize() {
    return aOffsets.length;
  }

  /** ∏ b_n, the number of columns of R_w(W). */
  public int bSize() {
    return bOffsets.length;
  }

  /** The Kronecker rank (10): {@code min(∏ a_n, ∏ b_n)}. */
  public int kroneckerRank() {
    return Math.min(aSize(), bSize());
  }

  /** The W offset contributed by flat A index {@code ja}: Σ_n j_n·b_n·stride_w(n). */
  public int aOffset(int ja) {
    return aOffsets[ja];
  }

  /** The W offset contributed by flat B index {@code kb}: Σ_n k_n·stride_w(n). */
  public int bOffset(int kb) {
    return bOffsets[kb];
  }

  /** Rejects a W whose shape is not this layout's product shape. */
  public void requireW(String what, DoubleTensor w) {
    requireShape(what, w.shape(), wShape);
  }

  static void requireShape(String what, int[] found, int[] expected) {
    if (!java.util.Arrays.equals(found, expected)) {
      throw new KronetException(
          what + " has shape " + Shapes.format(found) + ", expected " + Shapes.format(expected));
    }
  }

  private static void requirePositive(String what, int[] shape) {
    for (int d : shape) {
      if (d < 1) {
        throw new KronetException(
            "Kronecker shape " + what + " " + Shapes.format(shape) + " must have dimensions ≥ 1");
      }
    }
  }

  /** Σ_n idx_n·step_n for every row-major multi-index idx of {@code shape}. */
  private static int[] offsets(int[] shape, int[] step) {
    int[] out = new int[Shapes.numel(shape)];
    int[] idx = new int[shape.length];
    int off = 0;
    for (int flat = 0; flat < out.length; flat++) {
      out[flat] = off;
      for (int n = shape.length - 1; n >= 0; n--) {
        idx[n]++;
        off += step[n];
        if (idx[n] < shape[n]) {
          break;
        }
        off -= idx[n] * step[n];
        idx[n] = 0;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return Shapes.format(aShape) + " ⊗ " + Shapes.format(bShape) + " = " + Shapes.format(wShape);
  }
}
