package dev.kronet.engine.kernel;

/**
 * Small matrices applied to rows of floats: the kernels of {@link
 * dev.kronet.engine.ops.ChannelMix}, a 1×1 convolution whose channel counts are too small for a
 * packed GEMM (the pointwise stage of a Kronecker layer mixes C2 = 4 channels into R·F2 = 12:
 * packing cost more than the multiply). Rows are given by an offset and a row stride, so results
 * can be written straight into a permuted layout.
 *
 * <p>These are the scalar twins; {@link RowMixSimd} runs the same loops on the Vector API.
 */
public final class RowMix {
  private RowMix() {}

  /**
   * {@code out[outOff + m·outStride + p] = Σ_k w[m·K + k] · in[inOff + k·inStride + p]} for m < M,
   * p < P: w is {@code [M, K]} row-major.
   */
  public static void apply(
      float[] w,
      int m,
      int k,
      float[] in,
      int inOff,
      int inStride,
      float[] out,
      int outOff,
      int outStride,
      int p,
      boolean simd) {
    if (simd) {
      RowMixSimd.apply(w, m, k, in, inOff, inStride, out, outOff, outStride, p);
      return;
    }
    for (int i = 0; i < m; i++) {
      int o = outOff + i * outStride;
      for (int q = 0; q < p; q++) {
        float sum = 0f;
        for (int j = 0; j < k; j++) {
          sum += w[i * k + j] * in[inOff + j * inStride + q];
        }
        out[o + q] = sum;
      }
    }
  }

  /**
   * {@code lanes[(m·K + k)·L + l] += Σ_{p ≡ l mod L} a[aOff + m·aStride + p] · b[bOff + k·bStride +
   * p]} for m < M, k < K: the M×K dot products of two sets of rows, each kept as L lane partial
   * sums ({@code laneCount}; 1 for the scalar twin) that the caller adds up once, in lane order.
   */
  public static void dots(
      float[] a,
      int aOff,
      int aStride,
      int m,
      float[] b,
      int bOff,
      int bStride,
      int k,
      int p,
      float[] lanes,
      boolean simd) {
    if (simd) {
      RowMixSimd.dots(a, aOff, aStride, m, b, bOff, bStride, k, p, lanes);
      return;
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        float sum = 0f;
        int ra = aOff + i * aStride;
        int rb = bOff + j * bStride;
        for (int q = 0; q < p; q++) {
          sum += a[ra + q] * b[rb + q];
        }
        lanes[i * k + j] += sum;
      }
    }
  }
}
