package dev.kronet.engine.nn;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Normalization;

/**
 * Batch normalisation over the channel axis, PyTorch's {@code nn.BatchNorm2d} (also accepts [N, C]
 * like {@code BatchNorm1d}): affine {@code weight}/{@code bias}, buffers {@code running_mean},
 * {@code running_var} and the int64 {@code num_batches_tracked}. Training normalises with batch
 * statistics and updates the running ones; eval uses the running statistics.
 */
public final class BatchNorm2d extends Module {
  private final int channels;
  private final float momentum;
  private final float eps;
  private final Tensor weight;
  private final Tensor bias;
  private final Tensor runningMean;
  private final Tensor runningVar;
  private final Counter numBatchesTracked;

  public BatchNorm2d(int channels) {
    this(channels, 0.1f, 1e-5f);
  }

  public BatchNorm2d(int channels, float momentum, float eps) {
    if (channels < 1) {
      throw new KronetException("BatchNorm2d: channels must be ≥ 1, got " + channels);
    }
    this.channels = channels;
    this.momentum = momentum;
    this.eps = eps;
    weight = registerParameter("weight", Tensor.ones(channels));
    bias = registerParameter("bias", Tensor.zeros(channels));
    runningMean = registerBuffer("running_mean", Tensor.zeros(channels));
    runningVar = registerBuffer("running_var", Tensor.ones(channels));
    numBatchesTracked = registerBuffer("num_batches_tracked", new Counter());
  }

  @Override
  public Tensor forward(Tensor x) {
    if (isTraining()) {
      numBatchesTracked.increment();
    }
    return Normalization.batchNorm(
        x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
  }

  /**
   * {@code relu(forward(x))} as one op ({@link Normalization#batchNormRelu}): the same values and
   * gradients, one pass less over the activation forward and backward and no intermediate tensor.
   */
  public Tensor forwardRelu(Tensor x) {
    if (isTraining()) {
      numBatchesTracked.increment();
    }
    return Normalization.batchNormRelu(
        x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
  }

  /**
   * {@code relu(forward(x) + residual)} as one op ({@link Normalization#batchNormAddRelu}): the end
   * of a residual block, with the same values and gradients as the three ops.
   */
  public Tensor forwardAddRelu(Tensor x, Tensor residual) {
    if (isTraining()) {
      numBatchesTracked.increment();
    }
    return Normalization.batchNormAddRelu(
        x, residual, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
  }

  public int channels() {
    return channels;
  }

  public Tensor weight() {
    return weight;
  }

  public Tensor bias() {
    return bias;
  }

  public Tensor runningMean() {
    return runningMean;
  }

  public Tensor runningVar() {
    return runningVar;
  }

  public long numBatchesTracked() {
    return numBatchesTracked.get();
  }

  @Override
  protected String extraRepr() {
    return channels + ", eps=" + eps + ", momentum=" + momentum;
  }
}
