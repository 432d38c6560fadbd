package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
  /** Float semantics of each binary op, for the reference loop. */
  private interface FloatOp {
    float apply(float a, float b);
  }

  private static void assertBroadcastMatches(
      String name, BinaryOperator<Tensor> op, FloatOp ref, Tensor a, Tensor b) {
    Tensor out = op.apply(a, b);
    int[] shape = Shapes.broadcast(a.shape(), b.shape());
    assertArrayEquals(shape, out.shape(), name + " shape");
    float[] got = out.toArray();
    for (int i = 0; i < got.length; i++) {
      int[] index = OpsTesting.unravel(i, shape);
      float expected =
          ref.apply(OpsTesting.broadcastValue(a, index), OpsTesting.broadcastValue(b, index));
      assertEquals(expected, got[i], 0f, name + " element " + i);
    }
  }

  @Test
  void binaryOpsMatchIndexMathsUnderBroadcasting() {
    Property.check(
        "binaryOpsMatchIndexMathsUnderBroadcasting",
        60,
        OpsTesting.broadcastPairs(4, 6),
        pair -> {
          Rng rng = OpsTesting.rngFor(pair);
          Tensor a = Tensor.randn(rng, pair[0]);
          Tensor b = OpsTesting.awayFromZero(rng, 0.5f, pair[1]);
          assertBroadcastMatches("add", Arithmetic::add, (x, y) -> x + y, a, b);
          assertBroadcastMatches("sub", Arithmetic::sub, (x, y) -> x - y, a, b);
          assertBroadcastMatches("mul", Arithmetic::mul, (x, y) -> x * y, a, b);
          assertBroadcastMatches("div", Arithmetic::div, (x, y) -> x / y, a, b);
          assertBroadcastMatches("sub swapped", Arithmetic::sub, (x, y) -> x - y, b, a);
        });
  }

  @Test
  void stridedViewsGiveTheSameValuesAsTheirContiguousCopies() {
    Property.check(
        "stridedViewsGiveTheSameValuesAsTheirContiguousCopies",
        40,
        Gens.shapes(2, 4, 6),
        shape -> {
          Rng rng = OpsTesting.rngFor(shape);
          // A transposed view, and a slice of it, against contiguous copies of both.
          Tensor a = Tensor.randn(rng, shape).transpose(0, -1);
          Tensor b = Tensor.randn(rng, a.shape());
          int[] sub = a.shape();
          int last = sub.length - 1;
          Tensor as = a.slice(last, sub[last] / 2, sub[last]);
          Tensor bs = b.slice(last, sub[last] / 2, sub[last]);
          assertArrayEquals(
              Arithmetic.mul(a.contiguous(), b).toArray(), Arithmetic.mul(a, b).toArray());
          assertArrayEquals(
              Arithmetic.sub(as.contiguous(), bs.contiguous()).toArray(),
              Arithmetic.sub(as, bs).toArray());
          assertArrayEquals(Arithmetic.exp(a.contiguous()).toArray(), Arithmetic.exp(a).toArray());
          assertArrayEquals(
              Arithmetic.add(as.contiguous(), 2f).toArray(), Arithmetic.add(as, 2f).toArray());
        });
  }

  @Test
  void largeDenseOperandsTakeTheParallelPathWithTheSameValues() {
    Rng rng = new Rng(7);
    int n = (1 << 17) + 3;
    Tensor a = Tensor.randn(rng, n);
    Tensor b = Tensor.randn(rng, n);
    float[] sum = Arithmetic.add(a, b).toArray();
    float[] scaled = Arithmetic.mul(a, 3f).toArray();
    float[] exp = Arithmetic.exp(a).toArray();
    for (int i = 0; i < n; i++) {
      assertEquals(a.data()[i] + b.data()[i], sum[i], 0f);
      assertEquals(a.data()[i] * 3f, scaled[i], 0f);
      assertEquals((float) Math.exp(a.data()[i]), exp[i], 0f);
    }
    // 1024 rows of 128: the broadcast walk splits its rows over two threads, the second chunk
    // starting its odometer mid-tensor.
    Tensor x = Tensor.randn(rng, 4, 256, 128);
    Tensor y = Tensor.randn(rng, 256, 1);
    try (var threads = Parallel.withThreads(2)) {
      assertBroadcastMatches("parallel broadcast", Arithmetic::sub, (p, q) -> p - q, x, y);
    }
  }

  @Test
  void binaryGradientsMatchFiniteDifferences() {
    Property.check(
        "binaryGradientsMatchFiniteDifferences",
        30,
        OpsTesting.broadcastPairs(3, 4),
        pair -> {
          Rng rng = OpsTesting.rngFor(pair);
          Tensor a = Tensor.randn(rng, pair[0]).requiresGrad(true);
          Tensor b = OpsTesting.awayFromZero(rng, 0.5f, pair[1]).requiresGrad(true);
          GradCheck gc = GradCheck.create();
          gc.check("add", in -> Arithmetic.add(in[0], in[1]), a, b);
          gc.check("sub", in -> Arithmetic.sub(in[0], in[1]), a, b);
          gc.check("mul", in -> Arithmetic.mul(in[0], in[1]), a, b);
          gc.check("div", in -> Arithmetic.div(in[0], in[1]), a, b);
          gc.check("div swapped", in -> Arithmetic.div(in[1], in[0].exp()), a, b);
        });
  }

  @Test
  void gradientFlowsOnlyToOperandsThatRequireIt() {
    Tensor a = Tensor.randn(new Rng(1), 2, 3).requiresGrad(true);
    Tensor b = Tensor.randn(new Rng(2), 3);
    Arithmetic.mul(a, b).sum().backward();
    assertNull(b.grad());
    float[] g = a.grad().toArray();
    for (int i = 0; i < 6; i++) {
      assertEquals(b.data()[i % 3], g[i], 0f);
    }
  }

  private record Unary(
      String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, float lo, float hi) {}

  private static final Unary[] UNARY = {
    new Unary("neg", Arithmetic::neg, v -> -v, -3f, 3f),
    new Unary("exp", Arithmetic::exp, Math::exp, -3f, 3f),
    new Unary("log", Arithmetic::log, Math::log, 0.2f, 4f),
    new Unary("sqrt", Arithmetic::sqrt, Math::sqrt, 0.2f, 4f),
    new Unary("square", Arithmetic::square, v -> v * v, -3f, 3f),
    new Unary("pow 3", x -> Arithmetic.pow(x, 3f), v -> Math.pow(v, 3), -2f, 2f),
    new Unary("pow 0.5", x -> Arithmetic.pow(x, 0.5f), v -> Math.pow(v, 0.5), 0.2f, 4f),
    new Unary("pow -1.5", x -> Arithmetic.pow(x, -1.5f), v -> Math.pow(v, -1.5), 0.3f, 3f),
    new Unary("pow 0", x -> Arithmetic.pow(x, 0f), v -> 1, -2f, 2f),
    new Unary("addScalar", x -> Arithmetic.add(x, 1.5f), v -> (float) v + 1.5f, -3f, 3f),
    new Unary("subScalar", x -> Arithmetic.sub(x, 1.5f), v -> (float) v - 1.5f, -3f, 3f),
    new Unary("mulScalar", x -> Arithmetic.mul(x, -2.5f), v -> (float) v * -2.5f, -3f, 3f),
    new Unary("divScalar", x -> Arithmetic.div(x, 3f), v -> (float) v / 3f, -3f, 3f),
  };

  @Test
  void unaryOpsMatchTheirFloatDefinitions() {
    Property.check(
        "unaryOpsMatchTheirFloatDefinitions",
        30,
        Gens.shapes(0, 3, 9),
        shape -> {
          for (Unary u : UNARY) {
            Tensor x = OpsTesting.uniform(OpsTesting.rngFor(shape), u.lo, u.hi, shape);
            float[] got = u.op.apply(x).toArray();
            for (int i = 0; i < got.length; i++) {
              assertEquals((float) u.ref.applyAsDouble(x.data()[i]), got[i], 0f, u.name);
            }
          }
        });
  }

  @Test
  void unaryGradientsMatchFiniteDifferences() {
    Property.check(
        "unaryGradientsMatchFiniteDifferences",
        25,
        Gens.shapes(0, 3, 5),
        shape -> {
          for (Unary u : UNARY) {
            Tensor x = OpsTesting.uniform(OpsTesting.rngFor(shape), u.lo, u.hi, shape);
            GradCheck.create().check(u.name, in -> u.op.apply(in[0]), x.requiresGrad(true));
          }
          // abs and clamp have kinks: keep the inputs farther than eps from them.
          Rng rng = OpsTesting.rngFor(shape, shape);
          Tensor y = OpsTesting.avoiding(rng, 0.05f, new float[] {0f}, shape).requiresGrad(true);
          GradCheck.create().check("abs", in -> Arithmetic.abs(in[0]), y);
          Tensor z =
              OpsTesting.avoiding(rng, 0.05f, new float[] {-1f, 0.5f}, shape).requiresGrad(true);
          GradCheck.create().check("clamp", in -> Arithmetic.clamp(in[0], -1f, 0.5f), z);
        });
  }

  @Test
  void kinkGradientsFollowPyTorch() {
    Tensor x = Tensor.vector(-1f, 0f, 0.5f, 1f, 2f).requiresGrad(true);
    Arithmetic.abs(x).sum().backward();
    assertArrayEquals(new float[] {-1, 0, 1, 1, 1}, x.grad().toArray());
    x.zeroGrad();
    // Bounds are inclusive: the gradient passes at x = lo and x = hi.
    Arithmetic.clamp(x, 0f, 1f).sum().backward();
    assertArrayEquals(new float[] {0, 1, 1, 1, 0}, x.grad().toArray());
    x.zeroGrad();
    Arithmetic.pow(x, 0f).sum().backward();
    assertArrayEquals(new float[] {0, 0, 0, 0, 0}, x.grad().toArray());
    assertArrayEquals(
        new float[] {0, 0, 0.5f, 1, 1}, Arithmetic.clamp(x, 0f, 1f).toArray(), "clamp values");
    assertTrue(Float.isNaN(Arithmetic.clamp(Tensor.vector(Float.NaN), 0f, 1f).item()));
  }

  @Test
  void mismatchedShapesAreRejectedNamingBothShapes() {
    Tensor a = Tensor.zeros(2, 3);
    Tensor b = Tensor.zeros(4);
    for (BinaryOperator<Tensor> op :
        List.<BinaryOperator<Tensor>>of(Arithmetic::add, Arithmetic::mul, Comparisons::eq)) {
      KronetException e = assertThrows(KronetException.class, () -> op.apply(a, b));
      assertTrue(
          e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }
    KronetException e = assertThrows(KronetException.class, () -> Arithmetic.clamp(a, 1f, 0f));
    assertTrue(e.getMessage().contains("clamp"), e.getMessage());
  }

  @Test
  void tensorMethodsDelegateToTheFunctionalOps() {
    Rng rng = new Rng(3);
    Tensor a = OpsTesting.uniform(rng, 0.5f, 2f, 2, 3);
    Tensor b = OpsTesting.uniform(rng, 0.5f, 2f, 3);
    Tensor viaMethods = a.add(b).sub(1f).mul(b).div(2f).neg().abs().exp().log().sqrt().pow(2f);
    Tensor viaOps =
        Arithmetic.pow(
            Arithmetic.sqrt(
                Arithmetic.log(
                    Arithmetic.exp(
                        Arithmetic.abs(
                            Arithmetic.neg(
                                Arithmetic.div(
                                    Arithmetic.mul(Arithmetic.sub(Arithmetic.add(a, b), 1f), b),
                                    2f)))))),
            2f);
    assertArrayEquals(viaOps.toArray(), viaMethods.toArray());
    assertArrayEquals(
        Arithmetic.div(a, b).toArray(), a.mul(b.pow(-1f)).toArray(), 1e-6f, "div vs reciprocal");
  }
}
