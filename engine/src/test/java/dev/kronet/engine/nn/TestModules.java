package dev.kronet.engine.nn;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;

/**
 * Small modules for the module-system tests. The "State" layers carry exactly the parameters and
 * buffers of PyTorch's Conv2d, BatchNorm2d and Linear under the same names; their forward is the
 * identity because these tests are about naming, traversal and state, not the layers' maths (which
 * lives in the ops and is tested there).
 */
final class TestModules {
  private TestModules() {}

  /**
   * Conv2d's state: weight [F, C/groups, k, k] and an optional bias [F], PyTorch's default init.
   */
  static final class ConvState extends Module {
    final Tensor weight;
    final Tensor bias;

    ConvState(int out, int inPerGroup, int k, boolean withBias, Rng rng) {
      weight = registerParameter("weight", Tensor.zeros(out, inPerGroup, k, k));
      bias = withBias ? registerParameter("bias", Tensor.zeros(out)) : null;
      Init.defaultConvOrLinear(weight, bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  /** BatchNorm2d's state: affine weight and bias, running statistics and the batch counter. */
  static final class BatchNormState extends Module {
    final Tensor weight;
    final Tensor bias;
    final Tensor runningMean;
    final Tensor runningVar;
    final Counter numBatchesTracked;

    BatchNormState(int channels) {
      weight = registerParameter("weight", Tensor.ones(channels));
      bias = registerParameter("bias", Tensor.zeros(channels));
      runningMean = registerBuffer("running_mean", Tensor.zeros(channels));
      runningVar = registerBuffer("running_var", Tensor.ones(channels));
      numBatchesTracked = registerBuffer("num_batches_tracked", new Counter());
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  /** Linear's state: weight [out, in] and bias [out]. */
  static final class LinearState extends Module {
    final Tensor weight;
    final Tensor bias;

    LinearState(int out, int in, Rng rng) {
      weight = registerParameter("weight", Tensor.zeros(out, in));
      bias = registerParameter("bias", Tensor.zeros(out));
      Init.defaultConvOrLinear(weight, bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  /** A ResNet basic block's modules, named as in the CIFAR ResNets. */
  static final class Block extends Module {
    Block(int channels, Rng rng) {
      registerModule("conv1", new ConvState(channels, channels, 3, false, rng));
      registerModule("bn1", new BatchNormState(channels));
      registerModule("conv2", new ConvState(channels, channels, 3, false, rng));
      registerModule("bn2", new BatchNormState(channels));
      registerModule("shortcut", new Identity());
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  /** conv1, bn1, layer1 = [Block, Block], fc: the naming skeleton of a small ResNet. */
  static final class Net extends Module {
    final Sequential layer1;

    Net(int channels, int classes, Rng rng) {
      registerModule("conv1", new ConvState(channels, 3, 3, false, rng));
      registerModule("bn1", new BatchNormState(channels));
      layer1 =
          registerModule(
              "layer1", new Sequential(new Block(channels, rng), new Block(channels, rng)));
      registerModule("fc", new LinearState(classes, channels, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
      return x;
    }
  }

  /** y = scale·x + shift, with its backward rule: a parameter-free layer whose order matters. */
  static final class Affine extends Module {
    private final float scale;
    private final float shift;

    Affine(float scale, float shift) {
      this.scale = scale;
      this.shift = shift;
    }

    @Override
    public Tensor forward(Tensor x) {
      float[] v = x.toArray();
      for (int i = 0; i < v.length; i++) {
        v[i] = scale * v[i] + shift;
      }
      return Tensor.fromOp(
          "affine",
          v,
          x.shape(),
          g -> {
            float[] d = g.toArray();
            for (int i = 0; i < d.length; i++) {
              d[i] *= scale;
            }
            return new Tensor[] {Tensor.wrap(d, g.shape())};
          },
          x);
    }
  }
}
