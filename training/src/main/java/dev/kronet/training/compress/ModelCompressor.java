package dev.kronet.training.compress;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.baseline.TruncatedSvd;
import dev.kronet.gkpd.baseline.Tucker2;
import dev.kronet.gkpd.cost.ConvCost;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.layer.KroneckerConv2d;
import dev.kronet.gkpd.layer.SvdConv;
import dev.kronet.gkpd.layer.Tucker2Conv;
import dev.kronet.gkpd.search.Candidate;
import dev.kronet.gkpd.search.LayerReport;
import dev.kronet.gkpd.search.LayerSpec;
import dev.kronet.gkpd.search.NetworkSearch;
import dev.kronet.gkpd.search.UniformPlan;
import dev.kronet.training.models.ModelZoo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a trained zoo model into a compressed one: finds the eligible convolutions, chooses a
 * replacement for each (GKPD by the network search, SVD/Tucker-2 by a uniform per-layer budget),
 * builds the same architecture with those layers through its {@code ConvFactory}, and copies every
 * other tensor (BatchNorm, classifier, dense convolutions) from the trained model.
 */
public final class ModelCompressor {
  private ModelCompressor() {}

  public static CompressedModel compress(
      String modelName,
      Module trained,
      int inChannels,
      int numClasses,
      int height,
      int width,
      CompressionRequest request,
      Rng rng) {
    List<ConvSite> sites =
        eligibleSites(modelName, trained, inChannels, numClasses, height, width, request);
    if (sites.isEmpty()) {
      throw new KronetException(
          modelName
              + " has no convolution eligible for compression (skipped: "
              + request.skip()
              + ", 1×1 included: "
              + request.include1x1()
              + ")");
    }
    Map<String, Function<Rng, Module>> replacements = new HashMap<>();
    List<LayerChoice> choices =
        switch (request.method()) {
          case GKPD -> chooseGkpd(sites, request, replacements);
          case SVD, TUCKER -> chooseBaseline(sites, request, replacements);
        };
    Module compressed =
        ModelZoo.create(
            modelName,
            inChannels,
            numClasses,
            (name, in, out, k, spec, bias, layerRng) -> {
              Function<Rng, Module> r = replacements.get(name);
              return r != null
                  ? r.apply(layerRng)
                  : new Conv2d(in, out, k, k, spec, bias, layerRng);
            },
            rng);
    copySharedState(trained, compressed);
    return new CompressedModel(compressed, choices);
  }

  /**
   * The convolutions {@code request} would replace: ungrouped (any strides, padding and dilation:
   * the Kronecker layer runs them all), not skipped, and larger than 1×1 unless 1×1 ones are
   * included.
   */
  public static List<ConvSite> eligibleSites(
      String modelName,
      Module trained,
      int inChannels,
      int numClasses,
      int height,
      int width,
      CompressionRequest request) {
    List<ConvSite> sites = new ArrayList<>();
    for (ConvSite s : ConvSites.find(modelName, trained, inChannels, numClasses, height, width)) {
      if (eligible(s, request)) {
        sites.add(s);
      }
    }
    return sites;
  }

  /** The multiply-adds of {@code sites} as dense convolutions. */
  public static long denseMacs(List<ConvSite> sites) {
    long total = 0;
    for (ConvSite s : sites) {
      total += ConvCost.denseMacs(ConvShape.of(s.conv().weight().shape()), geometry(s));
    }
    return total;
  }

  static boolean eligible(ConvSite s, CompressionRequest request) {
    Conv2d c = s.conv();
    boolean pointwise = c.kernelHeight() == 1 && c.kernelWidth() == 1;
    return c.spec().groups() == 1
        && !request.skip().contains(s.name())
        && (request.include1x1() || !pointwise);
  }

  private static ConvSetting geometry(ConvSite s) {
    return new ConvSetting(s.inH(), s.inW(), s.conv().spec());
  }

  private static DoubleTensor weight(Conv2d conv) {
    return DoubleTensor.ofFloats(conv.weight().toArray(), conv.weight().shape());
  }

  private static List<LayerChoice> chooseGkpd(
      List<ConvSite> sites,
      CompressionRequest request,
      Map<String, Function<Rng, Module>> replacements) {
    List<LayerSpec> specs = new ArrayList<>();
    Map<String, ConvSite> byName = new LinkedHashMap<>();
    for (ConvSite s : sites) {
      specs.add(new LayerSpec(s.name(), weight(s.conv()), geometry(s)));
      byName.put(s.name(), s);
    }
    List<LayerReport> reports =
        request.allocation() == CompressionRequest.Allocation.GLOBAL
            ? NetworkSearch.plan(specs, request.target()).layers()
            : UniformPlan.plan(specs, request.target(), request.rank()).layers();
    List<LayerChoice> choices = new ArrayList<>();
    for (LayerReport r : reports) {
      Conv2d conv = byName.get(r.name()).conv();
      if (r.kronecker().isEmpty()) {
        choices.add(
            new LayerChoice(
                r.name(),
                r.shape().toArray(),
                "dense",
                r.denseParams(),
                r.denseParams(),
                r.denseMacs(),
                r.denseMacs(),
                0));
        continue;
      }
      Candidate c = r.kronecker().get();
      replacements.put(
          r.name(),
          layerRng ->
              request.randomInit()
                  ? KroneckerConv2d.random(
                      conv.inChannels(),
                      conv.outChannels(),
                      c.a().toArray(),
                      c.b().toArray(),
                      c.rank(),
                      conv.spec(),
                      conv.bias() != null,
                      layerRng)
                  : KroneckerConv2d.fromConv(conv, c));
      choices.add(
          new LayerChoice(
              r.name(),
              r.shape().toArray(),
              "GKPD-" + c.rank() + " " + c.a() + "⊗" + c.b(),
              r.denseParams(),
              c.params(),
              r.denseMacs(),
              c.macs(),
              request.randomInit() ? Double.NaN : c.relativeError()));
    }
    return choices;
  }

  private static List<LayerChoice> chooseBaseline(
      List<ConvSite> sites,
      CompressionRequest request,
      Map<String, Function<Rng, Module>> replacements) {
    if (request.randomInit()) {
      throw new KronetException(
          "random initialisation applies to GKPD only, not " + request.method());
    }
    long dense = 0;
    for (ConvSite s : sites) {
      dense += s.conv().weight().numel();
    }
    // The baselines have no cross-layer search: every layer gets the network's ratio.
    double ratio = UniformPlan.ratio(dense, request.target());
    List<LayerChoice> choices = new ArrayList<>();
    for (ConvSite s : sites) {
      Conv2d conv = s.conv();
      DoubleTensor w = weight(conv);
      ConvShape shape = ConvShape.of(conv.weight().shape());
      ConvSetting g = geometry(s);
      long limit = (long) Math.floor(shape.numel() / ratio);
      long denseMacs = ConvCost.denseMacs(shape, g);
      if (request.method() == CompressionMethod.SVD) {
        TruncatedSvd svd = TruncatedSvd.decompose(w);
        int rank = svd.rankForParams(limit);
        requireRank(s, rank, limit);
        replacements.put(s.name(), layerRng -> SvdConv.fromConv(conv, rank));
        choices.add(
            new LayerChoice(
                s.name(),
                shape.toArray(),
                "SVD r=" + rank,
                shape.numel(),
                svd.params(rank),
                denseMacs,
                TruncatedSvd.macs(shape, rank, g),
                svd.relativeError(rank)));
      } else {
        Tucker2 tucker = Tucker2.decompose(w);
        int[] ranks = tucker.ranksForParams(limit);
        requireRank(s, Math.min(ranks[0], ranks[1]), limit);
        replacements.put(s.name(), layerRng -> Tucker2Conv.fromConv(conv, ranks[0], ranks[1]));
        choices.add(
            new LayerChoice(
                s.name(),
                shape.toArray(),
                "Tucker-2 (" + ranks[0] + ", " + ranks[1] + ")",
                shape.numel(),
                tucker.params(ranks[0], ranks[1]),
                denseMacs,
                Tucker2.macs(shape, ranks[0], ranks[1], g),
                tucker.relativeError(ranks[0], ranks[1])));
      }
    }
    return choices;
  }

  private static void requireRank(ConvSite s, int rank, long limit) {
    if (rank < 1) {
      throw new KronetException(
          s.name() + ": no rank fits in " + limit + " parameters; ask for less compression");
    }
  }

  /** Copies every tensor the two models share by name and shape (all but the replaced convs). */
  private static void copySharedState(Module from, Module to) {
    Map<String, StoredTensor> source = from.stateDict();
    Map<String, StoredTensor> target = to.stateDict();
    Map<String, StoredTensor> shared = new LinkedHashMap<>();
    for (var e : target.entrySet()) {
      StoredTensor s = source.get(e.getKey());
      if (s != null && Arrays.equals(s.shape(), e.getValue().shape())) {
        shared.put(e.getKey(), s);
      }
    }
    to.loadStateDict(shared, false);
  }
}
