package dev.kronet.gkpd.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.Tensor;

/**
 * Comparison bounds for float32 convolutions computed two ways. A float32 sum of K products has an
 * error of at most {@code γ_K·Σ|w·x|} with {@code γ_K ≈ K·u}, u = 2⁻²⁴ (Higham, Accuracy and
 * Stability, §3.1); the Kronecker path sums in two stages of at most K products each and over R
 * terms, and a rebuilt weight carries one more rounding per term, so both paths lie within {@code
 * (K + R)·u·S} of the exact value, where {@code S = K·max|x|·(R·max|A|·max|B| + max|W|)} bounds
 * every Σ|w·x| involved. Twice that bounds their difference; one more factor 2 leaves room for the
 * double-to-float narrowing of the inputs. An indexing error changes outputs by O(S/K), far above.
 */
final class Tolerance {
  private Tolerance() {}

  static final double UNIT_ROUNDOFF = 0x1p-24;

  static double maxAbs(Tensor t) {
    double m = 0;
    for (float v : t.toArray()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** 4·(K + R)·u·S for the bound S of the class comment; {@code w} may be null. */
  static double kronecker(int fanIn, int rank, Tensor x, Tensor a, Tensor b, Tensor w) {
    double s = fanIn * maxAbs(x) * (rank * maxAbs(a) * maxAbs(b) + (w == null ? 0 : maxAbs(w)));
    return 4.0 * (fanIn + rank) * UNIT_ROUNDOFF * s;
  }

  /** The same bound for two dense products of K terms with weights bounded by max|w|. */
  static double dense(int fanIn, Tensor x, Tensor w) {
    return 4.0 * fanIn * UNIT_ROUNDOFF * fanIn * maxAbs(x) * maxAbs(w);
  }

  /** max |a − b| over elements, after checking the shapes agree. */
  static double maxDiff(Tensor a, Tensor b) {
    assertArrayEquals(a.shape(), b.shape(), "shapes differ");
    float[] x = a.toArray();
    float[] y = b.toArray();
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs((double) x[i] - y[i]));
    }
    return m;
  }
}
