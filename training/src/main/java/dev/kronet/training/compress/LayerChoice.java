package dev.kronet.training.compress;

import dev.kronet.engine.Shapes;
import java.util.List;
import java.util.Locale;

/**
 * What replaced one convolution: a description of the factors, and the parameters, multiply-adds
 * and relative reconstruction error beside the dense layer's. The error is NaN for randomly
 * initialised factors (nothing was reconstructed); the table shows "—" there.
 */
public record LayerChoice(
    String name,
    int[] shape,
    String replacement,
    long denseParams,
    long params,
    long denseMacs,
    long macs,
    double relativeError) {

  /** The table followed by the target it was chosen for. */
  public static String table(
      List<LayerChoice> layers, dev.kronet.gkpd.search.NetworkTarget target) {
    long dense = layers.stream().mapToLong(LayerChoice::denseParams).sum();
    long params = layers.stream().mapToLong(LayerChoice::params).sum();
    long macs = layers.stream().mapToLong(LayerChoice::macs).sum();
    long limit = target.paramLimit(dense);
    String macTarget = target.maxMacs() == Long.MAX_VALUE ? "" : ", MACs ≤ " + target.maxMacs();
    return table(layers)
        + String.format(
            Locale.ROOT,
            "target: params ≤ %d%s — %s%n",
            limit,
            macTarget,
            params <= limit && macs <= target.maxMacs() ? "met" : "NOT met");
  }

  /** A plain-text table of the choices and their totals. */
  public static String table(List<LayerChoice> layers) {
    StringBuilder sb = new StringBuilder();
    String row = "%-22s %-16s %-34s %9s %9s %11s %9s%n";
    sb.append(
        String.format(
            Locale.ROOT,
            row,
            "layer",
            "shape",
            "replacement",
            "params",
            "dense",
            "MACs",
            "rel.err"));
    long p = 0;
    long dp = 0;
    long m = 0;
    long dm = 0;
    for (LayerChoice c : layers) {
      sb.append(
          String.format(
              Locale.ROOT,
              row,
              c.name,
              Shapes.format(c.shape).replace(" ", ""),
              c.replacement,
              c.params,
              c.denseParams,
              c.macs,
              Double.isNaN(c.relativeError)
                  ? "—"
                  : String.format(Locale.ROOT, "%.4f", c.relativeError)));
      p += c.params;
      dp += c.denseParams;
      m += c.macs;
      dm += c.denseMacs;
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "total: %d params (dense %d, %.2f×), %d MACs (dense %d, %.2f×)%n",
            p,
            dp,
            dp / (double) Math.max(1, p),
            m,
            dm,
            dm / (double) Math.max(1, m)));
    return sb.toString();
  }
}
