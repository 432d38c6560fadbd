package dev.kronet.training.models;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.gkpd.layer.KroneckerConv2d;
import dev.kronet.gkpd.layer.SvdConv;
import dev.kronet.gkpd.layer.Tucker2Conv;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to rebuild a network's architecture, compressed layers included: the zoo name,
 * the input channels, the class count, and for each replaced convolution what replaced it. Saved as
 * JSON in checkpoints (metadata {@code model}) so that a file alone can be evaluated or fine-tuned.
 */
public record ModelSpec(
    String model, int inChannels, int numClasses, Map<String, Replacement> replacements) {

  /** A convolution replaced by a factorised layer: {@code kind} is kronecker, svd or tucker. */
  public record Replacement(String kind, int[] a, int[] b, int rank, int rankF, boolean bias) {}

  public ModelSpec {
    replacements = new TreeMap<>(replacements);
  }

  public static ModelSpec dense(String model, int inChannels, int numClasses) {
    return new ModelSpec(model, inChannels, numClasses, Map.of());
  }

  /** Describes {@code built}, a {@code model} network possibly holding factorised layers. */
  public static ModelSpec describe(String model, int inChannels, int numClasses, Module built) {
    Map<String, Replacement> r = new LinkedHashMap<>();
    for (var e : built.namedModules().entrySet()) {
      Module m = e.getValue();
      if (m instanceof KroneckerConv2d k) {
        r.put(
            e.getKey(),
            new Replacement("kronecker", k.aShape(), k.bShape(), k.rank(), 0, k.bias() != null));
      } else if (m instanceof SvdConv s) {
        r.put(
            e.getKey(), new Replacement("svd", null, null, s.rank(), 0, s.expand().bias() != null));
      } else if (m instanceof Tucker2Conv t) {
        r.put(
            e.getKey(),
            new Replacement(
                "tucker",
                null,
                null,
                t.first().outChannels(),
                t.core().outChannels(),
                t.last().bias() != null));
      }
    }
    return new ModelSpec(model, inChannels, numClasses, r);
  }

  /** Builds the architecture with fresh weights (load a state dict into it afterwards). */
  public Module build(Rng rng) {
    Map<String, Replacement> pending = new LinkedHashMap<>(replacements);
    Module m =
        ModelZoo.create(
            model,
            inChannels,
            numClasses,
            (name, in, out, k, spec, bias, layerRng) -> {
              Replacement r = pending.remove(name);
              if (r == null) {
                return new Conv2d(in, out, k, k, spec, bias, layerRng);
              }
              return switch (r.kind()) {
                case "kronecker" ->
                    KroneckerConv2d.random(
                        in, out, r.a(), r.b(), r.rank(), spec, r.bias(), layerRng);
                case "svd" ->
                    SvdConv.fromConv(new Conv2d(in, out, k, k, spec, r.bias(), layerRng), r.rank());
                case "tucker" ->
                    Tucker2Conv.fromConv(
                        new Conv2d(in, out, k, k, spec, r.bias(), layerRng), r.rank(), r.rankF());
                default ->
                    throw new KronetException(
                        "model spec: layer " + name + " has unknown kind '" + r.kind() + "'");
              };
            },
            rng);
    if (!pending.isEmpty()) {
      throw new KronetException(
          "model spec names layers " + pending.keySet() + " that " + model + " does not have");
    }
    return m;
  }

  public String toJson() {
    return new Gson().toJson(this);
  }

  public static ModelSpec fromJson(String json) {
    try {
      ModelSpec s = new Gson().fromJson(json, ModelSpec.class);
      if (s == null || s.model() == null) {
        throw new KronetException("model spec is empty: " + json);
      }
      return new ModelSpec(
          s.model(),
          s.inChannels(),
          s.numClasses(),
          s.replacements() == null ? Map.of() : s.replacements());
    } catch (JsonParseException e) {
      throw new KronetException(
          "model spec is not valid JSON (" + e.getMessage() + "): " + json, e);
    }
  }

  /** Parses a spec, or treats a bare zoo name as a dense 1-channel, 10-class network. */
  public static ModelSpec parseOrName(String text) {
    return text.trim().startsWith("{") ? fromJson(text) : dense(text.trim(), 1, 10);
  }
}
