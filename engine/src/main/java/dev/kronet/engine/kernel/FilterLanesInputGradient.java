package dev.kronet.engine.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The input gradient of an ungrouped convolution with the input channels in the vector lanes (the
 * register tiles of {@link FilterLanesSimd}, as {@link FilterLanesConv}'s forward pass):
 *
 * <pre>
 *   dx[c, y, x] = Σ_f Σ_(ky,kx) dy[f, oy, ox] · w[f, c, ky, kx],
 *   where y = oy·sH − padTop + ky·dH  and  x = ox·sW − padLeft + kx·dW
 * </pre>
 *
 * Input pixels fall into stride phases by {@code ((y + padTop) mod sH, (x + padLeft) mod sW)}, and
 * all pixels of a phase are reached by the same taps: those with {@code ky·dH ≡ (y + padTop) (mod
 * sH)} (and the same across). Within a phase, {@code oy = Y − ⌊ky·dH / sH⌋} with {@code Y = (y +
 * padTop − phase row) / sH}: a correlation of the output gradient, zero-padded by {@code ⌊(kh−1)·dH
 * / sH⌋} rows on top (columns likewise), with the phase's taps of the kernel flipped and
 * transposed. Each phase is one list of pixels for the tiles; a phase no tap reaches (a 1×1 kernel
 * at stride 2) gets zeros. At stride 1 there is a single phase holding every pixel in order, whose
 * result is transposed into the planes a lanes × lanes block at a time; strided phases are
 * scattered back pixel by pixel.
 *
 * <p>Measured on one thread, batch 128, input gradient alone, ms before → after: 32→64 3×3 stride 2
 * on 14×14 5.4–5.6 → 4.5 ({@link DirectConv}'s phases), 64→64 3×3 on 7×7 5.1 → 4.1–4.9. Each
 * element is one FMA chain over (filter, tap) in a fixed order; images are independent, so the
 * result is the same for every thread count.
 *
 * <p>Measured and left to the other kernels (one thread, batch 128, input gradient alone):
 * one-vector tiles for 16 channels at 16 lanes (16→16 3×3 at stride 1, no faster than {@link
 * DirectConv}; 16→32 stride 2, within noise of it: {@link PhaseLanesInputGradient} puts the stride
 * phases in the lanes too; at 8 lanes 16 channels are two vectors and this kernel takes them), and
 * 1×1 stride-2 shortcuts (16→32 2.0 → 2.7 ms, 32→64 1.2 → 1.7 against {@link Conv2dGemm}: three of
 * four phases are zeros, and the one left has a short sum; {@link StridedPointwiseInputGradient}
 * computes only that phase, without copies).
 */
public final class FilterLanesInputGradient {
  private FilterLanesInputGradient() {}

  /** {@code dx [N, C, H, W] = ∂L/∂x} given {@code dout [N, F, Ho, Wo]}; dx is overwritten. */
  public static void backwardInput(
      ConvGeometry g, int filters, int batch, float[] dout, float[] w, float[] dx) {
    int c = g.channels();
    int cv = FilterLanesSimd.blockWidth(c);
    int pixels = FilterLanesSimd.tileRows(cv);
    int reachH = (g.kernelH() - 1) * g.dilationH() / g.strideH();
    int reachW = (g.kernelW() - 1) * g.dilationW() / g.strideW();
    // rows of the padded output gradient: all it holds, and every row a phase pixel reads
    int hd = Math.max(g.outH(), (g.height() - 1 + g.padTop()) / g.strideH() + 1) + reachH;
    int wd = Math.max(g.outW(), (g.width() - 1 + g.padLeft()) / g.strideW() + 1) + reachW;
    List<Phase> phases = new ArrayList<>();
    for (int ry = 0; ry < g.strideH(); ry++) {
      for (int rx = 0; rx < g.strideW(); rx++) {
        Phase ph = new Phase(g, w, filters, cv, pixels, ry, rx, reachH, reachW, hd, wd);
        if (ph.count > 0) {
          phases.add(ph);
        }
      }
    }
    int longest = phases.stream().mapToInt(ph -> ph.base.length).max().orElse(0);
    int blocks = c / cv;
    int plane = g.inPlane();
    long macs = (long) c * g.outPlane() * filters * g.kernelH() * g.kernelW();
    int minChunk = FilterLanesConv.minChunk(macs);
    boolean single = phases.size() == 1 && phases.get(0).count == plane;
    Parallel.forRange(
        batch,
        minChunk,
        (from, to) -> {
          float[] dyp = new float[filters * hd * wd];
          float[] yp = new float[blocks * longest * cv];
          for (int n = from; n < to; n++) {
            FilterLanesConv.padPlanes(
                dout,
                n * filters * g.outPlane(),
                filters,
                g.outH(),
                g.outW(),
                dyp,
                0,
                hd,
                wd,
                reachH,
                reachW);
            int dxOff = n * c * plane;
            for (Phase ph : phases) {
              int tiled = ph.base.length;
              for (int b = 0; b < blocks; b++) {
                int wo = b * ph.offsets.length * cv;
                for (int q0 = 0; q0 < tiled; q0 += pixels) {
                  int yo = (b * tiled + q0) * cv;
                  FilterLanesSimd.tile(cv, dyp, ph.base, q0, ph.offsets, ph.packed, wo, yp, yo);
                }
              }
              if (single) {
                FilterLanesConv.unpack(yp, tiled, cv, c, plane, null, dx, dxOff);
              } else {
                ph.scatter(yp, cv, c, plane, dx, dxOff);
              }
            }
          }
        });
  }

  /**
   * One stride phase: its pixels (plane offsets {@code target}, windows {@code base} in the padded
   * output gradient, padded to whole tiles by repeating the last), the offsets of its (filter, tap)
   * terms, and its weights packed {@code [C/cv][F·taps][cv]}.
   */
  private static final class Phase {
    final int count;
    final int[] target;
    final int[] base;
    final int[] offsets;
    final float[] packed;

    Phase(
        ConvGeometry g,
        float[] w,
        int filters,
        int cv,
        int pixels,
        int ry,
        int rx,
        int reachH,
        int reachW,
        int hd,
        int wd) {
      List<int[]> taps = new ArrayList<>();
      for (int ky = 0; ky < g.kernelH(); ky++) {
        for (int kx = 0; kx < g.kernelW(); kx++) {
          if (ky * g.dilationH() % g.strideH() == ry && kx * g.dilationW() % g.strideW() == rx) {
            taps.add(new int[] {ky, kx});
          }
        }
      }
      int y0 = Math.floorMod(ry - g.padTop(), g.strideH());
      int x0 = Math.floorMod(rx - g.padLeft(), g.strideW());
      int rows = y0 < g.height() ? (g.height() - 1 - y0) / g.strideH() + 1 : 0;
      int cols = x0 < g.width() ? (g.width() - 1 - x0) / g.strideW() + 1 : 0;
      count = rows * cols;
      target = new int[count];
      int tiled = count == 0 ? 0 : (count + pixels - 1) / pixels * pixels;
      base = new int[tiled];
      for (int q = 0; q < tiled; q++) {
        int real = Math.min(q, count - 1);
        int y = y0 + real / cols * g.strideH();
        int x = x0 + real % cols * g.strideW();
        if (q < count) {
          target[q] = y * g.width() + x;
        }
        base[q] = (y + g.padTop() - ry) / g.strideH() * wd + (x + g.padLeft() - rx) / g.strideW();
      }
      int t = taps.size();
      offsets = new int[filters * t];
      int c = g.channels();
      int kt = g.kernelH() * g.kernelW();
      packed = new float[c * filters * t];
      for (int f = 0; f < filters; f++) {
        for (int i = 0; i < t; i++) {
          int ky = taps.get(i)[0];
          int kx = taps.get(i)[1];
          int up = ky * g.dilationH() / g.strideH();
          int left = kx * g.dilationW() / g.strideW();
          int k = f * t + i;
          offsets[k] = f * hd * wd + (reachH - up) * wd + reachW - left;
          for (int ci = 0; ci < c; ci++) {
            packed[(ci / cv * filters * t + k) * cv + ci % cv] =
                w[(f * c + ci) * kt + ky * g.kernelW() + kx];
          }
        }
      }
    }

    /** The phase's results ({@code [C/cv][tiled pixel][cv]}) into their pixels of dx's planes. */
    void scatter(float[] yp, int cv, int c, int plane, float[] dx, int dxOff) {
      int tiled = base.length;
      for (int ci = 0; ci < c; ci++) {
        int src = ci / cv * tiled * cv + ci % cv;
        int dst = dxOff + ci * plane;
        for (int q = 0; q < count; q++) {
          dx[dst + target[q]] = yp[src + q * cv];
        }
      }
    }
  }
}
