package dev.kronet.engine.nn;

import java.util.List;

/**
 * What a non-strict {@link Module#loadStateDict} left out, as PyTorch's {@code load_state_dict}
 * reports it: names the module has that the state dict lacked (left unchanged), and names the state
 * dict had that the module lacks (ignored).
 */
public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
  public LoadResult {
    missingKeys = List.copyOf(missingKeys);
    unexpectedKeys = List.copyOf(unexpectedKeys);
  }
}
