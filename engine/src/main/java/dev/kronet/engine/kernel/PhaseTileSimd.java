package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PhaseLanesInputGradient}'s register tile for the commonest strided kernel, 3×3 at stride 2
 * with padding 1 (every downsampling convolution of the ResNet family): 4 super-pixels × the 4
 * stride phases of 16 channels, with only the 9 useful multiply-adds per (super-pixel, filter).
 *
 * <p>With {@code d_ab} the output gradient at super-pixel {@code (Y + a, X + b)} and {@code W_yx}
 * the 16 channels' weights {@code w[f, c, y, x]}, the four phases of super-pixel {@code (Y, X)}
 * receive, per filter:
 *
 * <pre>
 *   phase (0, 0):  W11·d00
 *   phase (0, 1):  W10·d01 + W12·d00
 *   phase (1, 0):  W01·d10 + W21·d00
 *   phase (1, 1):  W00·d11 + W02·d10 + W20·d01 + W22·d00
 * </pre>
 *
 * The generic (phase, channel) tile multiplies the same 2×2 super-kernel against all four phases,
 * 16 products of which 7 are by zero weights. Registers: 16 accumulators, 9 weight vectors and the
 * broadcasts, within AVX-512's 32. Loaded only when {@link Simd#ENABLED}; written for 16 lanes and
 * 32 registers, where {@link ConvPlanner} alone takes it.
 */
final class PhaseTileSimd {
  // fused where the CPU has the instruction, written at each use: see KernelSpecies.NATIVE_FMA
  private static final boolean FMA = KernelSpecies.NATIVE_FMA;

  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;

  /** Super-pixels per tile. */
  static final int PIXELS = 4;

  /** Weight floats per filter and 16-channel block: 9 taps × 16 lanes, row-major taps. */
  static final int FILTER_FLOATS = 9 * 16;

  private PhaseTileSimd() {}

  /**
   * Sums over {@code filters} for super-pixels {@code base[q0 … q0+3]} (offsets of {@code d00} in
   * the padded output gradient {@code dyp}, whose rows are {@code wd} floats and whose filter
   * planes are {@code planeFloats} apart), with weights at {@code wp[wo + f·144 + tap·16]}; writes
   * phase p of tile pixel i at {@code yp[yo + i·rowStride + p·phaseStride]} (16 floats).
   */
  static void tile(
      float[] dyp,
      int[] base,
      int q0,
      int filters,
      int planeFloats,
      int wd,
      float[] wp,
      int wo,
      float[] yp,
      int yo,
      int rowStride,
      int phaseStride) {
    int b0 = base[q0];
    int b1 = base[q0 + 1];
    int b2 = base[q0 + 2];
    int b3 = base[q0 + 3];
    FloatVector z = FloatVector.zero(S);
    FloatVector p00 = z;
    FloatVector p01 = z;
    FloatVector p02 = z;
    FloatVector p03 = z;
    FloatVector p10 = z;
    FloatVector p11 = z;
    FloatVector p12 = z;
    FloatVector p13 = z;
    FloatVector p20 = z;
    FloatVector p21 = z;
    FloatVector p22 = z;
    FloatVector p23 = z;
    FloatVector p30 = z;
    FloatVector p31 = z;
    FloatVector p32 = z;
    FloatVector p33 = z;
    int down = wd;
    int diagonal = wd + 1;
    for (int f = 0, o = 0, wi = wo; f < filters; f++, o += planeFloats, wi += FILTER_FLOATS) {
      FloatVector w00 = FloatVector.fromArray(S, wp, wi);
      FloatVector w01 = FloatVector.fromArray(S, wp, wi + 16);
      FloatVector w02 = FloatVector.fromArray(S, wp, wi + 32);
      FloatVector w10 = FloatVector.fromArray(S, wp, wi + 48);
      FloatVector w11 = FloatVector.fromArray(S, wp, wi + 64);
      FloatVector w12 = FloatVector.fromArray(S, wp, wi + 80);
      FloatVector w20 = FloatVector.fromArray(S, wp, wi + 96);
      FloatVector w21 = FloatVector.fromArray(S, wp, wi + 112);
      FloatVector w22 = FloatVector.fromArray(S, wp, wi + 128);
      int i;
      FloatVector d00;
      FloatVector d01;
      FloatVector d10;
      FloatVector d11;
      // pixel 0
      i = b0 + o;
      d00 = FloatVector.broadcast(S, dyp[i]);
      d01 = FloatVector.broadcast(S, dyp[i + 1]);
      d10 = FloatVector.broadcast(S, dyp[i + down]);
      d11 = FloatVector.broadcast(S, dyp[i + diagonal]);
      p00 = FMA ? w11.fma(d00, p00) : w11.mul(d00).add(p00);
      p01 =
          FMA
              ? w10.fma(d01, (FMA ? w12.fma(d00, p01) : w12.mul(d00).add(p01)))
              : w10.mul(d01).add((FMA ? w12.fma(d00, p01) : w12.mul(d00).add(p01)));
      p02 =
          FMA
              ? w01.fma(d10, (FMA ? w21.fma(d00, p02) : w21.mul(d00).add(p02)))
              : w01.mul(d10).add((FMA ? w21.fma(d00, p02) : w21.mul(d00).add(p02)));
      p03 =
          FMA
              ? w00.fma(
                  d11,
                  (FMA
                      ? w02.fma(
                          d10,
                          (FMA
                              ? w20.fma(d01, (FMA ? w22.fma(d00, p03) : w22.mul(d00).add(p03)))
                              : w20.mul(d01)
                                  .add((FMA ? w22.fma(d00, p03) : w22.mul(d00).add(p03)))))
                      : w02.mul(d10)
                          .add(
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p03) : w22.mul(d00).add(p03)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p03) : w22.mul(d00).add(p03)))))))
              : w00.mul(d11)
                  .add(
                      (FMA
                          ? w02.fma(
                              d10,
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p03) : w22.mul(d00).add(p03)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p03) : w22.mul(d00).add(p03)))))
                          : w02.mul(d10)
                              .add(
                                  (FMA
                                      ? w20.fma(
                                          d01, (FMA ? w22.fma(d00, p03) : w22.mul(d00).add(p03)))
                                      : w20.mul(d01)
                                          .add(
                                              (FMA
                                                  ? w22.fma(d00, p03)
                                                  : w22.mul(d00).add(p03)))))));
      // pixel 1
      i = b1 + o;
      d00 = FloatVector.broadcast(S, dyp[i]);
      d01 = FloatVector.broadcast(S, dyp[i + 1]);
      d10 = FloatVector.broadcast(S, dyp[i + down]);
      d11 = FloatVector.broadcast(S, dyp[i + diagonal]);
      p10 = FMA ? w11.fma(d00, p10) : w11.mul(d00).add(p10);
      p11 =
          FMA
              ? w10.fma(d01, (FMA ? w12.fma(d00, p11) : w12.mul(d00).add(p11)))
              : w10.mul(d01).add((FMA ? w12.fma(d00, p11) : w12.mul(d00).add(p11)));
      p12 =
          FMA
              ? w01.fma(d10, (FMA ? w21.fma(d00, p12) : w21.mul(d00).add(p12)))
              : w01.mul(d10).add((FMA ? w21.fma(d00, p12) : w21.mul(d00).add(p12)));
      p13 =
          FMA
              ? w00.fma(
                  d11,
                  (FMA
                      ? w02.fma(
                          d10,
                          (FMA
                              ? w20.fma(d01, (FMA ? w22.fma(d00, p13) : w22.mul(d00).add(p13)))
                              : w20.mul(d01)
                                  .add((FMA ? w22.fma(d00, p13) : w22.mul(d00).add(p13)))))
                      : w02.mul(d10)
                          .add(
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p13) : w22.mul(d00).add(p13)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p13) : w22.mul(d00).add(p13)))))))
              : w00.mul(d11)
                  .add(
                      (FMA
                          ? w02.fma(
                              d10,
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p13) : w22.mul(d00).add(p13)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p13) : w22.mul(d00).add(p13)))))
                          : w02.mul(d10)
                              .add(
                                  (FMA
                                      ? w20.fma(
                                          d01, (FMA ? w22.fma(d00, p13) : w22.mul(d00).add(p13)))
                                      : w20.mul(d01)
                                          .add(
                                              (FMA
                                                  ? w22.fma(d00, p13)
                                                  : w22.mul(d00).add(p13)))))));
      // pixel 2
      i = b2 + o;
      d00 = FloatVector.broadcast(S, dyp[i]);
      d01 = FloatVector.broadcast(S, dyp[i + 1]);
      d10 = FloatVector.broadcast(S, dyp[i + down]);
      d11 = FloatVector.broadcast(S, dyp[i + diagonal]);
      p20 = FMA ? w11.fma(d00, p20) : w11.mul(d00).add(p20);
      p21 =
          FMA
              ? w10.fma(d01, (FMA ? w12.fma(d00, p21) : w12.mul(d00).add(p21)))
              : w10.mul(d01).add((FMA ? w12.fma(d00, p21) : w12.mul(d00).add(p21)));
      p22 =
          FMA
              ? w01.fma(d10, (FMA ? w21.fma(d00, p22) : w21.mul(d00).add(p22)))
              : w01.mul(d10).add((FMA ? w21.fma(d00, p22) : w21.mul(d00).add(p22)));
      p23 =
          FMA
              ? w00.fma(
                  d11,
                  (FMA
                      ? w02.fma(
                          d10,
                          (FMA
                              ? w20.fma(d01, (FMA ? w22.fma(d00, p23) : w22.mul(d00).add(p23)))
                              : w20.mul(d01)
                                  .add((FMA ? w22.fma(d00, p23) : w22.mul(d00).add(p23)))))
                      : w02.mul(d10)
                          .add(
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p23) : w22.mul(d00).add(p23)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p23) : w22.mul(d00).add(p23)))))))
              : w00.mul(d11)
                  .add(
                      (FMA
                          ? w02.fma(
                              d10,
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p23) : w22.mul(d00).add(p23)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p23) : w22.mul(d00).add(p23)))))
                          : w02.mul(d10)
                              .add(
                                  (FMA
                                      ? w20.fma(
                                          d01, (FMA ? w22.fma(d00, p23) : w22.mul(d00).add(p23)))
                                      : w20.mul(d01)
                                          .add(
                                              (FMA
                                                  ? w22.fma(d00, p23)
                                                  : w22.mul(d00).add(p23)))))));
      // pixel 3
      i = b3 + o;
      d00 = FloatVector.broadcast(S, dyp[i]);
      d01 = FloatVector.broadcast(S, dyp[i + 1]);
      d10 = FloatVector.broadcast(S, dyp[i + down]);
      d11 = FloatVector.broadcast(S, dyp[i + diagonal]);
      p30 = FMA ? w11.fma(d00, p30) : w11.mul(d00).add(p30);
      p31 =
          FMA
              ? w10.fma(d01, (FMA ? w12.fma(d00, p31) : w12.mul(d00).add(p31)))
              : w10.mul(d01).add((FMA ? w12.fma(d00, p31) : w12.mul(d00).add(p31)));
      p32 =
          FMA
              ? w01.fma(d10, (FMA ? w21.fma(d00, p32) : w21.mul(d00).add(p32)))
              : w01.mul(d10).add((FMA ? w21.fma(d00, p32) : w21.mul(d00).add(p32)));
      p33 =
          FMA
              ? w00.fma(
                  d11,
                  (FMA
                      ? w02.fma(
                          d10,
                          (FMA
                              ? w20.fma(d01, (FMA ? w22.fma(d00, p33) : w22.mul(d00).add(p33)))
                              : w20.mul(d01)
                                  .add((FMA ? w22.fma(d00, p33) : w22.mul(d00).add(p33)))))
                      : w02.mul(d10)
                          .add(
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p33) : w22.mul(d00).add(p33)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p33) : w22.mul(d00).add(p33)))))))
              : w00.mul(d11)
                  .add(
                      (FMA
                          ? w02.fma(
                              d10,
                              (FMA
                                  ? w20.fma(d01, (FMA ? w22.fma(d00, p33) : w22.mul(d00).add(p33)))
                                  : w20.mul(d01)
                                      .add((FMA ? w22.fma(d00, p33) : w22.mul(d00).add(p33)))))
                          : w02.mul(d10)
                              .add(
                                  (FMA
                                      ? w20.fma(
                                          d01, (FMA ? w22.fma(d00, p33) : w22.mul(d00).add(p33)))
                                      : w20.mul(d01)
                                          .add(
                                              (FMA
                                                  ? w22.fma(d00, p33)
                                                  : w22.mul(d00).add(p33)))))));
    }
    int y1 = yo + rowStride;
    int y2 = y1 + rowStride;
    int y3 = y2 + rowStride;
    int s1 = phaseStride;
    int s2 = 2 * phaseStride;
    int s3 = 3 * phaseStride;
    p00.intoArray(yp, yo);
    p01.intoArray(yp, yo + s1);
    p02.intoArray(yp, yo + s2);
    p03.intoArray(yp, yo + s3);
    p10.intoArray(yp, y1);
    p11.intoArray(yp, y1 + s1);
    p12.intoArray(yp, y1 + s2);
    p13.intoArray(yp, y1 + s3);
    p20.intoArray(yp, y2);
    p21.intoArray(yp, y2 + s1);
    p22.intoArray(yp, y2 + s2);
    p23.intoArray(yp, y2 + s3);
    p30.intoArray(yp, y3);
    p31.intoArray(yp, y3 + s1);
    p32.intoArray(yp, y3 + s2);
    p33.intoArray(yp, y3 + s3);
  }
}
