package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.BatchNorm2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.nn.Sequential;
import dev.kronet.engine.ops.Arithmetic;

/**
 * MobileNetV2's inverted residual block (Sandler et al. 2018), as kuangliu's pytorch-cifar defines
 * it (class {@code Block} there; the class name does not enter the state dict): 1×1 expansion
 * {@code conv1} to {@code t·in} channels, 3×3 depthwise {@code conv2} carrying the stride, linear
 * 1×1 projection {@code conv3}, each with BatchNorm, relu after the first two.
 *
 * <p>The residual follows that variant, not the paper: stride-1 blocks always add a shortcut — the
 * identity when the channel count is kept, a 1×1 convolution with BatchNorm when it changes — and
 * stride-2 blocks have none. The expansion conv is kept even for t = 1, as there.
 */
public final class InvertedResidual extends ZooModule {
  private final Module conv1;
  private final BatchNorm2d bn1;
  private final Module conv2;
  private final BatchNorm2d bn2;
  private final Module conv3;
  private final BatchNorm2d bn3;
  private final Sequential shortcut;
  private final boolean residual;

  /**
   * @param path the block's dotted path ({@code "layers.3"})
   */
  public InvertedResidual(
      String path, int in, int out, int expansion, int stride, ConvFactory factory, Rng rng) {
    super(path, factory, rng);
    int planes = expansion * in;
    conv1 = registerConv("conv1", in, planes, 1, 1, 1, false);
    bn1 = registerModule("bn1", new BatchNorm2d(planes));
    conv2 = registerConv("conv2", planes, planes, 3, stride, planes, false);
    bn2 = registerModule("bn2", new BatchNorm2d(planes));
    conv3 = registerConv("conv3", planes, out, 1, 1, 1, false);
    bn3 = registerModule("bn3", new BatchNorm2d(out));
    residual = stride == 1;
    shortcut =
        residual ? registerShortcut(in, out, 1) : registerModule("shortcut", new Sequential());
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor out = bn1.forwardRelu(conv1.forward(x));
    out = bn2.forwardRelu(conv2.forward(out));
    out = bn3.forward(conv3.forward(out));
    return residual ? Arithmetic.add(out, shortcut.forward(x)) : out;
  }
}
