package dev.kronet.gkpd.search;

import dev.kronet.engine.KronetException;
import java.util.Set;

/**
 * A whole-network compression goal: either a compression ratio (dense parameters / compressed
 * parameters, over all listed layers, skipped ones counted dense) or a total parameter count;
 * optionally a total MAC limit; and the names of layers to keep dense.
 *
 * @param compression the ratio, or NaN when {@code totalParams} is given
 * @param totalParams the total, or -1 when {@code compression} is given
 * @param maxMacs the MAC limit over all layers, {@link Long#MAX_VALUE} for none
 * @param skip layer names kept dense
 */
public record NetworkTarget(double compression, long totalParams, long maxMacs, Set<String> skip) {
  public NetworkTarget {
    boolean byRatio = !Double.isNaN(compression);
    if (byRatio == (totalParams >= 0)) {
      throw new KronetException(
          "network target needs exactly one of a compression ratio or a total parameter count, got"
              + " ratio "
              + compression
              + " and total "
              + totalParams);
    }
    if (byRatio && !(compression > 0)) {
      throw new KronetException("compression ratio must be > 0, got " + compression);
    }
    if (maxMacs < 0) {
      throw new KronetException("MAC limit must be ≥ 0, got " + maxMacs);
    }
    skip = Set.copyOf(skip);
  }

  /** Compress all layers together by {@code ratio} (e.g. 2 for 2×). */
  public static NetworkTarget compression(double ratio) {
    return new NetworkTarget(ratio, -1, Long.MAX_VALUE, Set.of());
  }

  /** At most {@code total} parameters over all layers. */
  public static NetworkTarget totalParams(long total) {
    return new NetworkTarget(Double.NaN, total, Long.MAX_VALUE, Set.of());
  }

  public NetworkTarget withMaxMacs(long macs) {
    return new NetworkTarget(compression, totalParams, macs, skip);
  }

  public NetworkTarget skipping(String... names) {
    return new NetworkTarget(compression, totalParams, maxMacs, Set.of(names));
  }

  /** The parameter limit for a network of {@code denseParams} weights. */
  public long paramLimit(long denseParams) {
    return Double.isNaN(compression) ? totalParams : (long) Math.floor(denseParams / compression);
  }
}
