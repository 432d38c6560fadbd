/**
 * The core of the engine: {@link dev.kronet.engine.Tensor} (float32 storage, shape, strides and
 * views), reverse-mode autograd ({@link dev.kronet.engine.Autograd}, {@link
 * dev.kronet.engine.GradNode}), the seeded {@link dev.kronet.engine.Rng}, shape helpers and the
 * project's exception. Ops live in {@code ops}, kernels in {@code kernel}, layers in {@code nn},
 * file formats in {@code io}.
 */
package dev.kronet.engine;
