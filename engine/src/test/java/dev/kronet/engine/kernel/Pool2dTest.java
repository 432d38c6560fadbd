package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adaptive-pooling window rule (the values of each pooling kernel are checked against naive
 * loops in {@code ops.PoolingTest}).
 */
class Pool2dTest {
  @Test
  void adaptiveWindowsAreNonEmptyOrderedAndCoverTheInput() {
    Gen<int[]> sizes =
        Gen.<int[]>of((rng, size) -> new int[] {rng.nextInt(1, 40), rng.nextInt(1, 40)})
            .withEdgeCases(List.of(new int[] {1, 1}, new int[] {7, 3}, new int[] {3, 7}));
    Property.check(
        "adaptiveWindowsAreNonEmptyOrderedAndCoverTheInput",
        60,
        sizes,
        s -> {
          int in = s[0];
          int out = s[1];
          assertEquals(0, Pool2d.adaptiveStart(0, in, out), "first window starts at 0");
          assertEquals(in, Pool2d.adaptiveEnd(out - 1, in, out), "last window ends at the input");
          for (int i = 0; i < out; i++) {
            int start = Pool2d.adaptiveStart(i, in, out);
            int end = Pool2d.adaptiveEnd(i, in, out);
            assertEquals(Math.floorDiv(i * in, out), start, "floor(i·in/out)");
            assertEquals(-Math.floorDiv(-(i + 1) * in, out), end, "ceil((i+1)·in/out)");
            assertTrue(start < end, "window " + i + " is empty");
            if (i > 0) {
              // consecutive windows touch or overlap: no input element is skipped
              assertTrue(start <= Pool2d.adaptiveEnd(i - 1, in, out), "gap before window " + i);
            }
          }
        });
  }
}
