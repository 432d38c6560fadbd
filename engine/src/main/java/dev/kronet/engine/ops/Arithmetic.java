package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.BinaryLoops;
import dev.kronet.engine.kernel.UnaryLoops;
import java.util.Arrays;

/**
 * Elementwise arithmetic with PyTorch semantics: broadcasting binary ops (add, sub, mul, div),
 * tensor ∘ scalar ops, and unary maths (neg, exp, log, sqrt, pow, abs, clamp, square). Results are
 * fresh contiguous tensors; each op records its backward rule right beside its forward.
 *
 * <p>Backward rules are written with these same ops: they run under no-grad, so they record
 * nothing. The gradient of a broadcast operand is summed back to its shape with {@link
 * Views#sumTo}.
 */
public final class Arithmetic {
  private Arithmetic() {}

  // ---------------------------------------------------------------- tensor ∘ tensor

  /** a + b, broadcasting. */
  public static Tensor add(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    return Tensor.attach(
        binary("add", BinaryLoops.Op.ADD, a, b),
        "add",
        g ->
            new Tensor[] {
              a.requiresGrad() ? Views.sumTo(g, as) : null,
              b.requiresGrad() ? Views.sumTo(g, bs) : null
            },
        a,
        b);
  }

  /** a − b, broadcasting. */
  public static Tensor sub(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    return Tensor.attach(
        binary("sub", BinaryLoops.Op.SUB, a, b),
        "sub",
        g ->
            new Tensor[] {
              a.requiresGrad() ? Views.sumTo(g, as) : null,
              b.requiresGrad() ? Views.sumTo(neg(g), bs) : null
            },
        a,
        b);
  }

  /** a · b elementwise, broadcasting. */
  public static Tensor mul(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    return Tensor.attach(
        binary("mul", BinaryLoops.Op.MUL, a, b),
        "mul",
        g ->
            new Tensor[] {
              a.requiresGrad() ? Views.sumTo(mul(g, b), as) : null,
              b.requiresGrad() ? Views.sumTo(mul(g, a), bs) : null
            },
        a,
        b);
  }

  /** a / b elementwise, broadcasting; d/db = −a/b² = −out/b. */
  public static Tensor div(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    Tensor out = binary("div", BinaryLoops.Op.DIV, a, b);
    return Tensor.attach(
        out,
        "div",
        g -> {
          Tensor gOverB = div(g, b);
          return new Tensor[] {
            a.requiresGrad() ? Views.sumTo(gOverB, as) : null,
            b.requiresGrad() ? Views.sumTo(neg(mul(gOverB, out)), bs) : null
          };
        },
        a,
        b);
  }

  /**
   * The forward of a broadcasting binary op, recording nothing: a dense loop when both operands are
   * contiguous with equal shapes, else the strided broadcast walk.
   */
  static Tensor binary(String name, BinaryLoops.Op op, Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    if (Arrays.equals(as, bs) && a.isContiguous() && b.isContiguous()) {
      float[] out = new float[a.numel()];
      BinaryLoops.dense(op, a.data(), a.offset(), b.data(), b.offset(), out, 0, out.length);
      return Tensor.wrap(out, as);
    }
    int[] shape = Operands.broadcastShape(name, as, bs);
    float[] out = new float[Shapes.numel(shape)];
    BinaryLoops.broadcast(
        op,
        a.data(),
        a.offset(),
        Operands.broadcastStrides(a, shape),
        b.data(),
        b.offset(),
        Operands.broadcastStrides(b, shape),
        out,
        shape);
    return Tensor.wrap(out, shape);
  }

  // ---------------------------------------------------------------- tensor ∘ scalar

  /** x + s. */
  public static Tensor add(Tensor x, float s) {
    return Tensor.attach(scalar(BinaryLoops.Op.ADD, x, s), "addScalar", g -> new Tensor[] {g}, x);
  }

  /** x − s. */
  public static Tensor sub(Tensor x, float s) {
    return Tensor.attach(scalar(BinaryLoops.Op.SUB, x, s), "subScalar", g -> new Tensor[] {g}, x);
  }

  /** x · s. */
  public static Tensor mul(Tensor x, float s) {
    return Tensor.attach(
        scalar(BinaryLoops.Op.MUL, x, s), "mulScalar", g -> new Tensor[] {mul(g, s)}, x);
  }

  /** x / s (a true division, not a multiplication by 1/s). */
  public static Tensor div(Tensor x, float s) {
    return Tensor.attach(
        scalar(BinaryLoops.Op.DIV, x, s), "divScalar", g -> new Tensor[] {div(g, s)}, x);
  }

  private static Tensor scalar(BinaryLoops.Op op, Tensor x, float s) {
    Operands.Dense d = Operands.Dense.of(x);
    float[] out = new float[x.numel()];
    BinaryLoops.denseScalar(op, d.data(), d.offset(), s, out, 0, out.length);
    return Tensor.wrap(out, x.shape());
  }

  // ---------------------------------------------------------------- unary maths

  /** −x. */
  public static Tensor neg(Tensor x) {
    return Tensor.attach(unary(UnaryLoops.Op.NEG, x), "neg", g -> new Tensor[] {neg(g)}, x);
  }

  /** eˣ; d/dx = eˣ = out. */
  public static Tensor exp(Tensor x) {
    Tensor out = unary(UnaryLoops.Op.EXP, x);
    return Tensor.attach(out, "exp", g -> new Tensor[] {mul(g, out)}, x);
  }

  /** Natural log (NaN below 0, −∞ at 0); d/dx = 1/x. */
  public static Tensor log(Tensor x) {
    return Tensor.attach(unary(UnaryLoops.Op.LOG, x), "log", g -> new Tensor[] {div(g, x)}, x);
  }

  /** √x; d/dx = 1/(2√x) = 0.5/out. */
  public static Tensor sqrt(Tensor x) {
    Tensor out = unary(UnaryLoops.Op.SQRT, x);
    return Tensor.attach(out, "sqrt", g -> new Tensor[] {div(mul(g, 0.5f), out)}, x);
  }

  /** x²; d/dx = 2x. */
  public static Tensor square(Tensor x) {
    return Tensor.attach(
        unary(UnaryLoops.Op.SQUARE, x), "square", g -> new Tensor[] {mul(mul(g, x), 2f)}, x);
  }

  /** |x|; d/dx = sign(x), 0 at 0 as in PyTorch. */
  public static Tensor abs(Tensor x) {
    return Tensor.attach(
        unary(UnaryLoops.Op.ABS, x),
        "abs",
        g -> new Tensor[] {withInput(g, x, UnaryLoops::absBackward)},
        x);
  }

  /** x^p for a constant exponent; d/dx = p·x^(p−1) (0 when p = 0). */
  public static Tensor pow(Tensor x, float p) {
    Operands.Dense d = Operands.Dense.of(x);
    float[] out = new float[x.numel()];
    UnaryLoops.pow(d.data(), d.offset(), p, out, out.length);
    return Tensor.attach(
        Tensor.wrap(out, x.shape()),
        "pow",
        g ->
            new Tensor[] {
              withInput(g, x, (gd, xd, xo, o, n) -> UnaryLoops.powBackward(gd, xd, xo, p, o, n))
            },
        x);
  }

  /** min(max(x, lo), hi); the gradient passes where lo ≤ x ≤ hi. */
  public static Tensor clamp(Tensor x, float lo, float hi) {
    if (!(lo <= hi)) {
      throw new KronetException("clamp: lower bound " + lo + " must not exceed upper bound " + hi);
    }
    Operands.Dense d = Operands.Dense.of(x);
    float[] out = new float[x.numel()];
    UnaryLoops.clamp(d.data(), d.offset(), lo, hi, out, out.length);
    return Tensor.attach(
        Tensor.wrap(out, x.shape()),
        "clamp",
        g ->
            new Tensor[] {
              withInput(
                  g, x, (gd, xd, xo, o, n) -> UnaryLoops.clampBackward(gd, xd, xo, lo, hi, o, n))
            },
        x);
  }

  private static Tensor unary(UnaryLoops.Op op, Tensor x) {
    Operands.Dense d = Operands.Dense.of(x);
    float[] out = new float[x.numel()];
    UnaryLoops.map(op, d.data(), d.offset(), out, out.length);
    return Tensor.wrap(out, x.shape());
  }

  /** A derivative loop reading the output gradient and the saved input, both row-major. */
  @FunctionalInterface
  private interface GradLoop {
    void run(float[] g, float[] x, int xOff, float[] out, int n);
  }

  private static Tensor withInput(Tensor g, Tensor x, GradLoop loop) {
    Operands.Dense d = Operands.Dense.of(x);
    float[] out = new float[x.numel()];
    loop.run(g.contiguousData(), d.data(), d.offset(), out, out.length);
    return Tensor.wrap(out, x.shape());
  }
}
