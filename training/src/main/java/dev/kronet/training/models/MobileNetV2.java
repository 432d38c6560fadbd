package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.BatchNorm2d;
import dev.kronet.engine.nn.Linear;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.nn.Sequential;
import dev.kronet.engine.ops.Pooling;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileNetV2 for small images, following kuangliu's pytorch-cifar variant so that its state dicts
 * load: stem {@code conv1}/{@code bn1} (3×3, 32 channels, stride 1 instead of the paper's 2), the
 * 17 {@link InvertedResidual} blocks in one {@code Sequential} named {@code layers}, a 1×1 {@code
 * conv2}/{@code bn2} to 1280 channels, global average pooling and {@code linear}.
 *
 * <p>Choices, all those of that variant unless noted: the second stage (24 channels) has stride 1
 * instead of 2, so a 32×32 input ends at 4×4; the activation is relu, not the paper's relu6;
 * pooling is adaptive to 1×1 (kronet's choice: equal to a 4×4 average pool at 32×32, and valid for
 * any input size); the classifier has no dropout.
 */
public final class MobileNetV2 extends ZooModule {
  /** Stages as (expansion t, output channels c, blocks n, stride of the first block s). */
  private record Stage(int expansion, int channels, int blocks, int stride) {}

  private static final List<Stage> STAGES =
      List.of(
          new Stage(1, 16, 1, 1),
          new Stage(6, 24, 2, 1), // stride 2 in the paper; 1 keeps resolution on 32×32 images
          new Stage(6, 32, 3, 2),
          new Stage(6, 64, 4, 2),
          new Stage(6, 96, 3, 1),
          new Stage(6, 160, 3, 2),
          new Stage(6, 320, 1, 1));

  private static final int STEM = 32;
  private static final int HEAD = 1280;

  private final int inChannels;
  private final Module conv1;
  private final BatchNorm2d bn1;
  private final Sequential layers;
  private final Module conv2;
  private final BatchNorm2d bn2;
  private final Linear linear;

  public MobileNetV2(int inChannels, int numClasses, ConvFactory factory, Rng rng) {
    super("", factory, rng);
    ZooParts.checkSizes("MobileNetV2", inChannels, numClasses);
    this.inChannels = inChannels;
    conv1 = registerConv("conv1", inChannels, STEM, 3, 1, 1, false);
    bn1 = registerModule("bn1", new BatchNorm2d(STEM));
    List<Module> blocks = new ArrayList<>();
    int channels = STEM;
    for (Stage stage : STAGES) {
      for (int b = 0; b < stage.blocks(); b++) {
        int stride = b == 0 ? stage.stride() : 1;
        String path = "layers." + blocks.size();
        blocks.add(
            new InvertedResidual(
                path, channels, stage.channels(), stage.expansion(), stride, factory, rng));
        channels = stage.channels();
      }
    }
    layers = registerModule("layers", new Sequential(blocks));
    conv2 = registerConv("conv2", channels, HEAD, 1, 1, 1, false);
    bn2 = registerModule("bn2", new BatchNorm2d(HEAD));
    linear = registerModule("linear", new Linear(HEAD, numClasses, true, rng.fork()));
  }

  @Override
  public Tensor forward(Tensor x) {
    ZooParts.checkInput("MobileNetV2", x, inChannels);
    Tensor out = bn1.forwardRelu(conv1.forward(x));
    out = layers.forward(out);
    out = bn2.forwardRelu(conv2.forward(out));
    return linear.forward(Pooling.globalAvgPool(out));
  }
}
