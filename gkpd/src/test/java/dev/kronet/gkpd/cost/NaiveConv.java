package dev.kronet.gkpd.cost;

/**
 * Naive double-precision references, each counting the multiply-adds it performs: a dense
 * convolution (eq. 13), Algorithm 1 laid out as the reference {@code kron_conv}: pad, a stride-1 B
 * stage over each channel group, then a dilated strided A stage summed over the R̂ terms; and, for
 * a 1×1 A, the stages swapped: A mixes the channel groups of the unpadded input, then B convolves
 * the result with the layer's stride and padding.
 */
final class NaiveConv {
  long macs;

  /** x [C, H, W], w [F, C, kh, kw] → [F, H', W']. */
  double[] dense(double[] x, int h, int wd, double[] w, ConvShape s, ConvSetting g) {
    int oh = g.outH(s.kh());
    int ow = g.outW(s.kw());
    double[] y = new double[s.f() * oh * ow];
    for (int f = 0; f < s.f(); f++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double acc = 0;
          for (int c = 0; c < s.c(); c++) {
            for (int i = 0; i < s.kh(); i++) {
              for (int j = 0; j < s.kw(); j++) {
                int iy = oy * g.spec().strideH() + i - g.spec().padTop();
                int ix = ox * g.spec().strideW() + j - g.spec().padLeft();
                double v = iy < 0 || iy >= h || ix < 0 || ix >= wd ? 0 : x[(c * h + iy) * wd + ix];
                acc += w[((f * s.c() + c) * s.kh() + i) * s.kw() + j] * v;
                macs++;
              }
            }
          }
          y[(f * oh + oy) * ow + ox] = acc;
        }
      }
    }
    return y;
  }

  /** x [C, H, W], A [R, F1, C1, kh1, kw1], B [R, F2, C2, kh2, kw2] → [F1·F2, H', W']. */
  double[] kronecker(
      double[] x,
      int h,
      int wd,
      double[] a,
      double[] b,
      ConvShape as,
      ConvShape bs,
      int rank,
      ConvSetting g) {
    int p = squarePadding(g);
    // a 1×1 B runs on the unpadded input and the A stage pads (the zero border mixes to zeros)
    boolean pointwiseB = bs.kh() == 1 && bs.kw() == 1;
    int pb = pointwiseB ? 0 : p;
    int pa = pointwiseB ? p : 0;
    int h1 = h + 2 * pb - bs.kh() + 1;
    int w1 = wd + 2 * pb - bs.kw() + 1;
    int c1n = as.c();
    int f2n = bs.f();
    // Stage 1 (B): z[r, c1, f2, y1, x1].
    double[] z = new double[rank * c1n * f2n * h1 * w1];
    for (int r = 0; r < rank; r++) {
      for (int c1 = 0; c1 < c1n; c1++) {
        for (int f2 = 0; f2 < f2n; f2++) {
          for (int y1 = 0; y1 < h1; y1++) {
            for (int x1 = 0; x1 < w1; x1++) {
              double acc = 0;
              for (int c2 = 0; c2 < bs.c(); c2++) {
                for (int i2 = 0; i2 < bs.kh(); i2++) {
                  for (int j2 = 0; j2 < bs.kw(); j2++) {
                    int c = c1 * bs.c() + c2;
                    int iy = y1 + i2 - pb;
                    int ix = x1 + j2 - pb;
                    double v =
                        iy < 0 || iy >= h || ix < 0 || ix >= wd ? 0 : x[(c * h + iy) * wd + ix];
                    int bi = (((r * f2n + f2) * bs.c() + c2) * bs.kh() + i2) * bs.kw() + j2;
                    acc += b[bi] * v;
                    macs++;
                  }
                }
              }
              z[(((r * c1n + c1) * f2n + f2) * h1 + y1) * w1 + x1] = acc;
            }
          }
        }
      }
    }
    // Stage 2 (A): dilation (kh2, kw2), stride s, summed over r.
    ConvShape ws = as.times(bs);
    int oh = g.outH(ws.kh());
    int ow = g.outW(ws.kw());
    double[] y = new double[ws.f() * oh * ow];
    for (int f1 = 0; f1 < as.f(); f1++) {
      for (int f2 = 0; f2 < f2n; f2++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double acc = 0;
            for (int r = 0; r < rank; r++) {
              for (int c1 = 0; c1 < c1n; c1++) {
                for (int i1 = 0; i1 < as.kh(); i1++) {
                  for (int j1 = 0; j1 < as.kw(); j1++) {
                    int y1 = oy * g.spec().strideH() + i1 * bs.kh() - pa;
                    int x1 = ox * g.spec().strideW() + j1 * bs.kw() - pa;
                    int ai = (((r * as.f() + f1) * c1n + c1) * as.kh() + i1) * as.kw() + j1;
                    boolean inside = y1 >= 0 && y1 < h1 && x1 >= 0 && x1 < w1;
                    double v = inside ? z[(((r * c1n + c1) * f2n + f2) * h1 + y1) * w1 + x1] : 0;
                    acc += a[ai] * v;
                    macs++;
                  }
                }
              }
            }
            y[((f1 * f2n + f2) * oh + oy) * ow + ox] = acc;
          }
        }
      }
    }
    return y;
  }

  /** The A-first order for a 1×1 A: same arguments and result as {@link #kronecker}. */
  double[] kroneckerAFirst(
      double[] x,
      int h,
      int wd,
      double[] a,
      double[] b,
      ConvShape as,
      ConvShape bs,
      int rank,
      ConvSetting g) {
    if (as.kh() != 1 || as.kw() != 1) {
      throw new IllegalArgumentException("A first needs a 1×1 A, got " + as);
    }
    int c1n = as.c();
    int c2n = bs.c();
    int f1n = as.f();
    // Stage 1 (A): u[r, f1, c2, y, x] on the unpadded grid.
    double[] u = new double[rank * f1n * c2n * h * wd];
    for (int r = 0; r < rank; r++) {
      for (int f1 = 0; f1 < f1n; f1++) {
        for (int c2 = 0; c2 < c2n; c2++) {
          for (int p = 0; p < h * wd; p++) {
            double acc = 0;
            for (int c1 = 0; c1 < c1n; c1++) {
              acc += a[(r * f1n + f1) * c1n + c1] * x[(c1 * c2n + c2) * h * wd + p];
              macs++;
            }
            u[((r * f1n + f1) * c2n + c2) * h * wd + p] = acc;
          }
        }
      }
    }
    // Stage 2 (B): the layer's stride and padding, summed over r and c2.
    int oh = g.outH(bs.kh());
    int ow = g.outW(bs.kw());
    int f2n = bs.f();
    double[] y = new double[f1n * f2n * oh * ow];
    for (int f1 = 0; f1 < f1n; f1++) {
      for (int f2 = 0; f2 < f2n; f2++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double acc = 0;
            for (int r = 0; r < rank; r++) {
              for (int c2 = 0; c2 < c2n; c2++) {
                for (int i = 0; i < bs.kh(); i++) {
                  for (int j = 0; j < bs.kw(); j++) {
                    int iy = oy * g.spec().strideH() + i - g.spec().padTop();
                    int ix = ox * g.spec().strideW() + j - g.spec().padLeft();
                    double v =
                        iy < 0 || iy >= h || ix < 0 || ix >= wd
                            ? 0
                            : u[(((r * f1n + f1) * c2n + c2) * h + iy) * wd + ix];
                    int bi = (((r * f2n + f2) * c2n + c2) * bs.kh() + i) * bs.kw() + j;
                    acc += b[bi] * v;
                    macs++;
                  }
                }
              }
            }
            y[((f1 * f2n + f2) * oh + oy) * ow + ox] = acc;
          }
        }
      }
    }
    return y;
  }

  /**
   * The one padding of a setting padded alike on every side, dilation 1 (all this reference runs).
   */
  private static int squarePadding(ConvSetting g) {
    var s = g.spec();
    if (s.padTop() != s.padBottom()
        || s.padTop() != s.padLeft()
        || s.padLeft() != s.padRight()
        || s.dilationH() != 1
        || s.dilationW() != 1) {
      throw new IllegalArgumentException(
          "the naive Kronecker reference runs even padding only: " + s);
    }
    return s.padTop();
  }
}
