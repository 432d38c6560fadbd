package dev.kronet.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyTest {
  @Test
  void edgeCasesRunFirstThenRandomCases() {
    List<Integer> seen = new ArrayList<>();
    Property.check("records", 5, Gens.ints(1, 40), seen::add);
    List<Integer> edges = Gens.ints(1, 40).edgeCases();
    assertEquals(edges, seen.subList(0, edges.size()));
    assertEquals(edges.size() + 5, seen.size());
    assertTrue(edges.contains(1) && edges.contains(40));
  }

  @Test
  void aFailingCaseIsReportedWithItsSeedAndAShrunkInput() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Property.check(
                    "smallerThan30",
                    50,
                    Gens.ints(31, 1000).withEdgeCases(List.of()),
                    v -> assertTrue(v < 30, "value " + v)));
    String msg = e.getMessage();
    assertTrue(msg.contains("replay with -Dkronet.seed="), msg);
    assertTrue(msg.contains("shrunk: "), msg);
  }

  @Test
  void theSameCaseSeedDrawsTheSameValue() {
    Gen<int[]> shapes = Gens.shapes(1, 4, 9);
    long caseSeed = Property.caseSeed(42, 3);
    assertEquals(
        java.util.Arrays.toString(shapes.sample(new Rng(caseSeed), 50)),
        java.util.Arrays.toString(shapes.sample(new Rng(caseSeed), 50)));
  }

  @Test
  void gradCheckCatchesAWrongBackwardRule() {
    dev.kronet.engine.Tensor x = dev.kronet.engine.Tensor.vector(1, 2, 3).requiresGrad(true);
    // "double" whose backward rule forgets the factor 2.
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                GradCheck.create()
                    .check(
                        "brokenDouble",
                        in -> {
                          float[] v = in[0].toArray();
                          for (int i = 0; i < v.length; i++) {
                            v[i] *= 2;
                          }
                          return dev.kronet.engine.Tensor.fromOp(
                              "brokenDouble",
                              v,
                              in[0].shape(),
                              g -> new dev.kronet.engine.Tensor[] {g},
                              in[0]);
                        },
                        x));
    assertTrue(e.getMessage().contains("analytic"), e.getMessage());
  }
}
