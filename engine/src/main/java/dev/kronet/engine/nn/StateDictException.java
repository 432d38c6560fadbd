package dev.kronet.engine.nn;

import dev.kronet.engine.KronetException;
import java.util.List;

/**
 * A state dict that does not fit a module. It lists every problem at once, so that one failed load
 * shows all renamed, missing and reshaped entries rather than the first of them.
 */
public class StateDictException extends KronetException {
  /** One entry whose shape or dtype category differs between module and state dict. */
  public record Mismatch(String name, String expected, String found) {
    @Override
    public String toString() {
      return name + ": the module has " + expected + ", the state dict has " + found;
    }
  }

  private final List<String> missingKeys;
  private final List<String> unexpectedKeys;
  private final List<Mismatch> mismatches;

  public StateDictException(
      String context,
      List<String> missingKeys,
      List<String> unexpectedKeys,
      List<Mismatch> mismatches) {
    super(describe(context, missingKeys, unexpectedKeys, mismatches));
    this.missingKeys = List.copyOf(missingKeys);
    this.unexpectedKeys = List.copyOf(unexpectedKeys);
    this.mismatches = List.copyOf(mismatches);
  }

  private static String describe(
      String context, List<String> missing, List<String> unexpected, List<Mismatch> mismatches) {
    StringBuilder sb =
        new StringBuilder(context).append(": the state dict does not fit the module");
    if (!missing.isEmpty()) {
      sb.append("\n  missing keys (").append(missing.size()).append("): ");
      sb.append(String.join(", ", missing));
    }
    if (!unexpected.isEmpty()) {
      sb.append("\n  unexpected keys (").append(unexpected.size()).append("): ");
      sb.append(String.join(", ", unexpected));
    }
    for (Mismatch m : mismatches) {
      sb.append("\n  mismatch for ").append(m);
    }
    return sb.toString();
  }

  /** Names the module has and the state dict lacks. */
  public List<String> missingKeys() {
    return missingKeys;
  }

  /** Names the state dict has and the module lacks. */
  public List<String> unexpectedKeys() {
    return unexpectedKeys;
  }

  public List<Mismatch> mismatches() {
    return mismatches;
  }
}
