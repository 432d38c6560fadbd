package dev.kronet.gkpd.algebra;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import java.util.Arrays;

/**
 * An immutable N-d array of doubles in row-major (C) order. The decomposition maths runs in double
 * precision on these; float32 weights enter through {@link #ofFloats} and leave through {@link
 * #toFloatArray}.
 */
public final class DoubleTensor {
  private final int[] shape;
  private final double[] data;

  private DoubleTensor(int[] shape, double[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** A tensor holding a copy of {@code data} in row-major order. */
  public static DoubleTensor of(double[] data, int... shape) {
    Shapes.checkValid("DoubleTensor.of", shape);
    if (data.length != Shapes.numel(shape)) {
      throw new KronetException(
          "DoubleTensor.of: data has "
              + data.length
              + " elements but shape "
              + Shapes.format(shape)
              + " needs "
              + Shapes.numel(shape));
    }
    return new DoubleTensor(shape.clone(), data.clone());
  }

  /** A tensor holding {@code data} widened to double. */
  public static DoubleTensor ofFloats(float[] data, int... shape) {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return of(d, shape);
  }

  public static DoubleTensor zeros(int... shape) {
    Shapes.checkValid("DoubleTensor.zeros", shape);
    return new DoubleTensor(shape.clone(), new double[Shapes.numel(shape)]);
  }

  /** Independent N(0, 1) entries drawn from {@code rng}. */
  public static DoubleTensor randn(Rng rng, int... shape) {
    Shapes.checkValid("DoubleTensor.randn", shape);
    double[] d = new double[Shapes.numel(shape)];
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextGaussian();
    }
    return new DoubleTensor(shape.clone(), d);
  }

  /** Wraps without copying; only for arrays this package has just built and will not touch. */
  static DoubleTensor adopt(double[] data, int[] shape) {
    return new DoubleTensor(shape, data);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[Shapes.axis(axis, shape.length)];
  }

  public int numel() {
    return data.length;
  }

  /** A copy of the row-major data. */
  public double[] data() {
    return data.clone();
  }

  /** The element at flat row-major index {@code i}. */
  public double at(int i) {
    return data[i];
  }

  /** The element at a multi-index. */
  public double get(int... index) {
    if (index.length != shape.length) {
      throw new KronetException(
          "DoubleTensor.get: index "
              + Arrays.toString(index)
              + " has rank "
              + index.length
              + ", tensor "
              + Shapes.format(shape)
              + " has rank "
              + shape.length);
    }
    int flat = 0;
    for (int n = 0; n < shape.length; n++) {
      if (index[n] < 0 || index[n] >= shape[n]) {
        throw new KronetException(
            "DoubleTensor.get: index "
                + Arrays.toString(index)
                + " is outside "
                + Shapes.format(shape));
      }
      flat = flat * shape[n] + index[n];
    }
    return data[flat];
  }

  /** The same data under another shape with the same number of elements. */
  public DoubleTensor reshape(int... newShape) {
    return of(data, newShape);
  }

  public double frobeniusNorm() {
    double s = 0;
    for (double v : data) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  public DoubleTensor plus(DoubleTensor other) {
    requireSameShape("plus", other);
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i] + other.data[i];
    }
    return new DoubleTensor(shape, d);
  }

  public DoubleTensor minus(DoubleTensor other) {
    requireSameShape("minus", other);
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i] - other.data[i];
    }
    return new DoubleTensor(shape, d);
  }

  public DoubleTensor scale(double s) {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = s * data[i];
    }
    return new DoubleTensor(shape, d);
  }

  /** ||this − other||_F. */
  public double distance(DoubleTensor other) {
    requireSameShape("distance", other);
    double s = 0;
    for (int i = 0; i < data.length; i++) {
      double e = data[i] - other.data[i];
      s += e * e;
    }
    return Math.sqrt(s);
  }

  /** The largest |this − other| over all elements. */
  public double maxAbsDifference(DoubleTensor other) {
    requireSameShape("maxAbsDifference", other);
    double m = 0;
    for (int i = 0; i < data.length; i++) {
      m = Math.max(m, Math.abs(data[i] - other.data[i]));
    }
    return m;
  }

  /** The data narrowed to float32, row-major. */
  public float[] toFloatArray() {
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return f;
  }

  private void requireSameShape(String op, DoubleTensor other) {
    if (!Arrays.equals(shape, other.shape)) {
      throw new KronetException(
          "DoubleTensor."
              + op
              + ": shapes "
              + Shapes.format(shape)
              + " and "
              + Shapes.format(other.shape)
              + " differ");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DoubleTensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "DoubleTensor"
        + Shapes.format(shape)
        + (data.length <= 16 ? Arrays.toString(data) : "[" + data.length + " values]");
  }
}
