package dev.kronet.gkpd.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table of a {@link CompressionPlan}: one row per layer, then totals vs target. */
public final class PlanTable {
  private PlanTable() {}

  public static String format(CompressionPlan plan) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "layer", "shape", "A", "B", "R̂", "params", "dense", "MACs", "dense MACs", "rel. error"
        });
    for (LayerReport l : plan.layers()) {
      rows.add(
          new String[] {
            l.name(),
            l.shape().toString(),
            l.kronecker().map(c -> c.a().toString()).orElse("(dense)"),
            l.kronecker().map(c -> c.b().toString()).orElse(""),
            l.kronecker().map(c -> Integer.toString(c.rank())).orElse(""),
            Long.toString(l.params()),
            Long.toString(l.denseParams()),
            Long.toString(l.macs()),
            Long.toString(l.denseMacs()),
            String.format(Locale.ROOT, "%.4f", l.relativeError())
          });
    }
    rows.add(
        new String[] {
          "total",
          "",
          "",
          "",
          "",
          Long.toString(plan.params()),
          Long.toString(plan.denseParams()),
          Long.toString(plan.macs()),
          Long.toString(plan.denseMacs()),
          String.format(Locale.ROOT, "%.4f", plan.weightedError())
        });
    StringBuilder sb = new StringBuilder(table(rows));
    sb.append(
        String.format(
            Locale.ROOT,
            "compression %.2f× (params %d of limit %d), MACs %d of limit %s, FLOP reduction %.2f×%n",
            plan.compression(),
            plan.params(),
            plan.paramLimit(),
            plan.macs(),
            Budget.limit(plan.macLimit()),
            (double) plan.denseMacs() / plan.macs()));
    return sb.toString();
  }

  private static String table(List<String[]> rows) {
    int cols = rows.getFirst().length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      for (int c = 0; c < cols; c++) {
        // Text columns left-aligned, numbers right-aligned.
        String fmt = c < 4 ? "%-" + width[c] + "s" : "%" + width[c] + "s";
        sb.append(String.format(Locale.ROOT, fmt, r[c]));
        sb.append(c + 1 < cols ? "  " : System.lineSeparator());
      }
      if (i == 0 || i == rows.size() - 2) {
        int total = 0;
        for (int w : width) {
          total += w + 2;
        }
        sb.append("-".repeat(total - 2)).append(System.lineSeparator());
      }
    }
    return sb.toString();
  }
}
