package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.BatchNormKernel;
import java.util.Arrays;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) with {@code torch.nn.functional.batch_norm}'s
 * semantics. Input {@code x} is {@code [N, C]} or {@code [N, C, d1, d2, …]} (e.g. {@code [N, C, H,
 * W]}); statistics are per channel over the M = N·d1·d2·… values of that channel.
 *
 * <ul>
 *   <li>training: normalise with the batch mean μ and the <em>biased</em> variance σ² = Σ(x −
 *       μ)²/M, and update the running statistics in place: {@code running_mean ← (1 − momentum)·
 *       running_mean + momentum·μ}, {@code running_var ← (1 − momentum)·running_var + momentum·σ²·
 *       M/(M − 1)} (the <em>unbiased</em> variance, as PyTorch);
 *   <li>evaluation: normalise with the running statistics, which are left unchanged.
 * </ul>
 *
 * Then {@code y = (x − μ)/√(σ² + eps)·weight + bias}. {@link #batchNormRelu} is {@code relu(y)} as
 * one op: the pair that follows nearly every convolution in a CNN, in one pass over the activation
 * forward and two backward, with no intermediate tensor (its results equal the two ops', bit for
 * bit).
 */
public final class Normalization {
  private Normalization() {}

  /**
   * Batch norm of {@code x}. {@code runningMean} and {@code runningVar} ({@code [C]}, contiguous)
   * are updated in place in training mode; they may both be null in training (no running statistics
   * tracked, as {@code track_running_stats=False}) but are required in evaluation. {@code weight}
   * and {@code bias} ({@code [C]}) may be null (1 and 0). Gradients flow to x, weight and bias in
   * both modes; in evaluation mode the statistics are constants, in training mode they are
   * differentiated through.
   */
  public static Tensor batchNorm(
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      float momentum,
      float eps) {
    return batchNorm(
        x, null, runningMean, runningVar, weight, bias, training, momentum, eps, false);
  }

  /**
   * {@code relu(batchNorm(x, …))} in one op, with the same arguments and the same results (bit for
   * bit, values and gradients): the backward pass recomputes relu's mask from x and the channel's
   * scale and shift instead of keeping the normalised tensor.
   */
  public static Tensor batchNormRelu(
      Tensor x,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      float momentum,
      float eps) {
    return batchNorm(x, null, runningMean, runningVar, weight, bias, training, momentum, eps, true);
  }

  /**
   * {@code relu(batchNorm(x, …) + residual)} in one op — the end of a ResNet basic block — with the
   * same results as the three ops, bit for bit; {@code residual} has x's shape. The backward pass
   * takes relu's mask from this op's output and writes the masked gradient once, as the residual's
   * gradient and batch norm's incoming one.
   */
  public static Tensor batchNormAddRelu(
      Tensor x,
      Tensor residual,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      float momentum,
      float eps) {
    if (!Arrays.equals(residual.shape(), x.shape())) {
      throw new KronetException(
          "batchNormAddRelu: residual must have the shape of input x "
              + Shapes.format(x.shape())
              + ", got "
              + Shapes.format(residual.shape()));
    }
    return batchNorm(
        x, residual, runningMean, runningVar, weight, bias, training, momentum, eps, true);
  }

  /** Batch norm, then {@code + residual} when that is not null, then relu when {@code relu}. */
  private static Tensor batchNorm(
      Tensor x,
      Tensor residual,
      Tensor runningMean,
      Tensor runningVar,
      Tensor weight,
      Tensor bias,
      boolean training,
      float momentum,
      float eps,
      boolean relu) {
    int[] shape = x.shape();
    checkArguments(shape, runningMean, runningVar, weight, bias, eps);
    int n = shape[0];
    int c = shape[1];
    int s = n * c == 0 ? 1 : Shapes.numel(shape) / (n * c);
    DenseView in = DenseView.of(x);
    ChannelStats stats;
    if (training) {
      stats = batchStatistics(in, shape, s, runningMean, runningVar, momentum, eps);
    } else {
      if (runningMean == null) {
        throw new KronetException(
            "batchNorm: evaluation mode needs runningMean and runningVar, got null");
      }
      stats = runningStatistics(runningMean, runningVar, c, eps);
    }
    float[] mean = stats.mean();
    float[] invStd = stats.invStd();
    float[] w = weight == null ? null : weight.contiguousData();
    float[] b = bias == null ? null : bias.contiguousData();
    float[] out = new float[Shapes.numel(shape)];
    DenseView res = residual == null ? null : DenseView.of(residual);
    BatchNormKernel.normalize(
        out,
        in.data(),
        in.offset(),
        res == null ? null : res.data(),
        res == null ? 0 : res.offset(),
        n,
        c,
        s,
        mean,
        invStd,
        w,
        b,
        relu);
    // The tape takes no null inputs: record only the tensors that exist, gradients in that order.
    Tensor[] args = {x, weight, bias, residual};
    return Tensor.fromOp(
        residual != null ? "batchNormAddRelu" : relu ? "batchNormRelu" : "batchNorm",
        out,
        shape,
        g -> {
          float[] gx = x.requiresGrad() ? new float[out.length] : null;
          float[] gw = weight != null && weight.requiresGrad() ? new float[c] : null;
          float[] gb = bias != null && bias.requiresGrad() ? new float[c] : null;
          // the masked gradient is needed as batch norm's input even when r takes no gradient
          float[] gr = residual != null ? new float[out.length] : null;
          BatchNormKernel.backward(
              gx,
              gw,
              gb,
              g.contiguousData(),
              in.data(),
              in.offset(),
              n,
              c,
              s,
              mean,
              invStd,
              w,
              b,
              training,
              relu,
              out,
              gr);
          return OptionalInputs.gradientsOfPresent(
              args,
              gx == null ? null : Tensor.wrap(gx, shape),
              gw == null ? null : Tensor.wrap(gw, c),
              gb == null ? null : Tensor.wrap(gb, c),
              gr == null || !residual.requiresGrad() ? null : Tensor.wrap(gr, shape));
        },
        OptionalInputs.present(args));
  }

  /** The per-channel shift and scale that normalise: μ and 1/√(σ² + eps). */
  private record ChannelStats(float[] mean, float[] invStd) {}

  /** Batch statistics of x, and the in-place running-statistics update when those are tracked. */
  private static ChannelStats batchStatistics(
      DenseView in,
      int[] shape,
      int s,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float eps) {
    int n = shape[0];
    int c = shape[1];
    long m = (long) n * s;
    if (m <= 1) {
      throw new KronetException(
          "batchNorm: expected more than 1 value per channel when training, got input shape "
              + Shapes.format(shape));
    }
    if (!(momentum >= 0f && momentum <= 1f)) {
      throw new KronetException("batchNorm: momentum must be in [0, 1], got " + momentum);
    }
    double[] batchMean = new double[c];
    double[] batchVar = new double[c];
    BatchNormKernel.channelStats(batchMean, batchVar, in.data(), in.offset(), n, c, s);
    float[] mean = new float[c];
    float[] invStd = new float[c];
    for (int ch = 0; ch < c; ch++) {
      mean[ch] = (float) batchMean[ch];
      invStd[ch] = (float) (1.0 / Math.sqrt(batchVar[ch] + eps));
    }
    if (runningMean != null) {
      updateRunning(runningMean, runningVar, batchMean, batchVar, momentum, m);
    }
    return new ChannelStats(mean, invStd);
  }

  private static ChannelStats runningStatistics(
      Tensor runningMean, Tensor runningVar, int c, float eps) {
    float[] rm = runningMean.data();
    float[] rv = runningVar.data();
    float[] mean = new float[c];
    float[] invStd = new float[c];
    for (int ch = 0; ch < c; ch++) {
      mean[ch] = rm[runningMean.offset() + ch];
      invStd[ch] = (float) (1.0 / Math.sqrt((double) rv[runningVar.offset() + ch] + eps));
    }
    return new ChannelStats(mean, invStd);
  }

  private static void checkArguments(
      int[] shape, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, float eps) {
    if (shape.length < 2) {
      throw new KronetException(
          "batchNorm: input x must be [N, C] or [N, C, ...], got shape " + Shapes.format(shape));
    }
    int c = shape[1];
    checkChannelVector("runningMean", runningMean, c, shape);
    checkChannelVector("runningVar", runningVar, c, shape);
    checkChannelVector("weight", weight, c, shape);
    checkChannelVector("bias", bias, c, shape);
    if ((runningMean == null) != (runningVar == null)) {
      throw new KronetException(
          "batchNorm: runningMean and runningVar must be given together (found only "
              + (runningMean == null ? "runningVar" : "runningMean")
              + ")");
    }
    if (!(eps > 0f)) {
      throw new KronetException("batchNorm: eps must be > 0, got " + eps);
    }
  }

  private static void updateRunning(
      Tensor runningMean,
      Tensor runningVar,
      double[] batchMean,
      double[] batchVar,
      float momentum,
      long m) {
    float[] rm = runningMean.data();
    float[] rv = runningVar.data();
    int mo = runningMean.offset();
    int vo = runningVar.offset();
    double unbias = (double) m / (m - 1);
    for (int ch = 0; ch < batchMean.length; ch++) {
      rm[mo + ch] = (float) ((1 - momentum) * rm[mo + ch] + momentum * batchMean[ch]);
      rv[vo + ch] = (float) ((1 - momentum) * rv[vo + ch] + momentum * batchVar[ch] * unbias);
    }
  }

  private static void checkChannelVector(String name, Tensor t, int c, int[] xShape) {
    if (t == null) {
      return;
    }
    int[] shape = t.shape();
    if (shape.length != 1 || shape[0] != c) {
      throw new KronetException(
          "batchNorm: "
              + name
              + " must have shape ["
              + c
              + "] (the channel count of input "
              + Shapes.format(xShape)
              + "), got "
              + Shapes.format(shape));
    }
    if ((name.startsWith("running")) && !t.isContiguous()) {
      throw new KronetException(
          "batchNorm: " + name + " is updated in place and must be contiguous");
    }
  }
}
