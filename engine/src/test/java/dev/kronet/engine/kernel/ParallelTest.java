package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool's chunking: partial results come back in chunk order, however the chunks ran. */
class ParallelTest {
  @Test
  void partialsComeBackInChunkOrderAndCoverTheRange() {
    int before = Parallel.threads();
    Parallel.setThreads(3);
    try {
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
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void aLoopInsideAKronetTaskRunsInlineAsOneChunk() {
    int before = Parallel.threads();
    Parallel.setThreads(2);
    try {
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
    } finally {
      Parallel.setThreads(before);
    }
  }
}
