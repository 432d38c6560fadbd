package dev.kronet.training.cli;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.OpCounter;
import dev.kronet.training.compress.ConvSite;
import dev.kronet.training.compress.ConvSites;
import dev.kronet.training.models.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Per-layer parameters and multiply-adds of a model, counted from the ops actually run on one image
 * (not from formulas), and the whole network's totals.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Per-layer params/MACs table of a zoo model or a checkpoint (compressed ones included).",
      "MACs are counted from the ops run on one image of --input-size."
    })
final class InfoCommand implements Callable<Integer> {
  @Option(names = "--model", description = "Zoo model name (default: resnet20).")
  String model;

  @Option(names = "--checkpoint", description = "A kronet checkpoint instead of --model.")
  Path checkpoint;

  @Option(names = "--input-size", description = "Image height = width (default: 28).")
  int inputSize = 28;

  @Override
  public Integer call() {
    if (model != null && checkpoint != null) {
      throw new KronetException("give --model or --checkpoint, not both");
    }
    ModelFiles.Loaded m = ModelFiles.loadOrCreate(checkpoint, model);
    System.out.print(table(m.spec(), m.model(), inputSize));
    return 0;
  }

  /**
   * The convolutions of {@code spec}'s architecture on {@code size × size} inputs, with their input
   * sizes (found on the dense model of the same architecture: a compressed layer is found by name).
   */
  static List<ConvSite> convSites(ModelSpec spec, int size) {
    return ConvSites.find(
        spec.model(),
        ModelSpec.dense(spec.model(), spec.inChannels(), spec.numClasses()).build(new Rng(0)),
        spec.inChannels(),
        spec.numClasses(),
        size,
        size);
  }

  /** The table as text (also used by the demo). */
  static String table(ModelSpec spec, Module net, int size) {
    net.eval();
    StringBuilder sb = new StringBuilder();
    String row = "%-22s %-16s %10s %12s%n";
    sb.append(String.format(Locale.ROOT, row, "layer", "type", "params", "MACs"));
    var modules = net.namedModules();
    try (var s = Autograd.noGrad()) {
      for (ConvSite site : convSites(spec, size)) {
        Module layer = modules.get(site.name());
        long macs;
        try (OpCounter c = OpCounter.count()) {
          layer.forward(Tensor.zeros(1, site.conv().inChannels(), site.inH(), site.inW()));
          macs = c.macs();
        }
        sb.append(
            String.format(
                Locale.ROOT,
                row,
                site.name(),
                layer.getClass().getSimpleName(),
                layer.numParameters(),
                macs));
      }
      long total;
      try (OpCounter c = OpCounter.count()) {
        net.forward(Tensor.zeros(1, spec.inChannels(), size, size));
        total = c.macs();
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%s: %d parameters, %d MACs per %d×%d×%d image (all layers incl. BN and classifier"
                  + " parameters; MACs of convolutions and linear layers)%n",
              spec.model() + (spec.replacements().isEmpty() ? "" : " (compressed)"),
              net.numParameters(),
              total,
              spec.inChannels(),
              size,
              size));
    }
    return sb.toString();
  }
}
