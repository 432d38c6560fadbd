package dev.kronet.engine.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kronet's worker threads. Work is split into a number of contiguous chunks that depends only on
 * the problem size and the thread count, so a fixed thread count gives identical results.
 *
 * <p>Thread count: {@link #withThreads} for a block of code on the calling thread, else the process
 * default: {@link #setThreads}, else {@code -Dkronet.threads}, else the {@code KRONET_THREADS}
 * environment variable, else the number of available processors. Each count has its own pool,
 * created on first use and never shut down (idle workers retire on their own), so changing the
 * count never breaks a loop that is running on the old pool.
 */
public final class Parallel {
  /** Body of a parallel loop over the index range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /** A thread count set for the calling thread until {@link #close}d; see {@link #withThreads}. */
  public static final class Scope implements AutoCloseable {
    private final Thread owner = Thread.currentThread();
    private final Integer previous;
    private boolean closed;

    private Scope(Integer previous) {
      this.previous = previous;
    }

    /** Restores the count the calling thread had before; closing twice does nothing. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException(
            "a thread-count scope must be closed by the thread that opened it (" + owner + ")");
      }
      closed = true;
      if (previous == null) {
        SCOPED.remove();
      } else {
        SCOPED.set(previous);
      }
    }
  }

  private static final ThreadLocal<Integer> SCOPED = new ThreadLocal<>();
  private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

  /** The process default; 0 until first read, so a bad setting fails where it is used. */
  private static volatile int defaultThreads;

  private Parallel() {}

  private static int configuredThreads() {
    return configuredThreads(System.getProperty("kronet.threads"), System.getenv("KRONET_THREADS"));
  }

  /** The count {@code -Dkronet.threads} ({@code prop}) or else {@code KRONET_THREADS} asks for. */
  static int configuredThreads(String prop, String env) {
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

  /**
   * The thread count loops started on this thread use.
   *
   * @throws IllegalArgumentException when {@code KRONET_THREADS} or {@code -Dkronet.threads} is not
   *     a whole number ≥ 1 (and no scope or {@link #setThreads} overrides it)
   */
  public static int threads() {
    Integer scoped = SCOPED.get();
    if (scoped != null) {
      return scoped;
    }
    int n = defaultThreads;
    if (n == 0) {
      n = configuredThreads();
      defaultThreads = n;
    }
    return n;
  }

  /** Sets the process default (the CLI's {@code --threads}); scopes still take precedence. */
  public static void setThreads(int n) {
    defaultThreads = checked(n);
  }

  /**
   * Runs the calling thread's loops on {@code n} threads until the returned scope is closed: {@code
   * try (var t = Parallel.withThreads(2)) { … }}. Scopes nest; other threads are not affected.
   */
  public static Scope withThreads(int n) {
    checked(n);
    Scope scope = new Scope(SCOPED.get());
    SCOPED.set(n);
    return scope;
  }

  private static int checked(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("thread count must be ≥ 1, got " + n);
    }
    return n;
  }

  private static ForkJoinPool pool(int n) {
    return POOLS.computeIfAbsent(n, k -> new ForkJoinPool(k, namedFactory(k), null, false));
  }

  /** A thread of one of kronet's pools: loops started on it run inline. */
  private static final class Worker extends ForkJoinWorkerThread {
    Worker(ForkJoinPool pool) {
      super(pool);
    }
  }

  private static ForkJoinPool.ForkJoinWorkerThreadFactory namedFactory(int poolThreads) {
    // numbered here: a new worker's pool index is not assigned yet, so every thread was "kronet-0"
    AtomicInteger next = new AtomicInteger();
    return fjp -> {
      var t = new Worker(fjp);
      t.setName("kronet-" + poolThreads + "-" + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks
   * of at least {@code minChunk} indices. Runs inline on one thread, or when already on a kronet
   * worker (no nested fan-out; another fork-join pool's threads, a parallel stream's, fan out).
   */
  public static void forRange(int n, int minChunk, RangeBody body) {
    int chunks = chunkCount(n, minChunk);
    if (chunks <= 1 || Thread.currentThread() instanceof Worker) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    pool(threads()).invoke(new RangeTask(n, chunks, 0, chunks, body));
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
    if (Thread.currentThread() instanceof Worker) {
      return 1; // forRange runs inline here
    }
    int byWork = Math.max(1, n / Math.max(1, minChunk));
    return Math.min(threads(), Math.min(n, byWork));
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
