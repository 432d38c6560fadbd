package dev.kronet.training.models;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.Module;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The networks kronet trains, by name: {@code create("resnet20", 3, 10, ConvFactory.DENSE, rng)}.
 * Every model takes 1- or 3-channel (any C ≥ 1) images of any size, ends in global average pooling,
 * and has PyTorch's state-dict names (see each class for the definition it follows).
 */
public final class ModelZoo {
  /** How a registered name builds its network. */
  @FunctionalInterface
  private interface Builder {
    Module build(int inChannels, int numClasses, ConvFactory factory, Rng rng);
  }

  private static final Map<String, Builder> MODELS = new LinkedHashMap<>();

  static {
    for (int depth : new int[] {20, 32, 56}) {
      MODELS.put("resnet" + depth, resnet(ResNet.cifar(depth, false)));
    }
    MODELS.put("resnet18", resnet(ResNet.resnet18(false)));
    MODELS.put("resnet50", resnet(ResNet.resnet50(false)));
    MODELS.put("mobilenetv2", MobileNetV2::new);
    MODELS.put("se_resnet20", resnet(ResNet.cifar(20, true)));
    MODELS.put("se_resnet18", resnet(ResNet.resnet18(true)));
    MODELS.put("se_resnet50", resnet(ResNet.resnet50(true)));
  }

  private ModelZoo() {}

  private static Builder resnet(ResNet.Spec spec) {
    return (in, classes, factory, rng) -> new ResNet(spec, in, classes, factory, rng);
  }

  /** The registered names, in a fixed order. */
  public static List<String> names() {
    return List.copyOf(MODELS.keySet());
  }

  /**
   * Builds the network {@code name} (case-insensitive) for {@code inChannels}-channel images and
   * {@code numClasses} classes, every convolution made by {@code factory}, initialised from {@code
   * rng}.
   *
   * @throws KronetException for an unknown name (listing the valid ones) or sizes below 1
   */
  public static Module create(
      String name, int inChannels, int numClasses, ConvFactory factory, Rng rng) {
    Builder builder = name == null ? null : MODELS.get(name.toLowerCase(Locale.ROOT));
    if (builder == null) {
      throw new KronetException(
          "unknown model '" + name + "'; expected one of " + String.join(", ", names()));
    }
    if (factory == null || rng == null) {
      throw new KronetException(
          "ModelZoo.create('" + name + "'): the conv factory and the rng must not be null");
    }
    return builder.build(inChannels, numClasses, factory, rng);
  }
}
