package dev.kronet.engine.nn;

import dev.kronet.engine.Shapes;
import dev.kronet.engine.io.StoredTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Matching a state dict against a module's entries, then copying it in: the body of loading. */
final class StateDicts {
  private StateDicts() {}

  /**
   * Checks everything first and copies only when all is well, so a failed load leaves the module as
   * it was.
   */
  static LoadResult load(
      String moduleName,
      Map<String, Buffer> entries,
      Map<String, StoredTensor> state,
      boolean strict) {
    List<String> missing = new ArrayList<>();
    List<StateDictException.Mismatch> mismatches = new ArrayList<>();
    for (Map.Entry<String, Buffer> e : entries.entrySet()) {
      StoredTensor value = state.get(e.getKey());
      if (value == null) {
        missing.add(e.getKey());
        continue;
      }
      Buffer slot = e.getValue();
      boolean shapeOk = Arrays.equals(slot.shape(), value.shape());
      boolean dtypeOk = slot.accepts(value.dtype());
      if (!shapeOk || !dtypeOk) {
        mismatches.add(
            new StateDictException.Mismatch(
                e.getKey(),
                describe(slot.dtype().toString(), slot.shape()),
                describe(value.dtype().toString(), value.shape())));
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : state.keySet()) {
      if (!entries.containsKey(name)) {
        unexpected.add(name);
      }
    }
    if (!mismatches.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
      throw new StateDictException(
          "loadStateDict into " + moduleName, missing, unexpected, mismatches);
    }
    for (Map.Entry<String, Buffer> e : entries.entrySet()) {
      StoredTensor value = state.get(e.getKey());
      if (value != null) {
        e.getValue().copyFrom(value);
      }
    }
    return new LoadResult(missing, unexpected);
  }

  private static String describe(String dtype, int[] shape) {
    return dtype + " " + Shapes.format(shape);
  }
}
