package dev.kronet.gkpd.cost;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;

/**
 * The shape {@code [F, C, kh, kw]} of a convolution weight (output channels, input channels, kernel
 * height, kernel width), and of the Kronecker factors A {@code [F1, C1, kh1, kw1]} and B {@code
 * [F2, C2, kh2, kw2]}.
 */
public record ConvShape(int f, int c, int kh, int kw) {
  public ConvShape {
    if (f < 1 || c < 1 || kh < 1 || kw < 1) {
      throw new KronetException(
          "convolution shape [F, C, kh, kw] = "
              + Shapes.format(f, c, kh, kw)
              + " must have every dimension ≥ 1");
    }
  }

  /** The shape of a 4-d array {@code [F, C, kh, kw]}. */
  public static ConvShape of(int... shape) {
    if (shape.length != 4) {
      throw new KronetException(
          "convolution shape must be [F, C, kh, kw], got " + Shapes.format(shape));
    }
    return new ConvShape(shape[0], shape[1], shape[2], shape[3]);
  }

  public int[] toArray() {
    return new int[] {f, c, kh, kw};
  }

  /** F·C·kh·kw. */
  public long numel() {
    return (long) f * c * kh * kw;
  }

  /** The elementwise product, the shape of A ⊗ B when this is A and {@code b} is B. */
  public ConvShape times(ConvShape b) {
    return new ConvShape(f * b.f, c * b.c, kh * b.kh, kw * b.kw);
  }

  @Override
  public String toString() {
    return f + "×" + c + "×" + kh + "×" + kw;
  }
}
