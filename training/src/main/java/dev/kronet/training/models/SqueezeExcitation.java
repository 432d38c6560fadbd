package dev.kronet.training.models;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.Activations;
import dev.kronet.engine.ops.Arithmetic;
import dev.kronet.engine.ops.Pooling;

/**
 * The squeeze-and-excitation gate of Hu et al., "Squeeze-and-Excitation Networks" (CVPR 2018): a
 * channel-wise rescaling {@code x · σ(fc2(relu(fc1(avgpool(x)))))} where fc1 reduces C channels to
 * C/16 and fc2 restores them.
 *
 * <p>Not a module of its own: the two fully connected layers are 1×1 convolutions with bias that
 * the block registers directly as {@code fc1} and {@code fc2}, which is how kuangliu's
 * pytorch-cifar {@code senet.py} names them ({@code layer1.0.fc1.weight}); a 1×1 convolution on the
 * pooled {@code [N, C, 1, 1]} map is the same linear map as {@code nn.Linear} on {@code [N, C]},
 * and being a convolution it also goes through the {@link ConvFactory}.
 */
final class SqueezeExcitation {
  /** The paper's default reduction ratio r. */
  static final int REDUCTION = 16;

  private SqueezeExcitation() {}

  /**
   * Width of the bottleneck for {@code channels}: C / 16 as in the paper, but at least 1 so that a
   * 16-channel CIFAR stage still has a gate (PyTorch's {@code planes // 16} would be 0 below 16).
   */
  static int hidden(int channels) {
    return Math.max(1, channels / REDUCTION);
  }

  /** {@code x [N, C, H, W]} scaled per sample and channel by the gate computed from x. */
  static Tensor apply(Tensor x, Module fc1, Module fc2) {
    Tensor squeezed = Pooling.adaptiveAvgPool2d(x, 1, 1);
    Tensor gate = Activations.sigmoid(fc2.forward(Activations.relu(fc1.forward(squeezed))));
    return Arithmetic.mul(x, gate);
  }
}
