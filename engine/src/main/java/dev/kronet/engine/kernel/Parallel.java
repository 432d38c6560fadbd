package dev.kronet.engine.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shared thread pool. Work is split into a number of contiguous chunks that depends only on
 * the problem size and the thread count, so a fixed thread count gives identical results.
 *
 * <p>Thread count: {@code -Dkronet.threads}, else the {@code KRONET_THREADS} environment variable,
 * else the number of available processors; {@link #setThreads(int)} changes it at run time.
 */
public final class Parallel {
  /** Body of a parallel loop over the index range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private static volatile int threads = defaultThreads();
  private static volatile ForkJoinPool pool;

  private Parallel() {}

  private static int defaultThreads() {
    String prop = System.getProperty("kronet.threads");
    String env = System.getenv("KRONET_THREADS");
    String v = prop != null ? prop : env;
    if (v != null && !v.isBlank()) {
      try {
        int n = Integer.parseInt(v.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the error below
      }
      throw new IllegalArgumentException(
          (prop != null ? "-Dkronet.threads" : "KRONET_THREADS")
              + "="
              + v
              + ": expected a whole number ≥ 1");
    }
    return Runtime.getRuntime().availableProcessors();
  }

  public static int threads() {
    return threads;
  }

  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("thread count must be ≥ 1, got " + n);
    }
    if (n != threads) {
      threads = n;
      ForkJoinPool old = pool;
      pool = null;
      if (old != null) {
        old.shutdown();
      }
    }
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (Parallel.class) {
        p = pool;
        if (p == null) {
          p = new ForkJoinPool(threads, namedFactory(), null, false);
          pool = p;
        }
      }
    }
    return p;
  }

  private static ForkJoinPool.ForkJoinWorkerThreadFactory namedFactory() {
    // numbered here: a new worker's pool index is not assigned yet, so every thread was "kronet-0"
    AtomicInteger next = new AtomicInteger();
    return fjp -> {
      var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fjp);
      t.setName("kronet-" + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks
   * of at least {@code minChunk} indices. Runs inline on one thread, or when already inside a
   * kronet worker (no nested fan-out).
   */
  public static void forRange(int n, int minChunk, RangeBody body) {
    int chunks = chunkCount(n, minChunk);
    if (chunks <= 1 || ForkJoinTask.inForkJoinPool()) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    pool().invoke(new RangeTask(n, chunks, 0, chunks, body));
  }

  /** Body of {@link #partials}: the partial result of one chunk {@code [from, to)}. */
  @FunctionalInterface
  public interface PartialBody {
    float[] run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, n)} as {@link #forRange} does and returns the chunks' partial
   * results in chunk order (a single one when the loop ran inline), for the caller to add in that
   * order: a sum that depends only on the thread count.
   */
  public static List<float[]> partials(int n, int minChunk, PartialBody body) {
    int chunks = chunkCount(n, minChunk);
    float[][] partial = new float[Math.max(1, chunks)][];
    forRange(n, minChunk, (from, to) -> partial[chunkIndex(n, chunks, from)] = body.run(from, to));
    List<float[]> inOrder = new ArrayList<>();
    for (float[] p : partial) {
      if (p != null) {
        inOrder.add(p);
      }
    }
    return inOrder;
  }

  /** How many chunks {@link #forRange} will use for this size (for per-chunk scratch arrays). */
  public static int chunkCount(int n, int minChunk) {
    if (n <= 0) {
      return 0;
    }
    int byWork = Math.max(1, n / Math.max(1, minChunk));
    return Math.min(threads, Math.min(n, byWork));
  }

  /**
   * The chunk a body of {@link #forRange} runs, from the start {@code from} it was given (for
   * per-chunk partial results added in chunk order). A loop run inline is chunk 0.
   */
  public static int chunkIndex(int n, int chunks, int from) {
    for (int c = 0; c < chunks; c++) {
      if (chunkStart(n, chunks, c) == from) {
        return c;
      }
    }
    if (from == 0) {
      return 0;
    }
    throw new IllegalStateException("no chunk starts at " + from + " of " + n);
  }

  /** Start of chunk {@code c} of {@code chunks} over {@code [0, n)}: even split, larger first. */
  public static int chunkStart(int n, int chunks, int c) {
    int base = n / chunks;
    int extra = n % chunks;
    return c * base + Math.min(c, extra);
  }

  private static final class RangeTask extends RecursiveAction {
    private final int n;
    private final int chunks;
    private final int lo;
    private final int hi;
    private final RangeBody body;

    RangeTask(int n, int chunks, int lo, int hi, RangeBody body) {
      this.n = n;
      this.chunks = chunks;
      this.lo = lo;
      this.hi = hi;
      this.body = body;
    }

    @Override
    protected void compute() {
      if (hi - lo == 1) {
        body.run(chunkStart(n, chunks, lo), chunkStart(n, chunks, lo + 1));
        return;
      }
      int mid = (lo + hi) >>> 1;
      invokeAll(new RangeTask(n, chunks, lo, mid, body), new RangeTask(n, chunks, mid, hi, body));
    }
  }
}
