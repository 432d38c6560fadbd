package dev.kronet.engine.kernel;

/**
 * Scalar loops for binary elementwise maps {@code out[i] = a[i] ∘ b[i]}, dense or over broadcast
 * strided operands. Every op has its own loop so that the JIT sees a monomorphic body it can
 * auto-vectorise; the operator switch sits outside the loops.
 *
 * <p>Seam for SIMD: {@link #dense} and {@link #denseScalar} are the two hot entry points (equal
 * contiguous shapes, and tensor ∘ scalar); a Vector API kernel can take over there behind {@link
 * Simd#ENABLED} while these loops stay as its scalar twin.
 *
 * <p>Broadcasting ({@link #broadcast}) first drops size-1 dimensions and merges adjacent dimensions
 * that are contiguous in all three operands, so that a bias add over {@code [N, C, H, W] + [C, 1,
 * 1]} runs as {@code N·C} dense rows of {@code H·W} elements with a scalar right operand.
 */
public final class BinaryLoops {
  /** The elementwise operator; comparisons produce 1 for true and 0 for false. */
  public enum Op {
    ADD,
    SUB,
    MUL,
    DIV,
    EQ,
    GT,
    LT
  }

  /** Element count above which dense loops fan out over {@link Parallel}. */
  private static final int PARALLEL_GRAIN = 1 << 16;

  private BinaryLoops() {}

  /** {@code out[oi + i] = a[ai + i] ∘ b[bi + i]} for {@code i < n}, in parallel when large. */
  public static void dense(
      Op op, float[] a, int ai, float[] b, int bi, float[] out, int oi, int n) {
    Parallel.forRange(
        n,
        PARALLEL_GRAIN,
        (from, to) -> denseRange(op, a, ai + from, b, bi + from, out, oi + from, to - from));
  }

  /** {@code out[oi + i] = a[ai + i] ∘ s} for {@code i < n}, in parallel when large. */
  public static void denseScalar(Op op, float[] a, int ai, float s, float[] out, int oi, int n) {
    Parallel.forRange(
        n,
        PARALLEL_GRAIN,
        (from, to) -> denseScalarRange(op, a, ai + from, s, out, oi + from, to - from));
  }

  private static void denseRange(
      Op op, float[] a, int ai, float[] b, int bi, float[] out, int oi, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] + b[bi + i];
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] - b[bi + i];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] * b[bi + i];
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] / b[bi + i];
        }
      }
      default -> strided(op, a, ai, 1, b, bi, 1, out, oi, n);
    }
  }

  private static void denseScalarRange(
      Op op, float[] a, int ai, float s, float[] out, int oi, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] + s;
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] - s;
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] * s;
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i] / s;
        }
      }
      default -> strided(op, a, ai, 1, new float[] {s}, 0, 0, out, oi, n);
    }
  }

  /** One row with arbitrary element strides (0 broadcasts a single value). */
  static void strided(
      Op op, float[] a, int ai, int as, float[] b, int bi, int bs, float[] out, int oi, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i * as] + b[bi + i * bs];
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i * as] - b[bi + i * bs];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i * as] * b[bi + i * bs];
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i * as] / b[bi + i * bs];
        }
      }
      case EQ -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i * as] == b[bi + i * bs] ? 1f : 0f;
        }
      }
      case GT -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i * as] > b[bi + i * bs] ? 1f : 0f;
        }
      }
      case LT -> {
        for (int i = 0; i < n; i++) {
          out[oi + i] = a[ai + i * as] < b[bi + i * bs] ? 1f : 0f;
        }
      }
    }
  }

  /** A row whose operands are dense or single values: routes to the loops the JIT vectorises. */
  private static void row(
      Op op, float[] a, int ai, int as, float[] b, int bi, int bs, float[] out, int oi, int n) {
    if (as == 1 && bs == 1) {
      denseRange(op, a, ai, b, bi, out, oi, n);
    } else if (as == 1 && bs == 0) {
      denseScalarRange(op, a, ai, b[bi], out, oi, n);
    } else {
      strided(op, a, ai, as, b, bi, bs, out, oi, n);
    }
  }

  /**
   * Writes {@code a ∘ b} into the contiguous {@code out} of {@code shape}, where {@code a} and
   * {@code b} are strided views of that same rank ({@code aStrides[d] == 0} where a is broadcast
   * along dimension d).
   */
  public static void broadcast(
      Op op,
      float[] a,
      int aOff,
      int[] aStrides,
      float[] b,
      int bOff,
      int[] bStrides,
      float[] out,
      int[] shape) {
    int[][] geometry = coalesce(shape, aStrides, bStrides);
    int[] dims = geometry[0];
    int[] as = geometry[1];
    int[] bs = geometry[2];
    int rank = dims.length;
    int inner = dims[rank - 1];
    int rows = 1;
    for (int d = 0; d < rank - 1; d++) {
      rows *= dims[d];
    }
    if (rows == 0 || inner == 0) {
      return;
    }
    int minRows = Math.max(1, PARALLEL_GRAIN / inner);
    Parallel.forRange(
        rows,
        minRows,
        (from, to) -> {
          // Odometer over the outer dimensions, started at row `from`.
          int[] index = new int[rank];
          int p = aOff;
          int q = bOff;
          int rem = from;
          for (int d = rank - 2; d >= 0; d--) {
            index[d] = rem % dims[d];
            rem /= dims[d];
            p += index[d] * as[d];
            q += index[d] * bs[d];
          }
          for (int r = from; r < to; r++) {
            row(op, a, p, as[rank - 1], b, q, bs[rank - 1], out, r * inner, inner);
            for (int d = rank - 2; d >= 0; d--) {
              index[d]++;
              p += as[d];
              q += bs[d];
              if (index[d] < dims[d]) {
                break;
              }
              p -= as[d] * dims[d];
              q -= bs[d] * dims[d];
              index[d] = 0;
            }
          }
        });
  }

  /**
   * Drops size-1 dimensions and merges neighbours {@code d, d+1} when both operands step through
   * them as one ({@code stride[d] == stride[d+1]·shape[d+1]}); the output is contiguous and always
   * merges. Returns {shape, aStrides, bStrides}, of rank at least 1.
   */
  static int[][] coalesce(int[] shape, int[] aStrides, int[] bStrides) {
    int rank = shape.length;
    int[] dims = new int[Math.max(rank, 1)];
    int[] as = new int[dims.length];
    int[] bs = new int[dims.length];
    int n = 0;
    for (int d = 0; d < rank; d++) {
      if (shape[d] == 1) {
        continue;
      }
      if (n > 0 && as[n - 1] == aStrides[d] * shape[d] && bs[n - 1] == bStrides[d] * shape[d]) {
        dims[n - 1] *= shape[d];
        as[n - 1] = aStrides[d];
        bs[n - 1] = bStrides[d];
      } else {
        dims[n] = shape[d];
        as[n] = aStrides[d];
        bs[n] = bStrides[d];
        n++;
      }
    }
    if (n == 0) {
      dims[0] = 1;
      n = 1;
    }
    return new int[][] {
      java.util.Arrays.copyOf(dims, n),
      java.util.Arrays.copyOf(as, n),
      java.util.Arrays.copyOf(bs, n)
    };
  }
}
