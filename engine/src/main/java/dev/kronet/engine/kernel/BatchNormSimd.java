package dev.kronet.engine.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchNormKernel}'s double-precision row reductions on the Vector API: each float vector is
 * widened into two double vectors (F2D) and accumulated there, so the statistics keep the scalar
 * loops' double accuracy while a 16-float step costs two conversions and two adds instead of
 * sixteen of each (these reductions were a fifth of a ResNet-20 training step). Per-element values
 * are computed exactly as in the scalar twins (x̂ in float, the product with g exact in double);
 * only the order of the additions differs: lanes accumulate in a fixed order and are added in lane
 * order, so results are deterministic. Loaded only when {@link Simd#ENABLED}.
 */
final class BatchNormSimd {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());

  private BatchNormSimd() {}

  static double sum(float[] x, int off, int s) {
    DoubleVector a0 = DoubleVector.zero(D);
    DoubleVector a1 = a0;
    int i = 0;
    for (int end = F.loopBound(s); i < end; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, x, off + i);
      a0 = a0.add(widen(v, 0));
      a1 = a1.add(widen(v, 1));
    }
    double r = inLaneOrder(a0.add(a1));
    for (; i < s; i++) {
      r += x[off + i];
    }
    return r;
  }

  static double squaredDeviations(float[] x, int off, int s, double m) {
    DoubleVector mv = DoubleVector.broadcast(D, m);
    DoubleVector a0 = DoubleVector.zero(D);
    DoubleVector a1 = a0;
    int i = 0;
    for (int end = F.loopBound(s); i < end; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, x, off + i);
      DoubleVector d0 = widen(v, 0).sub(mv);
      DoubleVector d1 = widen(v, 1).sub(mv);
      a0 = a0.add(d0.mul(d0));
      a1 = a1.add(d1.mul(d1));
    }
    double r = inLaneOrder(a0.add(a1));
    for (; i < s; i++) {
      double d = x[off + i] - m;
      r += d * d;
    }
    return r;
  }

  static double dotNormalized(float[] g, int gOff, float[] x, int xOff, int s, float m, float is) {
    DoubleVector a0 = DoubleVector.zero(D);
    DoubleVector a1 = a0;
    int i = 0;
    for (int end = F.loopBound(s); i < end; i += F.length()) {
      FloatVector xhat = FloatVector.fromArray(F, x, xOff + i).sub(m).mul(is);
      FloatVector gv = FloatVector.fromArray(F, g, gOff + i);
      a0 = a0.add(widen(gv, 0).mul(widen(xhat, 0)));
      a1 = a1.add(widen(gv, 1).mul(widen(xhat, 1)));
    }
    double r = inLaneOrder(a0.add(a1));
    for (; i < s; i++) {
      r += (double) g[gOff + i] * ((x[xOff + i] - m) * is);
    }
    return r;
  }

  /** Part {@code part} (0: low lanes, 1: high lanes) of {@code v} as doubles. */
  private static DoubleVector widen(FloatVector v, int part) {
    return (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
  }

  /** The lanes added first to last (reduceLanes leaves the order unspecified). */
  private static double inLaneOrder(DoubleVector v) {
    double r = 0;
    for (int l = 0; l < D.length(); l++) {
      r += v.lane(l);
    }
    return r;
  }
}
