package dev.kronet.gkpd.algebra;

/** Small shape-array helpers the Kronecker code needs beyond {@link dev.kronet.engine.Shapes}. */
public final class Shape {
  private Shape() {}

  /** {@code [first, shape_0, shape_1, …]}. */
  public static int[] prepend(int first, int[] shape) {
    int[] out = new int[shape.length + 1];
    out[0] = first;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }
}
