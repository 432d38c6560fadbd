package dev.kronet.training.cli;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.io.SafeTensors;
import dev.kronet.engine.io.SafeTensorsFile;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.baseline.MethodComparison;
import dev.kronet.gkpd.cost.ConvSetting;
import dev.kronet.gkpd.cost.ConvShape;
import dev.kronet.gkpd.decompose.KroneckerDecomposition;
import dev.kronet.gkpd.search.Budget;
import dev.kronet.gkpd.search.Candidate;
import dev.kronet.gkpd.search.FactorPair;
import dev.kronet.gkpd.search.LayerSearch;
import dev.kronet.gkpd.search.LayerSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Decomposes one convolution weight from a safetensors file (a kronet checkpoint, or a state dict
 * saved by PyTorch) into Kronecker factors, so results can be checked outside the JVM.
 */
@Command(
    name = "decompose",
    mixinStandardHelpOptions = true,
    description = {
      "Decompose one conv weight [F, C, kh, kw] from a safetensors file with GKPD.",
      "With --a-shape the split is given; otherwise the least-error configuration",
      "within --compression is searched. --compare prints the Figure 1 comparison",
      "(truncated SVD, Tucker-2, GKPD-1, best GKPD) at that compression; --out writes",
      "the factors A [R,F1,C1,kh1,kw1] and B [R,F2,C2,kh2,kw2] to safetensors."
    })
final class DecomposeCommand implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "safetensors file to read.")
  Path weights;

  @Option(
      names = "--tensor",
      required = true,
      description = "Name of the 4-d weight in the file (e.g. model.layer1.0.conv1.weight).")
  String tensor;

  @Option(
      names = "--a-shape",
      split = ",",
      description = "Shape of factor A as F1,C1,kh1,kw1 (each dividing W's dimension).")
  int[] aShape;

  @Option(names = "--rank", description = "Kronecker rank R̂ with --a-shape (default: 1).")
  int rank = 1;

  @Option(
      names = "--compression",
      description = "Parameter compression ratio for the search and --compare (default: 2).")
  double compression = 2;

  @Option(
      names = "--input-size",
      description = "Input height = width, for MAC counts (default: 32, stride 1, 'same').")
  int inputSize = 32;

  @Option(names = "--compare", description = "Also print the Figure 1 comparison.")
  boolean compare;

  @Option(names = "--out", description = "Write the factors and a report to this safetensors file.")
  Path out;

  @Override
  public Integer call() {
    DoubleTensor w = readWeight();
    ConvShape shape = ConvShape.of(w.shape());
    ConvSetting geometry = ConvSetting.same(inputSize, inputSize, shape.kh());
    LayerSpec layer = new LayerSpec(tensor, w, geometry);
    FactorPair pair = aShape == null ? null : givenPair(shape);
    // A given split prices only that split: one SVD instead of one per factor shape.
    LayerSearch search =
        pair == null ? new LayerSearch(layer) : new LayerSearch(layer, p -> p.equals(pair));
    Candidate chosen = pair == null ? searchBest(search) : given(search, pair);
    KroneckerDecomposition d = search.decomposition(chosen.pair());
    System.out.printf(
        Locale.ROOT,
        "%s %s: A %s ⊗ B %s, R̂ = %d%n",
        tensor,
        Shapes.format(w.shape()),
        chosen.a(),
        chosen.b(),
        chosen.rank());
    System.out.printf(
        Locale.ROOT,
        "params %d (dense %d, %.2f× smaller), MACs %d at %d×%d input, relative error %.6f%n",
        chosen.params(),
        shape.numel(),
        shape.numel() / (double) chosen.params(),
        chosen.macs(),
        inputSize,
        inputSize,
        d.relativeError(chosen.rank()));
    if (compare) {
      MethodComparison c = MethodComparison.at(w, geometry, compression);
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "Figure 1 at %s× compression (≤ %d params):%n",
          java.math.BigDecimal.valueOf(compression).stripTrailingZeros().toPlainString(),
          c.paramLimit());
      System.out.printf(Locale.ROOT, "  %-28s %s%n", "method", "relative error");
      System.out.printf(Locale.ROOT, "  %-28s %.6f%n", "SVD (r=" + c.svdRank() + ")", c.svdError());
      System.out.printf(
          Locale.ROOT,
          "  %-28s %.6f%n",
          "Tucker-2 (" + c.tuckerRankC() + ", " + c.tuckerRankF() + ")",
          c.tuckerError());
      System.out.printf(
          Locale.ROOT,
          "  %-28s %.6f%n",
          "GKPD-1 " + c.gkpd1().a() + "⊗" + c.gkpd1().b(),
          c.gkpd1().relativeError());
      System.out.printf(
          Locale.ROOT,
          "  %-28s %.6f%n",
          "GKPD-" + c.gkpdBest().rank() + " " + c.gkpdBest().a() + "⊗" + c.gkpdBest().b(),
          c.gkpdBest().relativeError());
    }
    if (out != null) {
      writeFactors(d, chosen);
      System.out.println("factors written to " + out);
    }
    return 0;
  }

  private DoubleTensor readWeight() {
    SafeTensorsFile file = SafeTensors.read(weights);
    StoredTensor t = file.tensors().get(tensor);
    if (t == null) {
      String convs =
          String.join(
              ", ",
              file.tensors().entrySet().stream()
                  .filter(e -> e.getValue().shape().length == 4)
                  .map(Map.Entry::getKey)
                  .limit(20)
                  .toList());
      throw new KronetException(
          weights
              + " has no tensor '"
              + tensor
              + "'; 4-d tensors in it: "
              + (convs.isEmpty() ? "none" : convs));
    }
    if (t.shape().length != 4) {
      throw new KronetException(
          "--tensor "
              + tensor
              + " has shape "
              + Shapes.format(t.shape())
              + "; expected a conv weight [F, C, kh, kw]");
    }
    return DoubleTensor.ofFloats(t.toFloats(), t.shape());
  }

  private Candidate searchBest(LayerSearch search) {
    if (!(compression >= 1)) {
      throw new KronetException("--compression must be ≥ 1, got " + compression);
    }
    return search.best(Budget.compression(search.layer().weight().numel(), compression));
  }

  private FactorPair givenPair(ConvShape w) {
    if (aShape.length != 4) {
      throw new KronetException(
          "--a-shape needs 4 numbers F1,C1,kh1,kw1, got " + Shapes.format(aShape));
    }
    int[] wd = w.toArray();
    int[] b = new int[4];
    for (int i = 0; i < 4; i++) {
      if (aShape[i] < 1 || wd[i] % aShape[i] != 0) {
        throw new KronetException(
            "--a-shape "
                + Shapes.format(aShape)
                + " does not divide the weight shape "
                + Shapes.format(wd)
                + " (dimension "
                + i
                + ")");
      }
      b[i] = wd[i] / aShape[i];
    }
    return new FactorPair(ConvShape.of(aShape), ConvShape.of(b));
  }

  private Candidate given(LayerSearch search, FactorPair pair) {
    int maxRank = search.decomposition(pair).kroneckerRank();
    if (rank < 1 || rank > maxRank) {
      throw new KronetException(
          "--rank " + rank + " is out of range: this split has Kronecker rank " + maxRank);
    }
    return search.candidates(Budget.unlimited(), rank).stream()
        .filter(c -> c.pair().equals(pair) && c.rank() == rank)
        .findFirst()
        .orElseThrow(() -> new KronetException("no candidate for " + pair + " at rank " + rank));
  }

  private void writeFactors(KroneckerDecomposition d, Candidate c) {
    int r = c.rank();
    Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    tensors.put("A", StoredTensor.ofFloats(d.factorsAFloat(r), d.factorsAShape(r)));
    tensors.put("B", StoredTensor.ofFloats(d.factorsBFloat(r), d.factorsBShape(r)));
    tensors.put("singular_values", StoredTensor.ofDoubles(d.singularValues(), d.kroneckerRank()));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("source", weights.toString());
    meta.put("tensor", tensor);
    meta.put("rank", Integer.toString(r));
    meta.put("relative_error", Double.toString(d.relativeError(r)));
    meta.put("convention", "W[f1*F2+f2, c1*C2+c2, i1*kh2+i2, j1*kw2+j2] = sum_r A[r]*B[r]");
    SafeTensors.write(out, tensors, meta);
  }
}
