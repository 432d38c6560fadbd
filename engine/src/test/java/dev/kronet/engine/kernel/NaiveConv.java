package dev.kronet.engine.kernel;

import dev.kronet.engine.Rng;

/**
 * The textbook 7-loop grouped convolution in double, the oracle for every convolution kernel and op
 * test. It shares no code with the kernels: every index is computed from the definition {@code
 * out[n,f,oy,ox] = b[f] + Σ_{c,ky,kx} w[f,c,ky,kx]·x[n, g·Cg+c, oy·sH−pT+ky·dH, ox·sW−pL+kx·dW]}.
 */
public final class NaiveConv {
  private NaiveConv() {}

  /** All sizes of one convolution; outH/outW follow PyTorch's formula. */
  public record Dims(
      int n,
      int c,
      int h,
      int w,
      int f,
      int kh,
      int kw,
      int strideH,
      int strideW,
      int padTop,
      int padBottom,
      int padLeft,
      int padRight,
      int dilationH,
      int dilationW,
      int groups) {
    /**
     * The kernel geometry of these sizes for {@code channels} input channels (one group's, or all
     * of them for depthwise kernels).
     */
    public ConvGeometry geometry(int channels) {
      return new ConvGeometry(
          channels,
          h(),
          w(),
          kh(),
          kw(),
          strideH(),
          strideW(),
          padTop(),
          padLeft(),
          dilationH(),
          dilationW(),
          outH(),
          outW());
    }

    public int outH() {
      return (h + padTop + padBottom - dilationH * (kh - 1) - 1) / strideH + 1;
    }

    public int outW() {
      return (w + padLeft + padRight - dilationW * (kw - 1) - 1) / strideW + 1;
    }

    public int outNumel() {
      return n * f * outH() * outW();
    }
  }

  @FunctionalInterface
  private interface Visit {
    void at(int out, int in, int weight);
  }

  private static void forEachTerm(Dims d, Visit v) {
    int cg = d.c() / d.groups();
    int fg = d.f() / d.groups();
    int oh = d.outH();
    int ow = d.outW();
    for (int n = 0; n < d.n(); n++) {
      for (int f = 0; f < d.f(); f++) {
        int group = f / fg;
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            int o = ((n * d.f() + f) * oh + oy) * ow + ox;
            for (int ci = 0; ci < cg; ci++) {
              int c = group * cg + ci;
              for (int ky = 0; ky < d.kh(); ky++) {
                int iy = oy * d.strideH() - d.padTop() + ky * d.dilationH();
                for (int kx = 0; kx < d.kw(); kx++) {
                  int ix = ox * d.strideW() - d.padLeft() + kx * d.dilationW();
                  if (iy < 0 || iy >= d.h() || ix < 0 || ix >= d.w()) {
                    continue;
                  }
                  int in = ((n * d.c() + c) * d.h() + iy) * d.w() + ix;
                  int wi = ((f * cg + ci) * d.kh() + ky) * d.kw() + kx;
                  v.at(o, in, wi);
                }
              }
            }
          }
        }
      }
    }
  }

  /** {@code [values, Σ|terms|]} of the forward pass; bias may be null. */
  public static double[][] forward(Dims d, float[] x, float[] w, float[] bias) {
    double[] out = new double[d.outNumel()];
    double[] abs = new double[out.length];
    int plane = d.outH() * d.outW();
    for (int o = 0; o < out.length; o++) {
      double b = bias == null ? 0 : bias[(o / plane) % d.f()];
      out[o] = b;
      abs[o] = Math.abs(b);
    }
    forEachTerm(
        d,
        (o, in, wi) -> {
          double t = (double) x[in] * w[wi];
          out[o] += t;
          abs[o] += Math.abs(t);
        });
    return new double[][] {out, abs};
  }

  /** ∂L/∂x given ∂L/∂out. */
  public static double[] inputGrad(Dims d, float[] dout, float[] w) {
    double[] dx = new double[d.n() * d.c() * d.h() * d.w()];
    forEachTerm(d, (o, in, wi) -> dx[in] += (double) dout[o] * w[wi]);
    return dx;
  }

  /** ∂L/∂w given ∂L/∂out. */
  public static double[] weightGrad(Dims d, float[] dout, float[] x) {
    double[] dw = new double[d.f() * (d.c() / d.groups()) * d.kh() * d.kw()];
    forEachTerm(d, (o, in, wi) -> dw[wi] += (double) dout[o] * x[in]);
    return dw;
  }

  /** An input-gradient kernel under test: dx of an ungrouped convolution from dout and w. */
  @FunctionalInterface
  public interface InputGradientKernel {
    void compute(ConvGeometry g, int filters, int batch, float[] dout, float[] w, float[] dx);
  }

  /**
   * Runs an ungrouped input-gradient kernel on case d with weights and output gradient drawn from
   * {@code d.hashCode() + salt} and asserts its dx against {@link #inputGrad}. A kernel that
   * overwrites dx gets it filled with garbage first; one that needs zeros on entry gets zeros.
   */
  public static void assertInputGradient(
      Dims d, long salt, boolean overwrites, InputGradientKernel kernel) {
    Rng rng = new Rng(d.hashCode() + salt);
    float[] w = random(rng, d.f() * d.c() * d.kh() * d.kw());
    float[] dout = random(rng, d.outNumel());
    int size = d.n() * d.c() * d.h() * d.w();
    float[] dx = overwrites ? random(rng, size) : new float[size];
    kernel.compute(d.geometry(d.c()), d.f(), d.n(), dout, w, dx);
    assertClose("dx", inputGrad(d, dout, w), inputGradScale(d, dout, w), dx);
  }

  /** Σ|terms| of each entry of {@link #inputGrad}, for float-rounding tolerances. */
  public static double[] inputGradScale(Dims d, float[] dout, float[] w) {
    double[] s = new double[d.n() * d.c() * d.h() * d.w()];
    forEachTerm(d, (o, in, wi) -> s[in] += Math.abs((double) dout[o] * w[wi]));
    return s;
  }

  /** Σ|terms| of each entry of {@link #weightGrad}. */
  public static double[] weightGradScale(Dims d, float[] dout, float[] x) {
    double[] s = new double[d.f() * (d.c() / d.groups()) * d.kh() * d.kw()];
    forEachTerm(d, (o, in, wi) -> s[wi] += Math.abs((double) dout[o] * x[in]));
    return s;
  }

  /**
   * Asserts {@code |got − want| ≤ 1e-5·scale + 1e-6} elementwise: float32 summation of K terms errs
   * by at most about {@code K·6e-8·Σ|terms|}, and our sums have K ≲ 150.
   */
  public static void assertClose(String what, double[] want, double[] scale, float[] got) {
    if (want.length != got.length) {
      throw new AssertionError(what + ": length " + got.length + ", expected " + want.length);
    }
    for (int i = 0; i < want.length; i++) {
      double tol = 1e-5 * scale[i] + 1e-6;
      if (!(Math.abs(got[i] - want[i]) <= tol)) {
        throw new AssertionError(
            what
                + "["
                + i
                + "] = "
                + got[i]
                + ", expected "
                + want[i]
                + " (tolerance "
                + tol
                + ")");
      }
    }
  }

  /** n standard-normal floats. */
  public static float[] random(Rng rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }
}
