package dev.kronet.engine.ops;

import dev.kronet.engine.kernel.ConvGeometry;
import dev.kronet.engine.kernel.ConvPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the convolutions this thread runs and the kernels planned for each, so that a user can
 * see which kernel every layer of a model gets on this machine ({@code kronet env --kernels}):
 *
 * <pre>{@code
 * try (ConvTrace t = ConvTrace.start()) {
 *   layer.forward(x);
 *   for (ConvTrace.Call c : t.calls()) { ... c.plan() ... }
 * }
 * }</pre>
 *
 * <p>Thread-local like {@link OpCounter}; with no open trace, recording is one thread-local read.
 */
public final class ConvTrace implements AutoCloseable {
  private static final ThreadLocal<ConvTrace> CURRENT = new ThreadLocal<>();

  /**
   * One {@link Convolution#conv2d} call.
   *
   * @param geometry one group's geometry ({@code channels()} per group)
   * @param groups the convolution's groups
   * @param filters all filters
   * @param plan the kernels chosen for its three passes
   */
  public record Call(ConvGeometry geometry, int groups, int filters, ConvPlan plan) {
    /** E.g. {@code 16→32 3×3 s2 p1 @28×28}, with {@code g4} for 4 groups. */
    public String shape() {
      ConvGeometry g = geometry;
      StringBuilder sb = new StringBuilder();
      sb.append(g.channels() * groups).append('→').append(filters);
      sb.append(' ').append(g.kernelH()).append('×').append(g.kernelW());
      if (g.strideH() != 1 || g.strideW() != 1) {
        sb.append(" s")
            .append(
                g.strideH() == g.strideW() ? "" + g.strideH() : g.strideH() + "×" + g.strideW());
      }
      if (g.padTop() != 0 || g.padLeft() != 0) {
        sb.append(" p")
            .append(g.padTop() == g.padLeft() ? "" + g.padTop() : g.padTop() + "×" + g.padLeft());
      }
      if (groups != 1) {
        sb.append(" g").append(groups);
      }
      return sb.append(" @").append(g.height()).append('×').append(g.width()).toString();
    }
  }

  private final ConvTrace parent;
  private final List<Call> calls = new ArrayList<>();
  private boolean closed;

  private ConvTrace(ConvTrace parent) {
    this.parent = parent;
  }

  /** Opens a trace on this thread; close it (try-with-resources) to stop recording. */
  public static ConvTrace start() {
    ConvTrace t = new ConvTrace(CURRENT.get());
    CURRENT.set(t);
    return t;
  }

  /** The calls recorded so far, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  static void record(ConvGeometry g, int groups, int filters, ConvPlan plan) {
    for (ConvTrace t = CURRENT.get(); t != null; t = t.parent) {
      t.calls.add(new Call(g, groups, filters, plan));
    }
  }

  /** Ends this trace; traces close innermost first, as try-with-resources does. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (CURRENT.get() != this) {
      throw new IllegalStateException("ConvTrace: traces must close innermost first");
    }
    closed = true;
    if (parent == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(parent);
    }
  }
}
