package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.BatchNorm2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.nn.Sequential;
import dev.kronet.engine.ops.Activations;
import dev.kronet.engine.ops.Arithmetic;

/**
 * The ResNet bottleneck block of ResNet-50 and deeper: 1×1 reduce to {@code planes}, 3×3 with the
 * stride (the "v1.5" placement of torchvision and kuangliu's pytorch-cifar), 1×1 expand to {@code
 * 4·planes}, each followed by BatchNorm, plus the shortcut of {@link BasicBlock}. With
 * squeeze-excitation (SE-ResNet-50) the gate acts on the expanded branch before the addition, as in
 * the SE paper's Fig. 3, with its {@code fc1}/{@code fc2} registered after the shortcut.
 */
public final class Bottleneck extends ZooModule {
  /** Output channels per {@code planes}. */
  public static final int EXPANSION = 4;

  private final Module conv1;
  private final BatchNorm2d bn1;
  private final Module conv2;
  private final BatchNorm2d bn2;
  private final Module conv3;
  private final BatchNorm2d bn3;
  private final Sequential shortcut;
  private final Module fc1;
  private final Module fc2;

  /**
   * @param path the block's dotted path ({@code "layer2.0"})
   */
  public Bottleneck(
      String path,
      int in,
      int planes,
      int stride,
      boolean squeezeExcite,
      ConvFactory factory,
      Rng rng) {
    super(path, factory, rng);
    int out = EXPANSION * planes;
    conv1 = registerConv("conv1", in, planes, 1, 1, 1, false);
    bn1 = registerModule("bn1", new BatchNorm2d(planes));
    conv2 = registerConv("conv2", planes, planes, 3, stride, 1, false);
    bn2 = registerModule("bn2", new BatchNorm2d(planes));
    conv3 = registerConv("conv3", planes, out, 1, 1, 1, false);
    bn3 = registerModule("bn3", new BatchNorm2d(out));
    shortcut = registerShortcut(in, out, stride);
    if (squeezeExcite) {
      int hidden = SqueezeExcitation.hidden(out);
      fc1 = registerConv("fc1", out, hidden, 1, 1, 1, true);
      fc2 = registerConv("fc2", hidden, out, 1, 1, 1, true);
    } else {
      fc1 = null;
      fc2 = null;
    }
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor out = bn1.forwardRelu(conv1.forward(x));
    out = bn2.forwardRelu(conv2.forward(out));
    if (fc1 == null) {
      return bn3.forwardAddRelu(conv3.forward(out), shortcut.forward(x));
    }
    // squeeze-excitation rescales between batch norm and the sum, so the three stay apart there
    out = SqueezeExcitation.apply(bn3.forward(conv3.forward(out)), fc1, fc2);
    return Activations.relu(Arithmetic.add(out, shortcut.forward(x)));
  }
}
