package dev.kronet.engine.ops;

/**
 * Counts the multiply-adds (MACs) of the forward products this thread runs, so that a layer's cost
 * can be measured from the ops it actually executes rather than from a formula:
 *
 * <pre>{@code
 * try (OpCounter c = OpCounter.count()) {
 *   layer.forward(x);
 *   long macs = c.macs();
 * }
 * }</pre>
 *
 * <p>Counted ops: {@link Convolution#conv2d} ({@code N·F·Ho·Wo·(C/groups)·kh·kw}), {@link
 * Linear#linear} ({@code rows·out·in}) and the products of {@link MatMul} ({@code B·M·N·K}). Only
 * forward passes are counted (a backward pass costs about twice its forward and is not what eq.
 * (17) of the GKPD paper compares); bias additions and elementwise ops are not MACs.
 *
 * <p>The counter is thread-local: an op records on the thread that calls it (the op's entry, before
 * its kernel fans out to the pool), so concurrent tests do not see each other's work. Scopes nest;
 * an op adds its MACs to every open scope of its thread. With no open scope, recording is one
 * thread-local read.
 */
public final class OpCounter implements AutoCloseable {
  private static final ThreadLocal<OpCounter> CURRENT = new ThreadLocal<>();

  private final OpCounter parent;
  private long macs;
  private boolean closed;

  private OpCounter(OpCounter parent) {
    this.parent = parent;
  }

  /** Opens a counting scope on this thread; close it (try-with-resources) to stop counting. */
  public static OpCounter count() {
    OpCounter scope = new OpCounter(CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** The MACs recorded since this scope opened (and up to its close). */
  public long macs() {
    return macs;
  }

  /** Adds {@code n} MACs to every open scope of the calling thread; called by the counted ops. */
  static void record(long n) {
    for (OpCounter s = CURRENT.get(); s != null; s = s.parent) {
      s.macs += n;
    }
  }

  /**
   * Ends this scope; the enclosing scope (if any) becomes current again. Scopes must close in the
   * reverse order of opening, which try-with-resources guarantees.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (CURRENT.get() != this) {
      throw new IllegalStateException(
          "OpCounter: scopes must close innermost first (try-with-resources)");
    }
    closed = true;
    if (parent == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(parent);
    }
  }
}
