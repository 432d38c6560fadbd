package dev.kronet.engine.testing;

import dev.kronet.engine.Rng;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small seeded property-test runner on JUnit 5 (in place of jqwik, whose maintainers ask AI
 * agents not to use it). {@code check("law", gen, body)} runs {@code body} on every edge case of
 * {@code gen}, then on random cases drawn from a seed printed on failure. A failing random case is
 * shrunk by replaying its seed at smaller sizes, and reported with the seed, the case and the
 * smallest failing input.
 *
 * <p>Replay: {@code -Dkronet.seed=S} fixes the run seed; {@code -Dkronet.cases=N} changes the
 * number of random cases (default per call).
 */
public final class Property {
  /** The largest size passed to generators. */
  public static final int MAX_SIZE = 100;

  private Property() {}

  public static <T> void check(String law, Gen<T> gen, Consumer<T> body) {
    check(law, 100, gen, body);
  }

  public static <T> void check(String law, int cases, Gen<T> gen, Consumer<T> body) {
    long seed = runSeed();
    int n = Integer.getInteger("kronet.cases", cases);
    List<T> edges = gen.edgeCases();
    for (int i = 0; i < edges.size(); i++) {
      T input = edges.get(i);
      Throwable failure = run(body, input);
      if (failure != null) {
        throw new AssertionError(
            "property '"
                + law
                + "' failed on edge case "
                + i
                + ": "
                + describe(input)
                + "\n"
                + failure.getMessage(),
            failure);
      }
    }
    for (int i = 0; i < n; i++) {
      long caseSeed = caseSeed(seed, i);
      int size = Math.min(MAX_SIZE, 1 + (i * MAX_SIZE) / Math.max(1, n - 1));
      T input = gen.sample(new Rng(caseSeed), size);
      Throwable failure = run(body, input);
      if (failure != null) {
        throw shrinkAndReport(law, gen, body, seed, i, caseSeed, size, input, failure);
      }
    }
  }

  private static <T> AssertionError shrinkAndReport(
      String law,
      Gen<T> gen,
      Consumer<T> body,
      long seed,
      int index,
      long caseSeed,
      int size,
      T input,
      Throwable failure) {
    T smallest = input;
    Throwable smallestFailure = failure;
    int smallestSize = size;
    for (int s = size / 2; s >= 1; s /= 2) {
      T candidate = gen.sample(new Rng(caseSeed), s);
      Throwable f = run(body, candidate);
      if (f != null) {
        smallest = candidate;
        smallestFailure = f;
        smallestSize = s;
      }
    }
    String msg =
        "property '"
            + law
            + "' failed on random case "
            + index
            + " (run seed "
            + seed
            + "; replay with -Dkronet.seed="
            + seed
            + ")\n"
            + "  input:  "
            + describe(input)
            + "\n"
            + "  shrunk: "
            + describe(smallest)
            + " (size "
            + smallestSize
            + ")\n"
            + "  "
            + smallestFailure;
    AssertionError e = new AssertionError(msg, smallestFailure);
    return e;
  }

  private static <T> Throwable run(Consumer<T> body, T input) {
    try {
      body.accept(input);
      return null;
    } catch (AssertionError | RuntimeException e) {
      return e;
    }
  }

  /** The run seed: {@code -Dkronet.seed} when given, else fresh. */
  public static long runSeed() {
    String fixed = System.getProperty("kronet.seed");
    if (fixed != null && !fixed.isBlank()) {
      return Long.parseLong(fixed.trim());
    }
    return System.nanoTime() ^ 0x5DEECE66DL;
  }

  static long caseSeed(long runSeed, int index) {
    return new Rng(runSeed + 0x9E3779B97F4A7C15L * (index + 1)).nextLong();
  }

  static String describe(Object value) {
    if (value instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (value instanceof float[] a) {
      return a.length > 16 ? "float[" + a.length + "]" : Arrays.toString(a);
    }
    if (value instanceof Object[] a) {
      return Arrays.deepToString(a);
    }
    return String.valueOf(value);
  }
}
