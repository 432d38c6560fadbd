package dev.kronet.engine.nn;

import dev.kronet.engine.io.SafeTensors;
import java.nio.file.Path;
import java.util.Map;

/** Saving and loading a module's state dict as a safetensors file. */
public final class ModuleFiles {
  private ModuleFiles() {}

  /** Writes {@link Module#stateDict()} and {@code metadata} to {@code path} atomically. */
  public static void save(Module module, Path path, Map<String, String> metadata) {
    SafeTensors.write(path, module.stateDict(), metadata);
  }

  /** Reads {@code path} and {@link Module#loadStateDict loads} it into {@code module}. */
  public static LoadResult load(Module module, Path path, boolean strict) {
    return module.loadStateDict(SafeTensors.read(path).tensors(), strict);
  }
}
