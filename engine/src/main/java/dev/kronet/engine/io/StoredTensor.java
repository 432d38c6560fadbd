package dev.kronet.engine.io;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as a file stores it: an element type, a shape and the raw little-endian bytes in
 * row-major order. Keeping the bytes (not floats) lets any dtype round-trip exactly; {@link
 * #toFloats()} and {@link #toLongs()} convert when a value is needed.
 *
 * <p>The record takes ownership of {@code bytes} (no copy: a checkpoint's tensors can be large);
 * callers must not change the array afterwards.
 */
public record StoredTensor(DType dtype, int[] shape, byte[] bytes) {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  public StoredTensor {
    Objects.requireNonNull(dtype, "dtype");
    shape = Shapes.checkValid("StoredTensor", shape);
    long expected = byteLength(dtype, shape);
    if (expected < 0) {
      throw new KronetException(
          "StoredTensor: "
              + dtype
              + " of shape "
              + Shapes.format(shape)
              + " is larger than one Java array can hold");
    }
    if (expected != bytes.length) {
      throw new KronetException(
          "StoredTensor: "
              + dtype
              + " of shape "
              + Shapes.format(shape)
              + " needs "
              + expected
              + " bytes, got "
              + bytes.length);
    }
  }

  /**
   * numel × element size of a non-negative shape, or -1 when that exceeds what one Java array
   * holds.
   */
  static long byteLength(DType dtype, int[] shape) {
    for (int d : shape) {
      if (d == 0) {
        return 0;
      }
    }
    long n = dtype.byteSize();
    for (int d : shape) {
      n *= d;
      // The largest array size every JVM allows; checked per factor so the product cannot overflow.
      if (n > Integer.MAX_VALUE - 8) {
        return -1;
      }
    }
    return n;
  }

  /** The values of a float32 tensor (any layout) as F32. */
  public static StoredTensor of(Tensor t) {
    return ofFloats(t.toArray(), t.shape());
  }

  public static StoredTensor ofFloats(float[] values, int... shape) {
    ByteBuffer b = allocate(values.length, 4);
    b.asFloatBuffer().put(values);
    return new StoredTensor(DType.F32, shape, b.array());
  }

  public static StoredTensor ofDoubles(double[] values, int... shape) {
    ByteBuffer b = allocate(values.length, 8);
    b.asDoubleBuffer().put(values);
    return new StoredTensor(DType.F64, shape, b.array());
  }

  public static StoredTensor ofLongs(long[] values, int... shape) {
    ByteBuffer b = allocate(values.length, 8);
    b.asLongBuffer().put(values);
    return new StoredTensor(DType.I64, shape, b.array());
  }

  public static StoredTensor ofInts(int[] values, int... shape) {
    ByteBuffer b = allocate(values.length, 4);
    b.asIntBuffer().put(values);
    return new StoredTensor(DType.I32, shape, b.array());
  }

  private static ByteBuffer allocate(int count, int size) {
    return ByteBuffer.allocate(Math.multiplyExact(count, size)).order(LE);
  }

  public int numel() {
    return Shapes.numel(shape);
  }

  /** The shape (a copy). */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /**
   * The values converted to float32: exact for F32, F16, BF16, BOOL, U8, I8, I16; rounded to
   * nearest for F64 and for integers beyond 2^24 in magnitude.
   */
  public float[] toFloats() {
    int n = numel();
    float[] out = new float[n];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(LE);
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(8 * i);
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.float16ToFloat(b.getShort(2 * i));
        }
      }
      // bfloat16 is the upper half of a float32's bits.
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16);
        }
      }
      default -> {
        long[] v = toLongs();
        for (int i = 0; i < n; i++) {
          out[i] = v[i];
        }
      }
    }
    return out;
  }

  /** The values as a float32 tensor of this shape (see {@link #toFloats()} for the rounding). */
  public Tensor toTensor() {
    return Tensor.wrap(toFloats(), shape);
  }

  /** The values of an integer or BOOL tensor as longs; floating types are refused (no rounding). */
  public long[] toLongs() {
    int n = numel();
    long[] out = new long[n];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(LE);
    switch (dtype) {
      case I64 -> b.asLongBuffer().get(out);
      case I32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(4 * i);
        }
      }
      case I16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort(2 * i);
        }
      }
      case I8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = bytes[i];
        }
      }
      case U8, BOOL -> {
        for (int i = 0; i < n; i++) {
          out[i] = bytes[i] & 0xFF;
        }
      }
      default ->
          throw new KronetException(
              "toLongs: a "
                  + dtype
                  + " tensor holds floating-point values, expected an integer type");
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredTensor s
        && dtype == s.dtype
        && Arrays.equals(shape, s.shape)
        && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    return "StoredTensor[" + dtype + " " + Shapes.format(shape) + ", " + bytes.length + " bytes]";
  }
}
