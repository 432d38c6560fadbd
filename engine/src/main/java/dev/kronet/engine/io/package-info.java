/**
 * File formats. {@link dev.kronet.engine.io.SafeTensors} reads and writes the safetensors format
 * (the interchange format of PyTorch weights) as {@link dev.kronet.engine.io.StoredTensor}s: a
 * dtype, a shape and raw little-endian bytes, so that every dtype PyTorch stores in a state dict
 * (float32 weights, int64 counters) round-trips exactly. Reading validates untrusted files fully
 * and reports each defect as a {@link dev.kronet.engine.io.SafeTensorsException}; writing is
 * atomic.
 */
package dev.kronet.engine.io;
