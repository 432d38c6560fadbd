package dev.kronet.training.compress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerChoiceTest {
  @Test
  void randomFactorsShowNoErrorInsteadOfNaN() {
    LayerChoice random =
        new LayerChoice(
            "layer1.0.conv1", new int[] {16, 16, 3, 3}, "GKPD-3", 2304, 432, 1, 1, Double.NaN);
    LayerChoice fitted =
        new LayerChoice(
            "layer1.0.conv2", new int[] {16, 16, 3, 3}, "GKPD-3", 2304, 432, 1, 1, 0.51234);
    String table = LayerChoice.table(List.of(random, fitted));
    assertFalse(table.contains("NaN"), table);
    assertTrue(
        table.lines().anyMatch(l -> l.startsWith("layer1.0.conv1") && l.endsWith("—")), table);
    assertTrue(table.contains("0.5123"), table);
  }
}
