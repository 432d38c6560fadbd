/**
 * Kernels: static methods over {@code float[]} with explicit dimensions, no autograd in sight.
 * Every SIMD kernel (Java Vector API, {@code jdk.incubator.vector}) has a plain scalar twin that is
 * its reference in tests and its fallback when {@link dev.kronet.engine.kernel.Simd#ENABLED} is
 * false. Work is spread over the one shared pool in {@link dev.kronet.engine.kernel.Parallel}.
 */
package dev.kronet.engine.kernel;
