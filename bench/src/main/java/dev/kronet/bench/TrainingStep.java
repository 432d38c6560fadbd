package dev.kronet.bench;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.Losses;
import dev.kronet.training.optim.NamedParameter;
import dev.kronet.training.optim.ParamGroup;
import dev.kronet.training.optim.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One SGD training step of a model on a fixed random batch of 128 images, as the anchor {@code
 * bench/anchors/torch_train_steps.py} times it (lr 0.1, momentum 0.9, Nesterov, weight decay 5e-4).
 */
final class TrainingStep implements Runnable {
  static final int BATCH = 128;

  private final Module model;
  private final Sgd optimizer;
  private final Tensor x;
  private final int[] y;

  TrainingStep(Module model, int channels, int classes, int size) {
    this.model = model;
    List<NamedParameter> params = new ArrayList<>();
    model.namedParameters().forEach((k, v) -> params.add(new NamedParameter(k, v)));
    optimizer = new Sgd(List.of(new ParamGroup(params, 5e-4)), 0.9, 0, true);
    Rng rng = new Rng(1);
    x = Tensor.randn(rng, BATCH, channels, size, size);
    y = new int[BATCH];
    for (int i = 0; i < y.length; i++) {
      y[i] = rng.nextInt(classes);
    }
  }

  Module model() {
    return model;
  }

  Tensor input() {
    return x;
  }

  @Override
  public void run() {
    model.train();
    optimizer.zeroGrad();
    Losses.crossEntropy(model.forward(x), y, 0f).backward();
    optimizer.step(0.1);
  }

  /** Images per second over {@code steps} steps. */
  double imagesPerSecond(int steps) {
    long t = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      run();
    }
    return (double) BATCH * steps / ((System.nanoTime() - t) / 1e9);
  }

  /**
   * Wall seconds of each of {@code steps} steps, sorted: on a shared machine the fastest steps are
   * the ones another tenant did not slow down, so the best and the median are steadier figures to
   * compare than the mean ({@code bench/anchors/torch_train_steps.py} reports the same for
   * PyTorch).
   */
  double[] sortedStepSeconds(int steps) {
    double[] seconds = new double[steps];
    for (int i = 0; i < steps; i++) {
      long t = System.nanoTime();
      run();
      seconds[i] = (System.nanoTime() - t) / 1e9;
    }
    Arrays.sort(seconds);
    return seconds;
  }
}
