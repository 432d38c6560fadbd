package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.LaneSums;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.kernel.RowMix;
import dev.kronet.engine.kernel.Simd;
import java.util.List;

/**
 * A 1×1 convolution over the inner channel axis of a grouped layout, written with the groups moved
 * inside: {@code out[n, m, c, p] = Σ_k w[m, k] · x[n, c, k, p]}. Equal to {@code matmul(w,
 * x).permute(0, 2, 1, 3)} without the permute's copy and without a packed GEMM, whose packing
 * dominates when K and M are a handful of channels (the pointwise stage of a Kronecker layer: K =
 * C2, M = R̂·F2, a few each, against N·C1·H·W positions).
 *
 * <p>Backward: {@code dx[n, c, k, p] = Σ_m w[m, k] · dout[n, m, c, p]} and {@code dw[m, k] = Σ_{n,
 * c, p} dout[n, m, c, p] · x[n, c, k, p]}, the latter summed per chunk of images and the chunk sums
 * added in chunk order (deterministic for a fixed thread count).
 */
public final class ChannelMix {
  private ChannelMix() {}

  /** Images a chunk should hold at least: about this many multiply-adds. */
  private static final int MIN_CHUNK_WORK = 1 << 16;

  /** {@code w [M, K]}, {@code x [N, C, K, P]} → {@code [N, M, C, P]}; differentiable in both. */
  public static Tensor mix(Tensor w, Tensor x) {
    int[] ws = w.shape();
    int[] xs = x.shape();
    if (ws.length != 2) {
      throw new KronetException("channelMix: w must be [M, K], got shape " + Shapes.format(ws));
    }
    if (xs.length != 4 || xs[2] != ws[1]) {
      throw new KronetException(
          "channelMix: x must be [N, C, K, P] with K = "
              + ws[1]
              + " (the columns of w "
              + Shapes.format(ws)
              + "), got shape "
              + Shapes.format(xs));
    }
    int n = xs[0];
    int c = xs[1];
    int k = xs[2];
    int p = xs[3];
    int m = ws[0];
    float[] wd = w.contiguousData();
    float[] xd = x.contiguousData();
    float[] out = new float[n * m * c * p];
    OpCounter.record((long) n * m * c * k * p);
    boolean simd = Simd.ENABLED;
    int minChunk = minChunk(m, c, k, p);
    Parallel.forRange(
        n,
        minChunk,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            for (int g = 0; g < c; g++) {
              RowMix.apply(
                  wd, m, k, xd, (i * c + g) * k * p, p, out, (i * m * c + g) * p, c * p, p, simd);
            }
          }
        });
    return Tensor.fromOp(
        "channelMix",
        out,
        new int[] {n, m, c, p},
        gradOut -> {
          float[] dout = gradOut.contiguousData();
          Tensor dw =
              w.requiresGrad() ? Tensor.wrap(weightGrad(dout, xd, n, m, c, k, p), ws) : null;
          Tensor dx = x.requiresGrad() ? Tensor.wrap(inputGrad(dout, wd, n, m, c, k, p), xs) : null;
          return new Tensor[] {dw, dx};
        },
        w,
        x);
  }

  private static float[] inputGrad(float[] dout, float[] w, int n, int m, int c, int k, int p) {
    float[] wt = new float[k * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        wt[j * m + i] = w[i * k + j];
      }
    }
    float[] dx = new float[n * c * k * p];
    boolean simd = Simd.ENABLED;
    Parallel.forRange(
        n,
        minChunk(m, c, k, p),
        (from, to) -> {
          for (int i = from; i < to; i++) {
            for (int g = 0; g < c; g++) {
              RowMix.apply(
                  wt, k, m, dout, (i * m * c + g) * p, c * p, dx, (i * c + g) * k * p, p, p, simd);
            }
          }
        });
    return dx;
  }

  private static float[] weightGrad(float[] dout, float[] x, int n, int m, int c, int k, int p) {
    boolean simd = Simd.ENABLED;
    int lanes = simd ? Simd.floatLanes() : 1;
    List<float[]> partials =
        Parallel.partials(
            n,
            minChunk(m, c, k, p),
            (from, to) -> {
              float[] acc = new float[m * k * lanes];
              for (int i = from; i < to; i++) {
                for (int g = 0; g < c; g++) {
                  RowMix.dots(
                      dout,
                      (i * m * c + g) * p,
                      c * p,
                      m,
                      x,
                      (i * c + g) * k * p,
                      p,
                      k,
                      p,
                      acc,
                      simd);
                }
              }
              return acc;
            });
    float[] dw = new float[m * k];
    for (float[] acc : partials) {
      LaneSums.addTo(acc, lanes, dw);
    }
    return dw;
  }

  private static int minChunk(int m, int c, int k, int p) {
    long perImage = (long) m * c * k * p;
    return (int) Math.max(1, MIN_CHUNK_WORK / Math.max(1, perImage));
  }
}
