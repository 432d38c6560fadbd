package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every SIMD kernel uses ({@link Capabilities#lanes()}: the CPU's preferred
 * width unless {@code -Dkronet.lanes} forces another), and the multiply-add they all call. Loaded
 * only when {@link Simd#ENABLED}.
 */
final class KernelSpecies {
  /** The species of every SIMD kernel. */
  static final VectorSpecies<Float> FLOAT =
      VectorSpecies.of(float.class, VectorShape.forBitSize(32 * Capabilities.current().lanes()));

  private static final boolean NATIVE_FMA = Capabilities.current().nativeFma();

  private KernelSpecies() {}

  /**
   * {@code a·b + c}: one fused multiply-add where the CPU has the instruction, else a multiply and
   * then an add (two roundings). Without the instruction {@code FloatVector.fma} is not compiled to
   * vector code at all but runs the Vector API's Java fallback, thousands of times slower than the
   * scalar twins (shared/notes/vector-api-sgemm.md: a 256³ SGEMM at 0.002 GFLOP/s under {@code
   * -XX:UseAVX=0}). The branch is on a constant, so the JIT keeps only one side.
   */
  static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
    return NATIVE_FMA ? a.fma(b, c) : a.mul(b).add(c);
  }
}
