package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.BatchNorm2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.nn.Sequential;
import dev.kronet.engine.ops.Activations;
import dev.kronet.engine.ops.Arithmetic;

/**
 * The ResNet basic block (He et al. 2016, post-activation): {@code relu(bn2(conv2(relu(bn1(conv1
 * x)))) + shortcut(x))} with two 3×3 convolutions, the first carrying the stride.
 *
 * <p>{@code shortcut} is the projection {@code Sequential(conv1×1 with stride, BatchNorm)} when the
 * shape changes (option B of the paper) and an empty {@code Sequential} — the identity, with no
 * state — otherwise, exactly as the CIFAR ResNets of kuangliu's pytorch-cifar and of our PyTorch
 * anchor register it. With squeeze-excitation the block also holds {@code fc1}, {@code fc2}
 * (registered after the shortcut, as kuangliu's {@code senet.py} does) and gates the residual
 * branch before the addition.
 */
public final class BasicBlock extends ZooModule {
  private final Module conv1;
  private final BatchNorm2d bn1;
  private final Module conv2;
  private final BatchNorm2d bn2;
  private final Sequential shortcut;
  private final Module fc1;
  private final Module fc2;

  /**
   * @param path the block's dotted path ({@code "layer2.0"}), prefixed to the names given to {@code
   *     factory}
   */
  public BasicBlock(
      String path,
      int in,
      int planes,
      int stride,
      boolean squeezeExcite,
      ConvFactory factory,
      Rng rng) {
    super(path, factory, rng);
    conv1 = registerConv("conv1", in, planes, 3, stride, 1, false);
    bn1 = registerModule("bn1", new BatchNorm2d(planes));
    conv2 = registerConv("conv2", planes, planes, 3, 1, 1, false);
    bn2 = registerModule("bn2", new BatchNorm2d(planes));
    shortcut = registerShortcut(in, planes, stride);
    if (squeezeExcite) {
      int hidden = SqueezeExcitation.hidden(planes);
      fc1 = registerConv("fc1", planes, hidden, 1, 1, 1, true);
      fc2 = registerConv("fc2", hidden, planes, 1, 1, 1, true);
    } else {
      fc1 = null;
      fc2 = null;
    }
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor out = bn1.forwardRelu(conv1.forward(x));
    if (fc1 == null) {
      return bn2.forwardAddRelu(conv2.forward(out), shortcut.forward(x));
    }
    // squeeze-excitation rescales between batch norm and the sum, so the three stay apart there
    out = SqueezeExcitation.apply(bn2.forward(conv2.forward(out)), fc1, fc2);
    return Activations.relu(Arithmetic.add(out, shortcut.forward(x)));
  }
}
