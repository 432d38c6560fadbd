package dev.kronet.engine.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: tensors by name (in the order of the file's header) and the
 * free-form string metadata of its {@code __metadata__} entry (empty when absent).
 */
public record SafeTensorsFile(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
  public SafeTensorsFile {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }
}
