package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.testing.WithThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The pool's chunking (partial results in chunk order, however the chunks ran) and its thread
 * count: scoped to a thread, nested, never breaking a loop already running.
 */
class ParallelTest {
  @Test
  @WithThreads(3)
  void partialsComeBackInChunkOrderAndCoverTheRange() {
    List<float[]> parts = Parallel.partials(10, 1, (from, to) -> new float[] {from, to});
    assertEquals(3, parts.size());
    float next = 0;
    for (float[] p : parts) {
      assertEquals(next, p[0], "chunks in order, without gaps");
      next = p[1];
    }
    assertEquals(10f, next);
    assertEquals(1, Parallel.partials(10, 8, (from, to) -> new float[] {from, to}).size());
    assertEquals(0, Parallel.partials(0, 1, (from, to) -> new float[0]).size());
  }

  @Test
  @WithThreads(2)
  void aLoopInsideAKronetTaskRunsInlineAsOneChunk() {
    List<List<float[]>> inner = new ArrayList<>();
    Parallel.forRange(
        2,
        1,
        (from, to) -> {
          if (from == 0) {
            inner.add(Parallel.partials(10, 1, (a, b) -> new float[] {a, b}));
          }
        });
    assertEquals(1, inner.get(0).size());
    assertEquals(0f, inner.get(0).get(0)[0]);
    assertEquals(10f, inner.get(0).get(0)[1]);
  }

  @Test
  void scopesNestAndRestoreTheCountTheThreadHadBefore() {
    int outside = Parallel.threads();
    try (var two = Parallel.withThreads(2)) {
      assertEquals(2, Parallel.threads());
      try (var five = Parallel.withThreads(5)) {
        assertEquals(5, Parallel.threads());
        assertEquals(5, Parallel.chunkCount(100, 1));
      }
      assertEquals(2, Parallel.threads());
      two.close();
      two.close(); // a second close changes nothing
      assertEquals(outside, Parallel.threads());
    }
    assertEquals(outside, Parallel.threads());
  }

  @Test
  void aScopeDoesNotReachOtherThreads() throws Exception {
    int outside = Parallel.threads();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (var scope = Parallel.withThreads(outside + 3)) {
      assertEquals(outside, other.submit(Parallel::threads).get());
      Future<?> closedElsewhere = other.submit(scope::close);
      var error = assertThrows(Exception.class, closedElsewhere::get);
      assertTrue(error.getCause() instanceof IllegalStateException, error.toString());
      assertEquals(outside + 3, Parallel.threads(), "the scope is still open on its own thread");
    } finally {
      other.shutdown();
    }
  }

  @Test
  void badCountsAreOneLineErrors() {
    assertThrows(IllegalArgumentException.class, () -> Parallel.withThreads(0));
    var env =
        assertThrows(IllegalArgumentException.class, () -> Parallel.configuredThreads(null, "x"));
    assertEquals("KRONET_THREADS=x: expected a whole number ≥ 1", env.getMessage());
    var prop =
        assertThrows(IllegalArgumentException.class, () -> Parallel.configuredThreads("0", "4"));
    assertEquals("-Dkronet.threads=0: expected a whole number ≥ 1", prop.getMessage());
    assertEquals(4, Parallel.configuredThreads(null, " 4 "));
    assertEquals(3, Parallel.configuredThreads("3", "x"), "the property wins over the variable");
    assertEquals(
        Runtime.getRuntime().availableProcessors(), Parallel.configuredThreads(null, "  "));
  }

  /**
   * A loop started while another thread changes the process default keeps its pool: the old code
   * shut the old pool down under it, and its {@code invoke} threw RejectedExecutionException.
   */
  @Test
  void changingTheDefaultNeverBreaksARunningLoop() throws Exception {
    int before = Parallel.threads();
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch changed = new CountDownLatch(1);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<?> loop =
          caller.submit(
              () -> {
                try (var scope = Parallel.withThreads(2)) {
                  Parallel.forRange(
                      2,
                      1,
                      (from, to) -> {
                        started.countDown();
                        await(changed);
                      });
                  // and a new loop on the same thread after the change still runs
                  Parallel.forRange(4, 1, (from, to) -> {});
                }
              });
      assertTrue(started.await(10, TimeUnit.SECONDS), "both chunks running");
      Parallel.setThreads(before + 1);
      Parallel.setThreads(before);
      changed.countDown();
      loop.get(10, TimeUnit.SECONDS);
    } finally {
      changed.countDown();
      caller.shutdown();
      Parallel.setThreads(before);
    }
  }

  /** Only kronet's own workers run loops inline: a parallel stream's threads still fan out. */
  @Test
  void aLoopStartedOnAnotherForkJoinPoolFansOutToKronetWorkers() throws Exception {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    ForkJoinPool foreign = new ForkJoinPool(1);
    try {
      foreign
          .submit(
              () ->
                  IntStream.range(0, 1)
                      .parallel()
                      .forEach(
                          i -> {
                            try (var scope = Parallel.withThreads(2)) {
                              Parallel.forRange(
                                  2, 1, (from, to) -> ran.add(Thread.currentThread().getName()));
                            }
                          }))
          .get(10, TimeUnit.SECONDS);
    } finally {
      foreign.shutdown();
    }
    assertTrue(ran.stream().allMatch(n -> n.startsWith("kronet-")), "ran on " + ran);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
