package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.SoftmaxKernel;
import java.util.Arrays;

/**
 * Log-softmax and the losses built on it, with PyTorch's definitions and mean reductions. Each loss
 * returns a 0-d tensor and computes its per-sample terms in double; the backward rules are the
 * closed forms (softmax minus target distribution), not a chain of smaller ops.
 */
public final class Losses {
  private Losses() {}

  /**
   * log_softmax over the last axis: {@code y[..., j] = x[..., j] − log Σ_k exp(x[..., k])},
   * computed stably (max-shifted). Backward: {@code dx = g − softmax(x)·Σ_j g[..., j]}.
   */
  public static Tensor logSoftmax(Tensor x) {
    int[] shape = x.shape();
    if (shape.length < 1 || shape[shape.length - 1] == 0) {
      throw new KronetException(
          "logSoftmax: input needs a non-empty last axis (the classes), got shape "
              + Shapes.format(shape));
    }
    int k = shape[shape.length - 1];
    int rows = x.numel() / k;
    DenseView in = DenseView.of(x);
    float[] out = new float[rows * k];
    SoftmaxKernel.logSoftmaxRows(out, in.data(), in.offset(), rows, k);
    return Tensor.fromOp(
        "logSoftmax",
        out,
        shape,
        g -> {
          float[] gx = new float[out.length];
          SoftmaxKernel.logSoftmaxBackwardRows(gx, g.contiguousData(), out, rows, k);
          return new Tensor[] {Tensor.wrap(gx, shape)};
        },
        x);
  }

  /**
   * Cross-entropy of {@code logits [N, K]} against class indices {@code targets} (length N), mean
   * over the batch, with PyTorch's label smoothing ε: per sample {@code loss_n = (1 − ε)·(−log
   * p_n[t_n]) + ε·(1/K)·Σ_k (−log p_n[k])}, p = softmax(logits) — i.e. the cross-entropy against
   * the target distribution {@code q = (1 − ε)·onehot(t) + ε/K}. Gradient: {@code (p − q)/N}.
   *
   * @throws KronetException if a target is outside {@code [0, K)}, naming its index, value and K
   */
  public static Tensor crossEntropy(Tensor logits, int[] targets, float labelSmoothing) {
    int[] shape = logits.shape();
    if (shape.length != 2 || shape[1] == 0) {
      throw new KronetException(
          "crossEntropy: logits must be [N, K] with K ≥ 1, got shape " + Shapes.format(shape));
    }
    int n = shape[0];
    int k = shape[1];
    if (targets == null || targets.length != n) {
      throw new KronetException(
          "crossEntropy: targets must hold one class index per row of logits "
              + Shapes.format(shape)
              + ", got "
              + (targets == null ? "null" : targets.length + " targets"));
    }
    if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
      throw new KronetException(
          "crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    if (n == 0) {
      throw new KronetException("crossEntropy: the mean over an empty batch (N = 0) is undefined");
    }
    int[] t = targets.clone();
    checkTargets(t, k);
    float[] logp = logSoftmaxData(logits, n, k);
    double eps = labelSmoothing;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double sumNeg = 0;
      for (int j = 0; j < k; j++) {
        sumNeg -= logp[i * k + j];
      }
      total += (1 - eps) * -logp[i * k + t[i]] + eps * sumNeg / k;
    }
    float loss = (float) (total / n);
    return Tensor.fromOp(
        "crossEntropy",
        new float[] {loss},
        new int[0],
        g -> {
          float scale = g.item() / n;
          float offTarget = (float) (eps / k);
          float onTarget = (float) (1 - eps + eps / k);
          float[] gx = new float[n * k];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
              float q = j == t[i] ? onTarget : offTarget;
              gx[i * k + j] = ((float) Math.exp(logp[i * k + j]) - q) * scale;
            }
          }
          return new Tensor[] {Tensor.wrap(gx, shape)};
        },
        logits);
  }

  private static void checkTargets(int[] targets, int k) {
    for (int i = 0; i < targets.length; i++) {
      if (targets[i] < 0 || targets[i] >= k) {
        throw new KronetException(
            "crossEntropy: targets["
                + i
                + "] = "
                + targets[i]
                + " is not a class index; expected 0 ≤ target < "
                + k
                + " (the number of classes)");
      }
    }
  }

  /**
   * Knowledge-distillation loss of Hinton et al. (2015), as {@code F.kl_div(F.log_softmax(s/T),
   * F.softmax(t/T), reduction="batchmean")·T²}: with {@code p = softmax(teacher/T)} and {@code q =
   * softmax(student/T)} row-wise over {@code [N, K]} logits,
   *
   * <pre>  loss = T²/N · Σ_n Σ_k p[n,k]·(log p[n,k] − log q[n,k])</pre>
   *
   * where a term with p = 0 counts as 0. The T² keeps the gradient's magnitude independent of T.
   * The teacher is a constant (no gradient flows to it, as if detached); the student gradient is
   * {@code (T/N)·(q − p)}.
   */
  public static Tensor klDivDistillation(
      Tensor studentLogits, Tensor teacherLogits, float temperature) {
    int[] shape = studentLogits.shape();
    if (shape.length != 2 || shape[1] == 0) {
      throw new KronetException(
          "klDivDistillation: studentLogits must be [N, K] with K ≥ 1, got shape "
              + Shapes.format(shape));
    }
    if (!Arrays.equals(shape, teacherLogits.shape())) {
      throw new KronetException(
          "klDivDistillation: teacherLogits must have the student's shape "
              + Shapes.format(shape)
              + ", got "
              + Shapes.format(teacherLogits.shape()));
    }
    if (!(temperature > 0f) || Float.isInfinite(temperature)) {
      throw new KronetException(
          "klDivDistillation: temperature must be a finite number > 0, got " + temperature);
    }
    int n = shape[0];
    int k = shape[1];
    if (n == 0) {
      throw new KronetException("klDivDistillation: the batch mean over N = 0 rows is undefined");
    }
    float[] logq = logSoftmaxData(scaled(studentLogits, 1f / temperature), n, k);
    float[] logp = logSoftmaxData(scaled(teacherLogits, 1f / temperature), n, k);
    double total = 0;
    for (int i = 0; i < n * k; i++) {
      double p = Math.exp(logp[i]);
      if (p > 0) {
        total += p * ((double) logp[i] - logq[i]);
      }
    }
    double t2 = (double) temperature * temperature;
    float loss = (float) (total * t2 / n);
    return Tensor.fromOp(
        "klDivDistillation",
        new float[] {loss},
        new int[0],
        g -> {
          float scale = g.item() * temperature / n;
          float[] gs = new float[n * k];
          for (int i = 0; i < n * k; i++) {
            gs[i] = (float) (Math.exp(logq[i]) - Math.exp(logp[i])) * scale;
          }
          return new Tensor[] {Tensor.wrap(gs, shape)};
        },
        studentLogits);
  }

  /**
   * Mean squared error {@code mean((x − y)²)} over all elements of two tensors of the same shape
   * (no broadcasting); gradients {@code ±2(x − y)/numel} flow to both.
   */
  public static Tensor mse(Tensor x, Tensor y) {
    int[] shape = x.shape();
    if (!Arrays.equals(shape, y.shape())) {
      throw new KronetException(
          "mse: target y must have the input's shape "
              + Shapes.format(shape)
              + ", got "
              + Shapes.format(y.shape()));
    }
    int n = x.numel();
    if (n == 0) {
      throw new KronetException("mse: the mean over an empty tensor is undefined");
    }
    float[] xv = x.contiguousData();
    float[] yv = y.contiguousData();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = (double) xv[i] - yv[i];
      sum += d * d;
    }
    return Tensor.fromOp(
        "mse",
        new float[] {(float) (sum / n)},
        new int[0],
        g -> {
          float scale = 2f * g.item() / n;
          float[] gx = x.requiresGrad() ? new float[n] : null;
          float[] gy = y.requiresGrad() ? new float[n] : null;
          for (int i = 0; i < n; i++) {
            float d = (xv[i] - yv[i]) * scale;
            if (gx != null) {
              gx[i] = d;
            }
            if (gy != null) {
              gy[i] = -d;
            }
          }
          return new Tensor[] {
            gx == null ? null : Tensor.wrap(gx, shape), gy == null ? null : Tensor.wrap(gy, shape)
          };
        },
        x,
        y);
  }

  private static float[] logSoftmaxData(Tensor x, int rows, int k) {
    DenseView in = DenseView.of(x);
    float[] out = new float[rows * k];
    SoftmaxKernel.logSoftmaxRows(out, in.data(), in.offset(), rows, k);
    return out;
  }

  private static Tensor scaled(Tensor x, float factor) {
    float[] v = x.toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] *= factor;
    }
    return Tensor.wrap(v, x.shape());
  }
}
