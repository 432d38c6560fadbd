package dev.kronet.engine.io;

import java.util.Optional;

/**
 * The element types a safetensors file may hold, under the names the format uses in its header.
 * kronet computes in float32; the others exist so that PyTorch state dicts (int64 counters, float64
 * or half-precision weights) load and save without loss.
 */
public enum DType {
  F64(8, true),
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U8(1, false),
  BOOL(1, false);

  private final int byteSize;
  private final boolean floating;

  DType(int byteSize, boolean floating) {
    this.byteSize = byteSize;
    this.floating = floating;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** True for the floating-point types (F64, F32, F16, BF16). */
  public boolean isFloating() {
    return floating;
  }

  /**
   * The type spelled {@code name} in a safetensors header ("F32", "I64", …), if kronet knows it.
   */
  public static Optional<DType> fromHeaderName(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
