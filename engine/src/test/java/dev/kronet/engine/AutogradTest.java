package dev.kronet.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.testing.WithThreads;
import org.junit.jupiter.api.Test;

class AutogradTest {
  @Test
  void gradientsAccumulateIntoLeavesAcrossBackwardCalls() {
    Tensor x = Tensor.vector(1, 2, 3).requiresGrad(true);
    x.reshape(3, 1).backward(Tensor.of(new float[] {1, 1, 1}, 3, 1));
    x.reshape(1, 3).backward(Tensor.of(new float[] {2, 3, 4}, 1, 3));
    assertArrayEquals(new float[] {3, 4, 5}, x.grad().toArray());
  }

  @Test
  void leavesHandedOneGradientArrayKeepGradsOfTheirOwn() {
    Tensor a = Tensor.vector(1, 2).requiresGrad(true);
    Tensor b = Tensor.vector(3, 4).requiresGrad(true);
    Tensor seed = Tensor.vector(5, 6);
    // add's backward hands the seed itself to both inputs
    a.add(b).backward(seed);
    a.mul(2f).backward(Tensor.vector(1, 1));
    assertArrayEquals(new float[] {7, 8}, a.grad().toArray());
    assertArrayEquals(new float[] {5, 6}, b.grad().toArray());
    assertArrayEquals(new float[] {5, 6}, seed.toArray());
  }

  @Test
  void aLeafNeverTakesOverTheCallersSeed() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor seed = Tensor.vector(3, 4);
    x.backward(seed);
    x.backward(seed);
    assertArrayEquals(new float[] {6, 8}, x.grad().toArray());
    assertArrayEquals(new float[] {3, 4}, seed.toArray());
  }

  @Test
  void aLeafTakesOverAFreshGradientWithoutCopying() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor fresh = Tensor.vector(7, 9);
    Tensor y = Tensor.attach(Tensor.vector(1, 2), "probe", g -> new Tensor[] {fresh}, x);
    y.backward(Tensor.vector(1, 1));
    assertSame(fresh.data(), x.grad().data());
    // a second pass adds into the grad it took over
    Tensor.attach(Tensor.vector(1, 2), "probe", g -> new Tensor[] {g}, x)
        .backward(Tensor.vector(1, 1));
    assertArrayEquals(new float[] {8, 10}, x.grad().toArray());
  }

  @Test
  void aTensorUsedTwiceReceivesTheSumOfBothGradients() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor a = x.reshape(2, 1);
    Tensor b = x.reshape(2, 1);
    // Two paths into x through one graph: stack them with slice/expand free views.
    Tensor both = a.expand(2, 2);
    both.backward(Tensor.ones(2, 2));
    b.backward(Tensor.of(new float[] {10, 20}, 2, 1));
    assertArrayEquals(new float[] {12, 22}, x.grad().toArray());
  }

  @WithThreads(3)
  @Test
  void anIntermediateUsedTwiceGetsTheSumOfBothGradientsOnThePool() {
    // 300,000 elements: large enough that the gradients are summed in parallel chunks
    Tensor x = Tensor.full(1f, 3, 100_000).requiresGrad(true);
    Tensor y = x.mul(2f);
    // y feeds two ops: ∂z/∂y = 1 + 3 and ∂z/∂x = 2·4, the same for every element
    Tensor z = y.add(y.mul(3f).mul(Tensor.vector(1f, 2f, 3f).reshape(3, 1)));
    z.sum().backward();
    float[] g = x.grad().toArray();
    for (int i = 0; i < g.length; i++) {
      float want = 2f * (1f + 3f * (1 + i / 100_000));
      if (g[i] != want) {
        throw new AssertionError("x.grad[" + i + "] = " + g[i] + ", want " + want);
      }
    }
  }

  @Test
  void secondBackwardThroughAFreedGraphFailsClearly() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor y = x.reshape(1, 2).transpose(0, 1);
    y.backward(Tensor.ones(2, 1));
    KronetException e = assertThrows(KronetException.class, () -> y.backward(Tensor.ones(2, 1)));
    assertTrue(e.getMessage().contains("second time"), e.getMessage());
  }

  @Test
  void retainGraphAllowsASecondBackward() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor y = x.reshape(2, 1);
    y.backward(Tensor.ones(2, 1), true);
    y.backward(Tensor.ones(2, 1));
    assertArrayEquals(new float[] {2, 2}, x.grad().toArray());
  }

  @Test
  void backwardWithoutGradientNeedsAOneElementTensor() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor y = x.reshape(2, 1);
    KronetException e = assertThrows(KronetException.class, y::backward);
    assertTrue(e.getMessage().contains("one-element"), e.getMessage());
  }

  @Test
  void noGradScopeRecordsNothingAndRestoresTheMode() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor y;
    try (var s = Autograd.noGrad()) {
      y = x.reshape(2, 1);
    }
    assertNull(y.gradFn());
    assertFalse(y.requiresGrad());
    assertTrue(Autograd.isGradEnabled());
    assertTrue(x.reshape(2, 1).requiresGrad());
  }

  @Test
  void detachCutsTheGraphButSharesData() {
    Tensor x = Tensor.vector(1, 2).requiresGrad(true);
    Tensor d = x.reshape(2, 1).detach();
    assertNull(d.gradFn());
    d.data()[d.offset()] = 7;
    assertArrayEquals(new float[] {7, 2}, x.toArray());
  }
}
