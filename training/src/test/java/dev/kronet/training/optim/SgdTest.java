package dev.kronet.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SgdTest {
  /** Two steps with a constant gradient 0.5 from p = 1 (lr 0.1, momentum 0.9, decay 0.1). */
  private static float twoSteps(boolean nesterov) {
    Tensor p = Tensor.vector(1f).requiresGrad(true);
    Sgd sgd =
        new Sgd(
            List.of(new ParamGroup(List.of(new NamedParameter("w", p)), 0.1)), 0.9, 0, nesterov);
    for (int i = 0; i < 2; i++) {
      p.setGrad(Tensor.vector(0.5f));
      sgd.step(0.1);
    }
    return p.item();
  }

  @Test
  void momentumMatchesTorchSgdWorkedByHand() {
    // step 1: d = 0.5 + 0.1·1 = 0.6, b = 0.6, p = 0.94
    // step 2: d = 0.5 + 0.094 = 0.594, b = 0.54 + 0.594 = 1.134, p = 0.94 − 0.1134 = 0.8266
    assertEquals(0.8266f, twoSteps(false), 1e-6f);
  }

  @Test
  void nesterovMatchesTorchSgdWorkedByHand() {
    // step 1: d = 0.6, b = 0.6, d' = 0.6 + 0.54 = 1.14, p = 0.886
    // step 2: d = 0.5886, b = 1.1286, d' = 0.5886 + 1.01574 = 1.60434, p = 0.725566
    assertEquals(0.725566f, twoSteps(true), 1e-6f);
  }

  @Test
  void splitKeepsDecayOffVectorsAndScalars() {
    var w = new NamedParameter("conv.weight", Tensor.zeros(2, 2, 1, 1));
    var b = new NamedParameter("bn.bias", Tensor.zeros(2));
    List<ParamGroup> groups = ParamGroup.split(List.of(w, b), 5e-4, false);
    assertEquals(List.of(w), groups.get(0).params());
    assertEquals(5e-4, groups.get(0).weightDecay());
    assertEquals(List.of(b), groups.get(1).params());
    assertEquals(0.0, groups.get(1).weightDecay());
    assertEquals(1, ParamGroup.split(List.of(w, b), 5e-4, true).size());
  }

  @Test
  void stateRoundTripsAndResumesIdentically() {
    Tensor p1 = Tensor.vector(1f, 2f).requiresGrad(true);
    Tensor p2 = Tensor.vector(1f, 2f).requiresGrad(true);
    Sgd a =
        new Sgd(List.of(new ParamGroup(List.of(new NamedParameter("w", p1)), 0)), 0.9, 0, false);
    Sgd b =
        new Sgd(List.of(new ParamGroup(List.of(new NamedParameter("w", p2)), 0)), 0.9, 0, false);
    p1.setGrad(Tensor.vector(0.3f, -0.2f));
    a.step(0.1);
    p2.setGrad(Tensor.vector(0.3f, -0.2f));
    b.step(0.1);
    b.loadState(a.state());
    p1.setGrad(Tensor.vector(0.1f, 0.1f));
    p2.setGrad(Tensor.vector(0.1f, 0.1f));
    a.step(0.1);
    b.step(0.1);
    assertEquals(p1.get(0), p2.get(0), 0f);
    assertEquals(p1.get(1), p2.get(1), 0f);
    a.zeroGrad();
    assertNull(p1.grad());
  }

  @Test
  void loadStateRejectsUnknownNamesAndShapes() {
    Tensor p = Tensor.vector(1f, 2f);
    Sgd sgd =
        new Sgd(List.of(new ParamGroup(List.of(new NamedParameter("w", p)), 0)), 0.9, 0, false);
    var e1 = assertThrows(KronetException.class, () -> sgd.loadState(Map.of("v", Tensor.zeros(2))));
    assertTrue(e1.getMessage().contains("'v'"), e1.getMessage());
    var e2 = assertThrows(KronetException.class, () -> sgd.loadState(Map.of("w", Tensor.zeros(3))));
    assertTrue(e2.getMessage().contains("[3]") && e2.getMessage().contains("[2]"));
  }
}
