package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The piecewise-linear activations of {@link ActivationKernel} on the Vector API, as compare-and-
 * blend: the scalar loops' {@code v <= 0 ? 0 : v} compiles to a branch that a random sign pattern
 * mispredicts half the time. Each result equals its scalar twin bit for bit (NaN and −0 included:
 * the same comparisons pick the same value). Loaded only when {@link Simd#ENABLED}.
 */
final class ActivationSimd {
  private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;

  private ActivationSimd() {}

  static void relu(float[] out, float[] x, int xOff, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(out, i);
    }
    for (; i < to; i++) {
      float v = x[xOff + i];
      out[i] = v <= 0f ? 0f : v;
    }
  }

  static void reluBackward(float[] gradX, float[] g, float[] x, int xOff, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
      VectorMask<Float> stop =
          FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.LE, 0f);
      FloatVector.fromArray(S, g, i).blend(zero, stop).intoArray(gradX, i);
    }
    for (; i < to; i++) {
      gradX[i] = x[xOff + i] <= 0f ? 0f : g[i];
    }
  }

  static void relu6(float[] out, float[] x, int xOff, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector six = FloatVector.broadcast(S, 6f);
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector capped = v.blend(six, v.compare(VectorOperators.GE, 6f));
      capped.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(out, i);
    }
    for (; i < to; i++) {
      float v = x[xOff + i];
      out[i] = v <= 0f ? 0f : (v >= 6f ? 6f : v);
    }
  }

  static void relu6Backward(float[] gradX, float[] g, float[] x, int xOff, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      VectorMask<Float> outside =
          v.compare(VectorOperators.LE, 0f).or(v.compare(VectorOperators.GE, 6f));
      FloatVector.fromArray(S, g, i).blend(zero, outside).intoArray(gradX, i);
    }
    for (; i < to; i++) {
      float v = x[xOff + i];
      gradX[i] = v <= 0f || v >= 6f ? 0f : g[i];
    }
  }
}
