/**
 * Kernels: static methods over {@code float[]} with explicit dimensions, no autograd in sight.
 * Every SIMD kernel (Java Vector API, {@code jdk.incubator.vector}) has a plain scalar twin that is
 * its reference in tests and its fallback when {@link dev.kronet.engine.kernel.Simd#ENABLED} is
 * false. Kernels written for 16-lane vectors only ({@link
 * dev.kronet.engine.kernel.FilterLanesConv}, the transposes of {@code Transpose16Simd}) are
 * alternatives to such a pair: where they do not run, the pair does, and their tests compare them
 * with the same naive references. Work is spread over the one shared pool in {@link
 * dev.kronet.engine.kernel.Parallel}.
 */
package dev.kronet.engine.kernel;
