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
 * order, so results are deterministic. The row loops that write floats (normalise, with relu and a
 * residual, and the input gradient) equal their scalar twins bit for bit: the same operations in
 * the same order, no fused multiply-add. Loaded only when {@link Simd#ENABLED}.
 */
final class BatchNormSimd {
  private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
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

  /** One row of {@link BatchNormKernel#normalize}, equal bit for bit to its scalar twin. */
  static void normalizeRow(
      float[] out,
      int oOff,
      float[] x,
      int xOff,
      float[] residual,
      int rOff,
      int s,
      float scale,
      float shift,
      boolean relu) {
    FloatVector zero = FloatVector.zero(F);
    int i = 0;
    for (int end = F.loopBound(s); i < end; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, x, xOff + i).mul(scale).add(shift);
      if (residual != null) {
        v = v.add(FloatVector.fromArray(F, residual, rOff + i));
      }
      if (relu) {
        v = v.blend(zero, v.compare(VectorOperators.LE, 0f));
      }
      v.intoArray(out, oOff + i);
    }
    BatchNormKernel.normalizeRowScalar(
        out, oOff + i, x, xOff + i, residual, rOff + i, s - i, scale, shift, relu);
  }

  /**
   * {@link BatchNormKernel#gradientSumsScalar} on vectors: {@code sums[0] += Σ g'}, {@code sums[1]
   * += Σ g'·x̂}, per element exactly as the twin, added in another (fixed) order.
   */
  static void gradientSums(
      double[] sums, float[] g, int gOff, float[] x, int xOff, int s, BatchNormKernel.Row row) {
    DoubleVector g0 = DoubleVector.zero(D);
    DoubleVector g1 = g0;
    DoubleVector d0 = g0;
    DoubleVector d1 = g0;
    int i = 0;
    for (int end = F.loopBound(s); i < end; i += F.length()) {
      FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
      FloatVector gv = passed(FloatVector.fromArray(F, g, gOff + i), xv, row);
      FloatVector xhat = xv.sub(row.mean()).mul(row.invStd());
      DoubleVector lo = widen(gv, 0);
      DoubleVector hi = widen(gv, 1);
      g0 = g0.add(lo);
      g1 = g1.add(hi);
      d0 = d0.add(lo.mul(widen(xhat, 0)));
      d1 = d1.add(hi.mul(widen(xhat, 1)));
    }
    double sumG = inLaneOrder(g0.add(g1));
    double sumGXhat = inLaneOrder(d0.add(d1));
    float m = row.mean();
    float is = row.invStd();
    for (; i < s; i++) {
      float xi = x[xOff + i];
      float p = row.passed(g[gOff + i], xi);
      sumG += p;
      sumGXhat += (double) p * ((xi - m) * is);
    }
    sums[0] += sumG;
    sums[1] += sumGXhat;
  }

  /** One row of the input gradient, equal bit for bit to its scalar twin. */
  static void inputGradientRow(
      float[] gradX,
      float[] g,
      int gOff,
      float[] x,
      int xOff,
      int s,
      BatchNormKernel.Row row,
      float k,
      float meanG,
      float meanGXhat,
      boolean batchStats) {
    int i = 0;
    for (int end = F.loopBound(s); i < end; i += F.length()) {
      FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
      FloatVector p = passed(FloatVector.fromArray(F, g, gOff + i), xv, row);
      if (batchStats) {
        FloatVector xhat = xv.sub(row.mean()).mul(row.invStd());
        p = p.sub(meanG).sub(xhat.mul(meanGXhat));
      }
      p.mul(k).intoArray(gradX, gOff + i);
    }
    BatchNormKernel.inputGradientRowScalar(
        gradX, g, gOff + i, x, xOff + i, s - i, row, k, meanG, meanGXhat, batchStats);
  }

  /** {@link BatchNormKernel.Row#passed} on a vector. */
  private static FloatVector passed(FloatVector g, FloatVector x, BatchNormKernel.Row row) {
    if (!row.relu()) {
      return g;
    }
    FloatVector v = x.mul(row.scale()).add(row.shift());
    return g.blend(FloatVector.zero(F), v.compare(VectorOperators.LE, 0f));
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
