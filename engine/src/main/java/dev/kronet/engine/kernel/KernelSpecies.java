package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every SIMD kernel uses ({@link Capabilities#lanes()}: the CPU's preferred
 * width unless {@code -Dkronet.lanes} forces another), and how they multiply-add. Loaded only when
 * {@link Simd#ENABLED}.
 */
final class KernelSpecies {
  /** The species of every SIMD kernel. */
  static final VectorSpecies<Float> FLOAT =
      VectorSpecies.of(float.class, VectorShape.forBitSize(32 * Capabilities.current().lanes()));

  /**
   * Whether {@code FloatVector.fma} is one instruction here ({@link Capabilities#nativeFma()}).
   * Without it the Vector API's {@code fma} is not compiled to vector code at all but runs its Java
   * fallback, thousands of times slower than the scalar twins (shared/notes/vector-api-sgemm.md: a
   * 256³ SGEMM at 0.002 GFLOP/s under {@code -XX:UseAVX=0}), so the kernels multiply, then add (two
   * roundings). The large register-tile kernels test this constant at each multiply-add ({@code FMA
   * ? a.fma(b, c) : a.mul(b).add(c)}; the JIT parses only the live side) rather than call {@link
   * #fma}: in a kernel of 96 multiply-adds the extra call level pushed C2 past its inlining node
   * budget ({@code NodeCountInliningCutoff}), the helper stayed a call that boxed its vectors, and
   * ResNet-20 training ran 5× slower.
   */
  static final boolean NATIVE_FMA = Capabilities.current().nativeFma();

  private KernelSpecies() {}

  /**
   * {@code a·b + c}, fused where the CPU has the instruction ({@link #NATIVE_FMA}), else a multiply
   * and then an add. For the small row kernels ({@link RowMixSimd}, {@link DepthwiseRowsSimd}, the
   * polynomials of {@link VectorMathSimd}), where the call is always inlined.
   */
  static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
    return NATIVE_FMA ? a.fma(b, c) : a.mul(b).add(c);
  }
}
