package dev.kronet.engine.kernel;

/**
 * Moves values between a strided view and a row-major buffer: {@link #copy} gathers a view into a
 * buffer (the kernel behind {@code contiguous()}), {@link #scatter} writes a buffer into a view
 * (the backward of slicing and padding). Both walk the view row by row, copying whole rows when the
 * last axis is dense.
 */
public final class Strided {
  private Strided() {}

  /**
   * Writes the elements of the strided view {@code (src, srcOffset, shape, strides)} into {@code
   * dst} from {@code dstOffset} in row-major order.
   */
  public static void copy(
      float[] src, int srcOffset, int[] shape, int[] strides, float[] dst, int dstOffset) {
    walk(src, srcOffset, shape, strides, dst, dstOffset, false);
  }

  /**
   * The inverse of {@link #copy}: writes the row-major values of {@code src} from {@code srcOffset}
   * into the strided view {@code (dst, dstOffset, shape, strides)}.
   */
  public static void scatter(
      float[] src, int srcOffset, float[] dst, int dstOffset, int[] shape, int[] strides) {
    walk(dst, dstOffset, shape, strides, src, srcOffset, true);
  }

  /**
   * Visits the view row by row; {@code intoView} says which side is written. Axes that the view
   * keeps adjacent (stride of one = stride × size of the next) are merged first, so a permuted view
   * whose trailing axes kept their order is copied in runs of all of them, not row by row.
   */
  private static void walk(
      float[] view,
      int viewOffset,
      int[] viewShape,
      int[] viewStrides,
      float[] dense,
      int denseOffset,
      boolean intoView) {
    int[][] merged = merge(viewShape, viewStrides);
    int[] shape = merged[0];
    int[] strides = merged[1];
    int rank = shape.length;
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n == 0) {
      return;
    }
    if (n >= MIN_PARALLEL && rank >= 2 && (!intoView || noBroadcast(strides))) {
      // Split the outermost axis over the pool: each chunk moves its own elements (the view is
      // read, or written where no two indices share an element), so the result does not depend
      // on the thread count.
      int per = n / shape[0];
      Parallel.forRange(
          shape[0],
          Math.max(1, MIN_PARALLEL / per),
          (from, to) -> {
            int[] part = shape.clone();
            part[0] = to - from;
            walkRows(
                view,
                viewOffset + from * strides[0],
                part,
                strides,
                dense,
                denseOffset + from * per,
                intoView);
          });
      return;
    }
    walkRows(view, viewOffset, shape, strides, dense, denseOffset, intoView);
  }

  /** Views at least this large are moved by several threads. */
  private static final int MIN_PARALLEL = 1 << 16;

  private static boolean noBroadcast(int[] strides) {
    for (int s : strides) {
      if (s == 0) {
        return false;
      }
    }
    return true;
  }

  /** {@link #walk} on one thread, over a view whose axes are already merged. */
  private static void walkRows(
      float[] view,
      int viewOffset,
      int[] shape,
      int[] strides,
      float[] dense,
      int denseOffset,
      boolean intoView) {
    int rank = shape.length;
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (rank == 0) {
      if (intoView) {
        view[viewOffset] = dense[denseOffset];
      } else {
        dense[denseOffset] = view[viewOffset];
      }
      return;
    }
    int inner = shape[rank - 1];
    int innerStride = strides[rank - 1];
    int[] index = new int[rank];
    int p = viewOffset;
    int q = denseOffset;
    for (int done = 0; done < n; done += inner) {
      if (innerStride == 1) {
        if (intoView) {
          System.arraycopy(dense, q, view, p, inner);
        } else {
          System.arraycopy(view, p, dense, q, inner);
        }
      } else if (intoView) {
        for (int i = 0, v = p; i < inner; i++, v += innerStride) {
          view[v] = dense[q + i];
        }
      } else {
        for (int i = 0, v = p; i < inner; i++, v += innerStride) {
          dense[q + i] = view[v];
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
   * {@code {shape, strides}} with size-1 axes dropped and each axis folded into the next when the
   * view walks them as one ({@code stride[d] == stride[d+1]·shape[d+1]}); the same elements in the
   * same order.
   */
  static int[][] merge(int[] shape, int[] strides) {
    int[] s = new int[shape.length];
    int[] t = new int[shape.length];
    int rank = 0;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == 1) {
        continue;
      }
      if (rank > 0 && t[rank - 1] == strides[d] * shape[d]) {
        s[rank - 1] *= shape[d];
        t[rank - 1] = strides[d];
      } else {
        s[rank] = shape[d];
        t[rank] = strides[d];
        rank++;
      }
    }
    if (rank == shape.length) {
      return new int[][] {shape, strides};
    }
    return new int[][] {java.util.Arrays.copyOf(s, rank), java.util.Arrays.copyOf(t, rank)};
  }
}
