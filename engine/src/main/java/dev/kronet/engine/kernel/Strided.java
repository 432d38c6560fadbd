package dev.kronet.engine.kernel;

/** Copies between strided layouts and row-major buffers (the kernel behind contiguous()). */
public final class Strided {
  private Strided() {}

  /**
   * Writes the elements of the strided view {@code (src, srcOffset, shape, strides)} into {@code
   * dst} from {@code dstOffset} in row-major order.
   */
  public static void copy(
      float[] src, int srcOffset, int[] shape, int[] strides, float[] dst, int dstOffset) {
    int rank = shape.length;
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n == 0) {
      return;
    }
    if (rank == 0) {
      dst[dstOffset] = src[srcOffset];
      return;
    }
    int inner = shape[rank - 1];
    int innerStride = strides[rank - 1];
    int[] index = new int[rank];
    int p = srcOffset;
    int q = dstOffset;
    for (int done = 0; done < n; done += inner) {
      if (innerStride == 1) {
        System.arraycopy(src, p, dst, q, inner);
      } else {
        for (int i = 0, s = p; i < inner; i++, s += innerStride) {
          dst[q + i] = src[s];
        }
      }
      q += inner;
      // Advance the outer index odometer.
      for (int ax = rank - 2; ax >= 0; ax--) {
        index[ax]++;
        p += strides[ax];
        if (index[ax] < shape[ax]) {
          break;
        }
        p -= strides[ax] * shape[ax];
        index[ax] = 0;
      }
    }
  }

  /**
   * The inverse of {@link #copy}: writes the row-major values of {@code src} from {@code srcOffset}
   * into the strided view {@code (dst, dstOffset, shape, strides)}.
   */
  public static void scatter(
      float[] src, int srcOffset, float[] dst, int dstOffset, int[] shape, int[] strides) {
    int rank = shape.length;
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n == 0) {
      return;
    }
    if (rank == 0) {
      dst[dstOffset] = src[srcOffset];
      return;
    }
    int inner = shape[rank - 1];
    int innerStride = strides[rank - 1];
    int[] index = new int[rank];
    int p = dstOffset;
    int q = srcOffset;
    for (int done = 0; done < n; done += inner) {
      if (innerStride == 1) {
        System.arraycopy(src, q, dst, p, inner);
      } else {
        for (int i = 0, d = p; i < inner; i++, d += innerStride) {
          dst[d] = src[q + i];
        }
      }
      q += inner;
      for (int ax = rank - 2; ax >= 0; ax--) {
        index[ax]++;
        p += strides[ax];
        if (index[ax] < shape[ax]) {
          break;
        }
        p -= strides[ax] * shape[ax];
        index[ax] = 0;
      }
    }
  }
}
