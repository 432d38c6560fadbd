package dev.kronet.training.cli;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.gkpd.search.NetworkTarget;
import dev.kronet.training.compress.CompressedModel;
import dev.kronet.training.compress.CompressionMethod;
import dev.kronet.training.compress.CompressionRequest;
import dev.kronet.training.compress.LayerChoice;
import dev.kronet.training.compress.ModelCompressor;
import dev.kronet.training.models.ModelSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Compresses a trained checkpoint with GKPD (or a baseline) and writes the compressed model. */
@Command(
    name = "compress",
    mixinStandardHelpOptions = true,
    description = {
      "Replace the convolutions of a trained model by GKPD (or SVD / Tucker-2) layers.",
      "The target is over the eligible convolutions (k×k, groups 1, not skipped); the",
      "per-layer table shows shapes, factors, R̂, params, MACs and reconstruction error."
    })
final class CompressCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, description = "Trained model checkpoint.")
  Path checkpoint;

  @Option(names = "--method", description = "gkpd, svd or tucker (default: gkpd).")
  String method = "gkpd";

  @Option(names = "--compression", description = "Parameter compression ratio, e.g. 5.")
  Double compression;

  @Option(names = "--params", description = "Total parameters of the eligible convolutions.")
  Long params;

  @Option(
      names = "--max-flops",
      description =
          "GKPD: at most this many MACs per image over the eligible convolutions (default: as"
              + " many as the dense layers, so compression never costs compute; 0: no limit).")
  Long maxFlops;

  @Option(
      names = "--allocation",
      description =
          "GKPD: uniform (every layer at the ratio, the paper's setting) or global (the network"
              + " search moves parameters between layers); default: uniform.")
  String allocation = "uniform";

  @Option(
      names = "--rank",
      description =
          "GKPD, uniform allocation: exactly this many Kronecker terms R̂ in every layer, the"
              + " factor shapes still searched (default: the search picks R̂ per layer).")
  int rank;

  @Option(names = "--random-init", description = "GKPD: random factors (paper's Table 5).")
  boolean randomInit;

  @Option(names = "--include-1x1", description = "Also compress 1×1 convolutions.")
  boolean include1x1;

  @Option(
      names = "--skip",
      split = ",",
      description = "Convolutions kept dense (default: conv1, the stem).")
  Set<String> skip = Set.of("conv1");

  @Option(names = "--input-size", description = "Image size for MAC counts (default: 28).")
  int inputSize = 28;

  @Option(names = "--seed", description = "Seed for random factors (default: 1).")
  long seed = 1;

  @Option(names = "--out", required = true, description = "Where to write the compressed model.")
  Path out;

  @Override
  public Integer call() {
    ModelFiles.Loaded trained = ModelFiles.load(checkpoint);
    if (!trained.spec().replacements().isEmpty()) {
      throw new KronetException(checkpoint + " is already compressed; compress a dense model");
    }
    long macLimit = maxFlops != null ? maxFlops : denseMacs(trained);
    CompressionRequest request = request(macLimit);
    CompressedModel c = compress(trained, request, inputSize, seed);
    System.out.print(LayerChoice.table(c.layers(), request.target()));
    ModelSpec spec =
        ModelSpec.describe(
            trained.spec().model(),
            trained.spec().inChannels(),
            trained.spec().numClasses(),
            c.model());
    ModelFiles.save(out, spec, c.model(), "{}");
    System.out.printf(
        Locale.ROOT,
        "%s: %d parameters (dense %d); written to %s%n",
        spec.model(),
        c.model().numParameters(),
        trained.model().numParameters(),
        out);
    return 0;
  }

  /** The request with at most {@code macLimit} MACs ({@code ≤ 0}: no limit). */
  CompressionRequest request(long macLimit) {
    if ((compression == null) == (params == null)) {
      throw new KronetException("give exactly one of --compression or --params");
    }
    NetworkTarget target =
        compression != null
            ? NetworkTarget.compression(compression)
            : NetworkTarget.totalParams(params);
    if (macLimit > 0) {
      target = target.withMaxMacs(macLimit);
    }
    CompressionRequest.Allocation a =
        switch (allocation.toLowerCase(Locale.ROOT)) {
          case "uniform" -> CompressionRequest.Allocation.UNIFORM;
          case "global" -> CompressionRequest.Allocation.GLOBAL;
          default ->
              throw new KronetException(
                  "--allocation " + allocation + ": expected uniform or global");
        };
    return new CompressionRequest(
        CompressionMethod.parse(method), target, randomInit, include1x1, skip, a, rank);
  }

  /** MACs of the convolutions the request makes eligible, as dense layers. */
  private long denseMacs(ModelFiles.Loaded trained) {
    ModelSpec s = trained.spec();
    return ModelCompressor.denseMacs(
        ModelCompressor.eligibleSites(
            s.model(),
            trained.model(),
            s.inChannels(),
            s.numClasses(),
            inputSize,
            inputSize,
            request(0)));
  }

  static CompressedModel compress(
      ModelFiles.Loaded trained, CompressionRequest request, int size, long seed) {
    ModelSpec s = trained.spec();
    return ModelCompressor.compress(
        s.model(),
        trained.model(),
        s.inChannels(),
        s.numClasses(),
        size,
        size,
        request,
        new Rng(seed));
  }
}
