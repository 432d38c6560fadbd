/**
 * The functional API: one class per op family, each op's forward and its backward rule side by
 * side. Ops check shapes at their boundary, then call kernels from {@code kernel}; they record
 * themselves on the tape through {@link dev.kronet.engine.Tensor#fromOp}.
 */
package dev.kronet.engine.ops;
