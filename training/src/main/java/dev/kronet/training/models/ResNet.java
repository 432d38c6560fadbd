package dev.kronet.training.models;

import dev.kronet.engine.KronetException;
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
 * The CIFAR-style residual network, optionally with squeeze-excitation: a 3×3 stride-1 stem {@code
 * conv1}/{@code bn1} (no max-pool: small images keep their resolution), stages {@code layer1 …
 * layerK} of blocks where the first block of every stage but the first halves the resolution,
 * global average pooling and the classifier {@code linear}.
 *
 * <p>One class covers the family because the published CIFAR definitions differ only in widths,
 * depths and block: He et al.'s ResNet-20/32/56 (16-32-64, 3n basic blocks; the definition of our
 * PyTorch reference {@code bench/anchors/torch_models.py}, with projection shortcuts) and
 * kuangliu's pytorch-cifar ResNet-18 (64-128-256-512, 2-2-2-2) and ResNet-50 (bottlenecks,
 * 3-4-6-3). Where those use {@code avg_pool2d(out, 4)} (exact for 32×32 inputs only) this uses
 * adaptive pooling to 1×1, identical at 32×32 and valid for any input size.
 */
public final class ResNet extends ZooModule {
  /** The residual block of a body. */
  public enum BlockType {
    BASIC(1),
    BOTTLENECK(Bottleneck.EXPANSION);

    private final int expansion;

    BlockType(int expansion) {
      this.expansion = expansion;
    }

    /** Output channels of a block per unit of its {@code planes}. */
    public int expansion() {
      return expansion;
    }

    Module build(
        String path, int in, int planes, int stride, boolean se, ConvFactory factory, Rng rng) {
      return this == BASIC
          ? new BasicBlock(path, in, planes, stride, se, factory, rng)
          : new Bottleneck(path, in, planes, stride, se, factory, rng);
    }
  }

  /**
   * A body: {@code widths.get(i)} planes and {@code blocks.get(i)} blocks in stage {@code i + 1};
   * the stem has {@code widths.get(0)} channels.
   */
  public record Spec(
      List<Integer> widths, List<Integer> blocks, BlockType block, boolean squeezeExcite) {
    public Spec {
      widths = List.copyOf(widths);
      blocks = List.copyOf(blocks);
      if (widths.isEmpty() || widths.size() != blocks.size()) {
        throw new KronetException(
            "ResNet.Spec: widths "
                + widths
                + " and blocks "
                + blocks
                + " must be non-empty lists of the same length (one entry per stage)");
      }
      for (int i = 0; i < widths.size(); i++) {
        if (widths.get(i) < 1 || blocks.get(i) < 1) {
          throw new KronetException(
              "ResNet.Spec: stage "
                  + (i + 1)
                  + " has width "
                  + widths.get(i)
                  + " and "
                  + blocks.get(i)
                  + " blocks; expected both ≥ 1");
        }
      }
    }
  }

  /**
   * He et al.'s CIFAR ResNet of {@code depth = 6n + 2} layers (20, 32, 44, 56, 110, …): three
   * stages of 16, 32, 64 channels with n basic blocks each.
   */
  public static Spec cifar(int depth, boolean squeezeExcite) {
    if (depth < 8 || (depth - 2) % 6 != 0) {
      throw new KronetException(
          "ResNet.cifar: depth " + depth + " is not 6n + 2 with n ≥ 1 (20, 32, 44, 56, 110, …)");
    }
    int n = (depth - 2) / 6;
    return new Spec(List.of(16, 32, 64), List.of(n, n, n), BlockType.BASIC, squeezeExcite);
  }

  /** ResNet-18 for small images (kuangliu's pytorch-cifar): 64-128-256-512, 2 basic blocks each. */
  public static Spec resnet18(boolean squeezeExcite) {
    return new Spec(
        List.of(64, 128, 256, 512), List.of(2, 2, 2, 2), BlockType.BASIC, squeezeExcite);
  }

  /** ResNet-50 for small images: 64-128-256-512 planes, 3-4-6-3 bottlenecks (×4 channels out). */
  public static Spec resnet50(boolean squeezeExcite) {
    return new Spec(
        List.of(64, 128, 256, 512), List.of(3, 4, 6, 3), BlockType.BOTTLENECK, squeezeExcite);
  }

  private final int inChannels;
  private final Module conv1;
  private final BatchNorm2d bn1;
  private final List<Sequential> stages;
  private final Linear linear;

  public ResNet(Spec spec, int inChannels, int numClasses, ConvFactory factory, Rng rng) {
    super("", factory, rng);
    ZooParts.checkSizes("ResNet", inChannels, numClasses);
    this.inChannels = inChannels;
    int width = spec.widths().get(0);
    conv1 = registerConv("conv1", inChannels, width, 3, 1, 1, false);
    bn1 = registerModule("bn1", new BatchNorm2d(width));
    List<Sequential> built = new ArrayList<>();
    int channels = width;
    for (int s = 0; s < spec.widths().size(); s++) {
      String stage = "layer" + (s + 1);
      int planes = spec.widths().get(s);
      List<Module> blocks = new ArrayList<>();
      for (int b = 0; b < spec.blocks().get(s); b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        String path = stage + "." + b;
        blocks.add(
            spec.block().build(path, channels, planes, stride, spec.squeezeExcite(), factory, rng));
        channels = planes * spec.block().expansion();
      }
      built.add(registerModule(stage, new Sequential(blocks)));
    }
    stages = List.copyOf(built);
    linear = registerModule("linear", new Linear(channels, numClasses, true, rng.fork()));
  }

  @Override
  public Tensor forward(Tensor x) {
    ZooParts.checkInput("ResNet", x, inChannels);
    Tensor out = bn1.forwardRelu(conv1.forward(x));
    for (Sequential stage : stages) {
      out = stage.forward(out);
    }
    return linear.forward(Pooling.globalAvgPool(out));
  }
}
