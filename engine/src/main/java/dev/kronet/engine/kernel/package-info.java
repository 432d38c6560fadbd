/**
 * Kernels: static methods over {@code float[]} with explicit dimensions, no autograd in sight.
 * Every SIMD kernel (Java Vector API, {@code jdk.incubator.vector}) has a plain scalar twin that is
 * its reference in tests and its fallback when {@link dev.kronet.engine.kernel.Simd#ENABLED} is
 * false. Kernels written for 16-lane vectors only (the lanes convolutions {@link
 * dev.kronet.engine.kernel.FilterLanesConv}, {@link
 * dev.kronet.engine.kernel.FilterLanesInputGradient}, {@link
 * dev.kronet.engine.kernel.PhaseLanesInputGradient} and {@link
 * dev.kronet.engine.kernel.StridedPointwiseInputGradient}, the transposes of {@code
 * Transpose16Simd}, the row copies of {@code PlaneCopySimd}) are alternatives to such a pair: where
 * they do not run, the pair does, and their tests compare them with the same naive references. Work
 * is spread over the one shared pool in {@link dev.kronet.engine.kernel.Parallel}.
 */
package dev.kronet.engine.kernel;
