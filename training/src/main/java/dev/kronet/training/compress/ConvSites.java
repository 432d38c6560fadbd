package dev.kronet.training.compress;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.training.models.ModelZoo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the convolutions of a zoo model together with the spatial size each one sees, which the
 * multiply-add counts need. Sizes are measured rather than derived: a throw-away copy of the
 * architecture is built with recording convolutions and run once on a blank image.
 */
public final class ConvSites {
  private ConvSites() {}

  /** Every {@link Conv2d} of {@code trained} (a {@code modelName} network) with its input size. */
  public static List<ConvSite> find(
      String modelName, Module trained, int inChannels, int numClasses, int height, int width) {
    Map<String, int[]> sizes = new HashMap<>();
    Module probe =
        ModelZoo.create(
            modelName,
            inChannels,
            numClasses,
            (name, in, out, k, spec, bias, rng) ->
                new Recording(name, new Conv2d(in, out, k, k, spec, bias, rng), sizes),
            new Rng(0));
    probe.eval();
    try (var s = Autograd.noGrad()) {
      probe.forward(Tensor.zeros(1, inChannels, height, width));
    }
    List<ConvSite> sites = new ArrayList<>();
    for (var e : trained.namedModules().entrySet()) {
      if (e.getValue() instanceof Conv2d conv) {
        int[] hw = sizes.get(e.getKey());
        if (hw == null) {
          throw new IllegalStateException(
              "conv '" + e.getKey() + "' of " + modelName + " was not built by its ConvFactory");
        }
        sites.add(new ConvSite(e.getKey(), conv, hw[0], hw[1]));
      }
    }
    return sites;
  }

  /** A convolution that notes the spatial size of its input under its dotted name. */
  private static final class Recording extends Module {
    private final String name;
    private final Conv2d conv;
    private final Map<String, int[]> sizes;

    Recording(String name, Conv2d conv, Map<String, int[]> sizes) {
      this.name = name;
      this.conv = registerModule("conv", conv);
      this.sizes = sizes;
    }

    @Override
    public Tensor forward(Tensor x) {
      sizes.put(name, new int[] {x.size(2), x.size(3)});
      return conv.forward(x);
    }
  }
}
