package dev.kronet.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation: grad mode (with a no-grad scope for inference) and the
 * backward pass, which is a topological sort of the tape followed by one loop over it, in the
 * manner of micrograd.
 */
public final class Autograd {
  private static final ThreadLocal<boolean[]> GRAD_ENABLED =
      ThreadLocal.withInitial(() -> new boolean[] {true});

  private Autograd() {}

  /** Whether ops on this thread record themselves on the tape. */
  public static boolean isGradEnabled() {
    return GRAD_ENABLED.get()[0];
  }

  /** A scope in which nothing is recorded: {@code try (var s = Autograd.noGrad()) { ... }}. */
  public static Scope noGrad() {
    return setGradEnabled(false);
  }

  /** Sets grad mode for this thread until the returned scope is closed. */
  public static Scope setGradEnabled(boolean enabled) {
    boolean[] flag = GRAD_ENABLED.get();
    boolean previous = flag[0];
    flag[0] = enabled;
    return () -> flag[0] = previous;
  }

  /** Restores the previous grad mode on close. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Back-propagates {@code seed} (the gradient of some scalar w.r.t. {@code root}) through the
   * tape, accumulating into the {@code grad} of every leaf that requires one. Frees the graph
   * unless {@code retainGraph}.
   */
  static void backward(Tensor root, Tensor seed, boolean retainGraph) {
    if (!root.requiresGrad()) {
      throw new KronetException(
          "backward(): the tensor does not require grad and has no grad_fn (did you compute it"
              + " under no-grad, or from tensors without requiresGrad?)");
    }
    if (!java.util.Arrays.equals(seed.shape(), root.shape())) {
      throw new KronetException(
          "backward(): gradient shape "
              + Shapes.format(seed.shape())
              + " does not match the tensor shape "
              + Shapes.format(root.shape()));
    }
    List<Tensor> order = topologicalOrder(root);
    Map<Tensor, Tensor> grads = new IdentityHashMap<>();
    grads.put(root, seed);
    // Arrays a leaf may not take over as its grad: the caller's seed, every gradient handed to an
    // op's backward (which may pass it on whole or as a view), and any array handed to two inputs.
    // Whatever else reaches a leaf was made by a backward for it alone.
    Set<float[]> shared = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<float[]> delivered = Collections.newSetFromMap(new IdentityHashMap<>());
    shared.add(seed.data());
    try (Scope ignored = noGrad()) {
      for (int i = order.size() - 1; i >= 0; i--) {
        Tensor t = order.get(i);
        Tensor g = grads.remove(t);
        if (g == null) {
          continue;
        }
        GradNode node = t.gradFn();
        if (node == null) {
          t.accumulateGrad(g, !shared.contains(g.data()));
          continue;
        }
        if (node.isFreed()) {
          throw new KronetException(
              "backward() ran a second time through the graph of '"
                  + node.op()
                  + "', whose saved tensors were already freed; pass retainGraph=true to the first"
                  + " backward() if you need to go through it twice");
        }
        shared.add(g.data());
        Tensor[] inputGrads = node.backward().apply(g);
        Tensor[] inputs = node.inputs();
        if (inputGrads.length != inputs.length) {
          throw new IllegalStateException(
              "op '"
                  + node.op()
                  + "' returned "
                  + inputGrads.length
                  + " gradients for "
                  + inputs.length
                  + " inputs");
        }
        for (int k = 0; k < inputs.length; k++) {
          Tensor in = inputs[k];
          Tensor gi = inputGrads[k];
          if (gi == null || !in.requiresGrad()) {
            continue;
          }
          if (!java.util.Arrays.equals(gi.shape(), in.shape())) {
            throw new IllegalStateException(
                "op '"
                    + node.op()
                    + "' returned a gradient of shape "
                    + Shapes.format(gi.shape())
                    + " for input "
                    + k
                    + " of shape "
                    + Shapes.format(in.shape()));
          }
          if (!delivered.add(gi.data())) {
            shared.add(gi.data());
          }
          Tensor previous = grads.get(in);
          grads.put(in, previous == null ? gi : Tensor.sumOf(previous, gi));
        }
        if (!retainGraph) {
          node.free();
        }
      }
    }
  }

  /** Tensors reachable from root through grad_fn inputs, inputs before the ops that read them. */
  private static List<Tensor> topologicalOrder(Tensor root) {
    List<Tensor> order = new ArrayList<>();
    Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    // Iterative post-order DFS: deep networks make recursion depth a real risk.
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    visited.add(root);
    stack.push(new Object[] {root, 0});
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Tensor t = (Tensor) frame[0];
      int next = (Integer) frame[1];
      GradNode node = t.gradFn();
      Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
      if (next < inputs.length) {
        frame[1] = next + 1;
        Tensor in = inputs[next];
        if (in.requiresGrad() && visited.add(in)) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        order.add(t);
      }
    }
    return order;
  }
}
