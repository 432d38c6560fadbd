package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Sgemm;

/**
 * Matrix products with PyTorch semantics, all through {@link Sgemm#sgemm}.
 *
 * <p>{@link #bmm} is the primitive: {@code [B, M, K] × [B, K, N] → [B, M, N]} with backward {@code
 * dA = dC·Bᵀ}, {@code dB = Aᵀ·dC}, each one transposed GEMM. Operands are passed to the GEMM in
 * place when each matrix is row-major or a transposed view of a row-major one (then {@code
 * transA}/{@code transB} is set), and copied only otherwise; a batch stride of 0 (an expanded
 * operand) is used as is. {@link #matmul} reduces the other cases to it the way {@code
 * torch.matmul} does: 1-d operands gain and then lose a unit dimension, {@code [..., M, K] × [K,
 * N]} folds the batch into M, and other batch dimensions broadcast.
 */
public final class MatMul {
  private MatMul() {}

  /** A matrix (or a batch of them) as the GEMM reads it: op(X) = X or Xᵀ, rows {@code ld} apart. */
  private record Operand(
      float[] data, int offset, int batchStride, int ld, boolean trans, int rows, int cols) {}

  /** The matrix product of 2-d {@code a [M, K]} and {@code b [K, N]}. */
  public static Tensor mm(Tensor a, Tensor b) {
    if (a.dim() != 2 || b.dim() != 2) {
      throw new KronetException(
          "mm: expected two 2-d matrices, got shapes "
              + Shapes.format(a.shape())
              + " and "
              + Shapes.format(b.shape()));
    }
    return product("mm", a, b, false);
  }

  /** Batched product of {@code a [B, M, K]} and {@code b [B, K, N]}. */
  public static Tensor bmm(Tensor a, Tensor b) {
    if (a.dim() != 3 || b.dim() != 3 || a.size(0) != b.size(0)) {
      throw new KronetException(
          "bmm: expected [B, M, K] and [B, K, N] with the same B, got shapes "
              + Shapes.format(a.shape())
              + " and "
              + Shapes.format(b.shape()));
    }
    return product("bmm", a, b, true);
  }

  /**
   * {@code torch.matmul}: vector·vector → scalar, matrix·vector, vector·matrix, matrix·matrix, and
   * batched products whose batch dimensions broadcast.
   */
  public static Tensor matmul(Tensor a, Tensor b) {
    int ra = a.dim();
    int rb = b.dim();
    if (ra == 0 || rb == 0) {
      throw new KronetException(
          "matmul: both operands need at least one dimension, got shapes "
              + Shapes.format(a.shape())
              + " and "
              + Shapes.format(b.shape()));
    }
    checkInner(a.shape(), b.shape(), a.size(-1), rb == 1 ? b.size(0) : b.size(-2));
    if (ra == 1 && rb == 1) {
      return mm(a.unsqueeze(0), b.unsqueeze(1)).reshape();
    }
    if (ra == 1) {
      Tensor out = matmul(a.unsqueeze(0), b);
      return out.squeeze(-2);
    }
    if (rb == 1) {
      Tensor out = matmul(a, b.unsqueeze(1));
      return out.squeeze(-1);
    }
    if (ra == 2 && rb == 2) {
      return mm(a, b);
    }
    if (rb == 2) {
      // [..., M, K]·[K, N]: one GEMM with the batch folded into M.
      int[] shape = a.shape();
      int[] outShape = shape.clone();
      outShape[ra - 1] = b.size(1);
      return mm(a.reshape(-1, shape[ra - 1]), b).reshape(outShape);
    }
    return broadcastBatched(a, b);
  }

  private static Tensor broadcastBatched(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    int[] batchA = java.util.Arrays.copyOf(as, as.length - 2);
    int[] batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
    int[] batch = Operands.broadcastShape("matmul (batch dimensions)", batchA, batchB);
    int m = as[as.length - 2];
    int k = as[as.length - 1];
    int n = bs[bs.length - 1];
    int count = Shapes.numel(batch);
    Tensor a3 = a.expand(concat(batch, m, k)).reshape(count, m, k);
    Tensor b3 = b.expand(concat(batch, k, n)).reshape(count, k, n);
    return bmm(a3, b3).reshape(concat(batch, m, n));
  }

  private static int[] concat(int[] head, int x, int y) {
    int[] out = java.util.Arrays.copyOf(head, head.length + 2);
    out[head.length] = x;
    out[head.length + 1] = y;
    return out;
  }

  private static void checkInner(int[] as, int[] bs, int ka, int kb) {
    if (ka != kb) {
      throw new KronetException(
          "matmul: shapes "
              + Shapes.format(as)
              + " and "
              + Shapes.format(bs)
              + " do not chain: a has "
              + ka
              + " columns but b has "
              + kb
              + " rows");
    }
  }

  /** C = A·B for 2-d or (when {@code batched}) 3-d operands. */
  private static Tensor product(String op, Tensor a, Tensor b, boolean batched) {
    int[] as = a.shape();
    int[] bs = b.shape();
    int m = as[as.length - 2];
    int k = as[as.length - 1];
    int n = bs[bs.length - 1];
    if (bs[bs.length - 2] != k) {
      throw new KronetException(
          op
              + ": shapes "
              + Shapes.format(as)
              + " and "
              + Shapes.format(bs)
              + " do not chain: a has "
              + k
              + " columns but b has "
              + bs[bs.length - 2]
              + " rows");
    }
    int batches = batched ? as[0] : 1;
    Operand oa = operand(a);
    Operand ob = operand(b);
    float[] out = new float[batches * m * n];
    OpCounter.record((long) batches * m * n * k);
    gemm(batches, oa, ob, out, m, n, k);
    int[] outShape = batched ? new int[] {batches, m, n} : new int[] {m, n};
    return Tensor.fromOp(
        op,
        out,
        outShape,
        g -> {
          Operand og = operand(g);
          Tensor da = null;
          Tensor db = null;
          if (a.requiresGrad()) {
            // dA = dC·Bᵀ: [M, N]·[N, K].
            float[] d = new float[batches * m * k];
            gemm(batches, og, transposed(ob), d, m, k, n);
            da = Tensor.wrap(d, as);
          }
          if (b.requiresGrad()) {
            // dB = Aᵀ·dC: [K, M]·[M, N].
            float[] d = new float[batches * k * n];
            gemm(batches, transposed(oa), og, d, k, n, m);
            db = Tensor.wrap(d, bs);
          }
          return new Tensor[] {da, db};
        },
        a,
        b);
  }

  private static void gemm(int batches, Operand a, Operand b, float[] c, int m, int n, int k) {
    for (int i = 0; i < batches; i++) {
      Sgemm.sgemm(
          a.trans,
          b.trans,
          m,
          n,
          k,
          a.data,
          a.offset + i * a.batchStride,
          a.ld,
          b.data,
          b.offset + i * b.batchStride,
          b.ld,
          c,
          i * m * n,
          n,
          false);
    }
  }

  private static Operand transposed(Operand o) {
    return new Operand(o.data, o.offset, o.batchStride, o.ld, !o.trans, o.cols, o.rows);
  }

  /**
   * How the GEMM can read the last two dimensions of {@code t} without a copy: row-major (unit
   * column stride) or column-major (unit row stride, i.e. a transposed view). Leading dimensions
   * must keep {@code ld ≥} the stored row length, as BLAS requires; anything else is copied.
   */
  private static Operand operand(Tensor t) {
    int[] shape = t.shape();
    int[] strides = t.strides();
    int r = shape.length;
    int rows = shape[r - 2];
    int cols = shape[r - 1];
    int batchStride = r == 3 ? strides[0] : 0;
    int rs = strides[r - 2];
    int cs = strides[r - 1];
    if ((cs == 1 || cols == 1) && (rows == 1 || rs >= Math.max(cols, 1))) {
      return new Operand(
          t.data(), t.offset(), batchStride, rows == 1 ? Math.max(cols, 1) : rs, false, rows, cols);
    }
    if ((rs == 1 || rows == 1) && (cols == 1 || cs >= Math.max(rows, 1))) {
      return new Operand(
          t.data(), t.offset(), batchStride, cols == 1 ? Math.max(rows, 1) : cs, true, rows, cols);
    }
    float[] copy = t.toArray();
    return new Operand(copy, 0, r == 3 ? rows * cols : 0, Math.max(cols, 1), false, rows, cols);
  }
}
