/**
 * Kernels: static methods over {@code float[]} with explicit dimensions, no autograd in sight.
 * Every SIMD kernel (Java Vector API, {@code jdk.incubator.vector}) has a plain scalar twin that is
 * its reference in tests and its fallback when {@link dev.kronet.engine.kernel.Simd#ENABLED} is
 * false. Kernels with no scalar twin of their own (the lanes convolutions {@link
 * dev.kronet.engine.kernel.FilterLanesConv}, {@link
 * dev.kronet.engine.kernel.FilterLanesInputGradient}, {@link
 * dev.kronet.engine.kernel.PhaseLanesInputGradient} and {@link
 * dev.kronet.engine.kernel.StridedPointwiseInputGradient}) are alternatives to such a pair, chosen
 * per shape and machine by {@link dev.kronet.engine.kernel.ConvPlanner} from the machine's {@link
 * dev.kronet.engine.kernel.Capabilities}; where they do not run, the pair does, and their tests
 * compare them with the same naive references. Every SIMD kernel uses the one species of {@code
 * KernelSpecies}; the tests run them at 4, 8 and 16 lanes on any machine. Work is spread over the
 * one shared pool in {@link dev.kronet.engine.kernel.Parallel}.
 */
package dev.kronet.engine.kernel;
