package dev.kronet.engine.kernel;

import java.util.Arrays;

/**
 * The flat padded layout {@link DirectConv} computes on, for one convolution geometry.
 *
 * <p>A strided convolution is split into stride phases: phase {@code (a, b)} of the zero-padded
 * input is the plane of rows {@code sH·q + a} and columns {@code sW·r + b}. Output {@code (oy, ox)}
 * reads padded input {@code (sH·oy + ky·dH, sW·ox + kx·dW)}, which is phase {@code (ky·dH mod sH,
 * kx·dW mod sW)} at {@code (oy + ky·dH div sH, ox + kx·dW div sW)}: on phase planes every tap is a
 * stride-1 shift, so a strided convolution becomes one stride-1 correlation over {@code C × phases}
 * planes with each tap in its own phase, and no multiply is wasted on the zeros a dilated stride-1
 * kernel would carry. Stride 1 is the one-phase case.
 *
 * <p>Phase planes are {@code Hq = Ho + maxDq} rows by {@code Wq = Wo + maxDr} columns, stored flat:
 * output position {@code p = oy·Wq + ox} reads phase position {@code p + dq·Wq + dr}; the {@code Wq
 * − Wo} last columns of each output row are garbage and dropped.
 */
final class FlatLayout {
  /** Plane strides are multiples of this many floats (a 64-byte cache line). */
  static final int ALIGN = 16;

  final ConvGeometry g;

  /** Rows and columns of a phase plane. */
  final int hq;

  final int wq;

  /** Largest row and column shift of a tap on its phase plane. */
  final int maxDq;

  final int maxDr;

  /** Phases some tap reads, and the (row, column) residue of each. */
  final int phases;

  final int[] phaseRow;
  final int[] phaseCol;

  /** Per tap {@code ky·kw + kx}: its phase, and its row and column shift on that phase. */
  final int[] tapPhase;

  final int[] tapRow;
  final int[] tapCol;

  /** Output positions computed per plane: {@code Ho·Wq} rounded up to whole vectors. */
  final int outPositions;

  /** Floats per phase plane of one image: every position an output position reads, and slack. */
  final int phaseStride;

  /** Floats per input channel of one image: its phase planes side by side. */
  final int inStride;

  /** Input offset of each tap from the output position, phase planes {@link #phaseStride} apart. */
  final int[] taps;

  FlatLayout(ConvGeometry g) {
    this.g = g;
    int sh = g.strideH();
    int sw = g.strideW();
    int t = g.kernelH() * g.kernelW();
    tapPhase = new int[t];
    tapRow = new int[t];
    tapCol = new int[t];
    int[] phaseIndex = new int[sh * sw];
    Arrays.fill(phaseIndex, -1);
    for (int ky = 0; ky < g.kernelH(); ky++) {
      for (int kx = 0; kx < g.kernelW(); kx++) {
        int tap = ky * g.kernelW() + kx;
        int y = ky * g.dilationH();
        int x = kx * g.dilationW();
        phaseIndex[(y % sh) * sw + x % sw] = 0;
        tapRow[tap] = y / sh;
        tapCol[tap] = x / sw;
      }
    }
    // phases numbered in (row, column) residue order, so the layout is deterministic
    int used = 0;
    for (int i = 0; i < phaseIndex.length; i++) {
      if (phaseIndex[i] == 0) {
        phaseIndex[i] = used++;
      }
    }
    phases = used;
    phaseRow = new int[phases];
    phaseCol = new int[phases];
    for (int i = 0; i < phaseIndex.length; i++) {
      if (phaseIndex[i] >= 0) {
        phaseRow[phaseIndex[i]] = i / sw;
        phaseCol[phaseIndex[i]] = i % sw;
      }
    }
    for (int ky = 0; ky < g.kernelH(); ky++) {
      for (int kx = 0; kx < g.kernelW(); kx++) {
        int y = ky * g.dilationH();
        int x = kx * g.dilationW();
        tapPhase[ky * g.kernelW() + kx] = phaseIndex[(y % sh) * sw + x % sw];
      }
    }
    maxDq = (g.kernelH() - 1) * g.dilationH() / sh;
    maxDr = (g.kernelW() - 1) * g.dilationW() / sw;
    hq = g.outH() + maxDq;
    wq = g.outW() + maxDr;
    outPositions = roundUp(g.outH() * wq, FlatCorrelation.positionAlign());
    phaseStride = roundUp(outPositions + maxShift(), ALIGN);
    inStride = phases * phaseStride;
    taps = taps(phaseStride);
  }

  /** The tap offsets when phase planes are {@code stride} floats apart. */
  int[] taps(int stride) {
    int[] out = new int[tapPhase.length];
    for (int t = 0; t < out.length; t++) {
      out[t] = tapPhase[t] * stride + tapRow[t] * wq + tapCol[t];
    }
    return out;
  }

  /** The largest offset of a tap within its phase plane. */
  int maxShift() {
    return maxDq * wq + maxDr;
  }

  /**
   * True when the input needs no padding, no phase split and every row and column of it is read:
   * its planes are then the flat padded planes themselves (a Kronecker layer's A stage, whose input
   * the B stage computed on the padded grid).
   */
  boolean inputIsPadded() {
    return g.strideH() == 1
        && g.strideW() == 1
        && g.padTop() == 0
        && g.padLeft() == 0
        && hq == g.height()
        && wq == g.width();
  }

  /** How far the reads of one plane's positions reach past the end of an unpadded plane. */
  int readPastPlane() {
    return outPositions + maxShift() - g.height() * g.width();
  }

  /** First phase row holding an input pixel of phase {@code ph}. */
  int firstRow(int ph) {
    return Math.max(0, Math.ceilDiv(g.padTop() - phaseRow[ph], g.strideH()));
  }

  /** One past the last phase row holding an input pixel of phase {@code ph} (≤ Hq). */
  int endRow(int ph) {
    return Math.min(hq, Math.floorDiv(g.height() - 1 + g.padTop() - phaseRow[ph], g.strideH()) + 1);
  }

  int firstCol(int ph) {
    return Math.max(0, Math.ceilDiv(g.padLeft() - phaseCol[ph], g.strideW()));
  }

  int endCol(int ph) {
    return Math.min(wq, Math.floorDiv(g.width() - 1 + g.padLeft() - phaseCol[ph], g.strideW()) + 1);
  }

  /** Input pixel row of phase row {@code q}, column of phase column {@code r}. */
  int inputRow(int ph, int q) {
    return g.strideH() * q + phaseRow[ph] - g.padTop();
  }

  int inputCol(int ph, int r) {
    return g.strideW() * r + phaseCol[ph] - g.padLeft();
  }

  /** True when some input pixel lies in no phase plane (no output reads it). */
  boolean leavesPixelsUnread() {
    long covered = 0;
    for (int ph = 0; ph < phases; ph++) {
      covered +=
          (long) Math.max(0, endRow(ph) - firstRow(ph)) * Math.max(0, endCol(ph) - firstCol(ph));
    }
    return covered < (long) g.height() * g.width();
  }

  /**
   * Splits the {@code channels} planes at {@code x[xOff]} into phase planes in {@code xp}: phase ph
   * of channel c at {@code c·channelStride + ph·phaseStride + at}. Writes the same positions every
   * time, so the zero border of a buffer zeroed once stays zero.
   */
  void splitInput(
      float[] x, int xOff, int channels, float[] xp, int channelStride, int phaseStride, int at) {
    int h = g.height();
    int w = g.width();
    int sw = g.strideW();
    for (int ph = 0; ph < phases; ph++) {
      int q0 = firstRow(ph);
      int q1 = endRow(ph);
      if (pairsWithNext(ph)) {
        // columns 0 and 1 (mod 2) of the same rows: one sequential pass over each input row
        for (int ci = 0; ci < channels; ci++) {
          int src = xOff + ci * h * w;
          int dst = ci * channelStride + ph * phaseStride + at;
          for (int q = q0; q < q1; q++) {
            splitRowInTwo(x, src + inputRow(ph, q) * w, xp, dst + q * wq, phaseStride);
          }
        }
        ph++;
        continue;
      }
      int r0 = firstCol(ph);
      int r1 = endCol(ph);
      if (q1 <= q0 || r1 <= r0) {
        continue;
      }
      int x0 = inputCol(ph, r0);
      for (int ci = 0; ci < channels; ci++) {
        int src = xOff + ci * h * w + x0;
        int dst = ci * channelStride + ph * phaseStride + at + r0;
        for (int q = q0; q < q1; q++) {
          int s = src + inputRow(ph, q) * w;
          int d = dst + q * wq;
          if (sw == 1) {
            System.arraycopy(x, s, xp, d, r1 - r0);
          } else {
            for (int r = 0; r < r1 - r0; r++) {
              xp[d + r] = x[s + r * sw];
            }
          }
        }
      }
    }
  }

  /**
   * True when phase ph and the next are columns 0 and 1 of stride 2 in the same rows, so {@link
   * #splitRowInTwo} can fill both at once.
   */
  private boolean pairsWithNext(int ph) {
    return g.strideW() == 2
        && ph + 1 < phases
        && phaseCol[ph] == 0
        && phaseCol[ph + 1] == 1
        && phaseRow[ph] == phaseRow[ph + 1];
  }

  /**
   * Input row {@code x[src…]} into column phases 0 ({@code xp[d0 + r]}) and 1 ({@code xp[d0 + next
   * + r]}) of stride 2: pixel {@code col} goes to {@code r = (col + padLeft) / 2} of the phase of
   * its parity, for the pixels whose r lies on the plane.
   */
  private void splitRowInTwo(float[] x, int src, float[] xp, int d0, int next) {
    int pad = g.padLeft();
    int end = Math.min(g.width(), 2 * wq - pad);
    int d1 = d0 + next;
    int col = 0;
    if ((pad & 1) == 1 && col < end) {
      xp[d1 + (pad >> 1)] = x[src]; // the first pixel is odd on the padded grid
      col = 1;
    }
    for (; col + 1 < end; col += 2) {
      int r = (col + pad) >> 1;
      xp[d0 + r] = x[src + col];
      xp[d1 + r] = x[src + col + 1];
    }
    if (col < end) {
      int p = col + pad;
      xp[((p & 1) == 0 ? d0 : d1) + (p >> 1)] = x[src + col];
    }
  }

  /**
   * Copies the {@code filters} output-gradient planes at {@code dout[off]} into {@code dyp} (plane
   * f at {@code f·stride + at}) in the flat {@code Ho × Wq} layout; the garbage columns are never
   * written and stay zero.
   */
  void spreadOutput(float[] dout, int off, int filters, float[] dyp, int at, int stride) {
    int ho = g.outH();
    int wo = g.outW();
    for (int f = 0; f < filters; f++) {
      int src = off + f * ho * wo;
      int dst = f * stride + at;
      for (int y = 0; y < ho; y++) {
        System.arraycopy(dout, src + y * wo, dyp, dst + y * wq, wo);
      }
    }
  }

  /** {@code out[off + f·Ho·Wo + oy·Wo + ox] = yp[base + f·outPositions + oy·Wq + ox] + bias[f]}. */
  void dropGarbage(float[] yp, int base, float[] out, int off, int filters, float[] bias) {
    int ho = g.outH();
    int wo = g.outW();
    for (int f = 0; f < filters; f++) {
      int src = base + f * outPositions;
      int dst = off + f * ho * wo;
      if (bias == null) {
        for (int y = 0; y < ho; y++) {
          System.arraycopy(yp, src + y * wq, out, dst + y * wo, wo);
        }
      } else {
        float b = bias[f];
        for (int y = 0; y < ho; y++) {
          for (int xx = 0; xx < wo; xx++) {
            out[dst + y * wo + xx] = yp[src + y * wq + xx] + b;
          }
        }
      }
    }
  }

  /**
   * The input pixels' gradient from phase ph's: {@code dx[c, y, x] = dxp[base + c·stride + q·Wq + r
   * − first]} for the pixels {@code (y, x)} at phase position {@code (q, r)}.
   */
  void scatterPhase(
      int ph, float[] dxp, int base, int stride, int first, float[] dx, int dxOff, int channels) {
    int h = g.height();
    int w = g.width();
    int sw = g.strideW();
    int q0 = firstRow(ph);
    int q1 = endRow(ph);
    int r0 = firstCol(ph);
    int r1 = endCol(ph);
    if (q1 <= q0 || r1 <= r0) {
      return;
    }
    int x0 = inputCol(ph, r0);
    for (int ci = 0; ci < channels; ci++) {
      int dst = dxOff + ci * h * w + x0;
      int src = base + ci * stride + r0 - first;
      for (int q = q0; q < q1; q++) {
        int d = dst + inputRow(ph, q) * w;
        int s = src + q * wq;
        if (sw == 1) {
          System.arraycopy(dxp, s, dx, d, r1 - r0);
        } else {
          for (int r = 0; r < r1 - r0; r++) {
            dx[d + r * sw] = dxp[s + r];
          }
        }
      }
    }
  }

  static int roundUp(int v, int m) {
    return (v + m - 1) / m * m;
  }
}
