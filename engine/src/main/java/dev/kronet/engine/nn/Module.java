package dev.kronet.engine.nn;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.StoredTensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer or a network, as in PyTorch's {@code torch.nn.Module}: it owns named parameters, buffers
 * and child modules, registered explicitly in its constructor, and computes {@link #forward}.
 *
 * <p>Names follow PyTorch so that weights round-trip: a parameter {@code weight} of the child
 * {@code conv1} of the child {@code 0} of {@code layer1} is {@code layer1.0.conv1.weight}, and
 * every traversal visits a module's own parameters, then its buffers, then its children in
 * registration order, depth first.
 *
 * <p>A parameter is a plain {@link Tensor} made a leaf that requires grad by {@link
 * #registerParameter}. kronet has no {@code Parameter} class: {@code Tensor} is final, and a
 * wrapper would force every layer to unwrap its weights at each op call, while all PyTorch's
 * subclass adds — being found by the module and requiring grad — is what registration does.
 */
public abstract class Module {
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Buffer> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  public abstract Tensor forward(Tensor x);

  // ---------------------------------------------------------------- registration

  /**
   * Registers {@code value} as the trainable parameter {@code name}; it must be a contiguous leaf,
   * and is marked as requiring grad.
   */
  protected final Tensor registerParameter(String name, Tensor value) {
    checkNewName(name, value);
    if (!value.isLeaf()) {
      throw new KronetException(
          "registerParameter('"
              + name
              + "'): the tensor is computed by '"
              + value.gradFn().op()
              + "'; a parameter must be a leaf (detach() it or build it directly)");
    }
    if (!value.isContiguous()) {
      throw new KronetException(
          "registerParameter('"
              + name
              + "'): the tensor is a non-contiguous view; optimisers"
              + " update parameters in place and expect dense storage (use contiguous())");
    }
    parameters.put(name, value.requiresGrad(true));
    return value;
  }

  /** Registers a float32 buffer (state saved in the state dict but not trained). */
  protected final Tensor registerBuffer(String name, Tensor value) {
    checkNewName(name, value);
    buffers.put(name, new TensorBuffer(value));
    return value;
  }

  /** Registers an int64 scalar buffer such as BatchNorm's {@code num_batches_tracked}. */
  protected final Counter registerBuffer(String name, Counter counter) {
    checkNewName(name, counter);
    buffers.put(name, counter);
    return counter;
  }

  /** Registers {@code child} as the submodule {@code name}. */
  protected final <M extends Module> M registerModule(String name, M child) {
    checkNewName(name, child);
    for (Module m : child.namedModules().values()) {
      if (m == this) {
        throw new KronetException(
            "registerModule('"
                + name
                + "'): the module already contains this one; a module"
                + " tree cannot have cycles");
      }
    }
    children.put(name, child);
    return child;
  }

  private void checkNewName(String name, Object value) {
    String kind = getClass().getSimpleName();
    if (value == null) {
      throw new KronetException(kind + ": cannot register null as '" + name + "'");
    }
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new KronetException(
          kind
              + ": invalid name '"
              + name
              + "'; names are non-empty and have no '.'"
              + " (dots join the names of nested modules)");
    }
    if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new KronetException(kind + ": the name '" + name + "' is already registered");
    }
  }

  // ---------------------------------------------------------------- traversal

  /**
   * All parameters of this module and its descendants by dotted name; a tensor registered twice
   * (shared weights) appears once, under its first name, as in PyTorch.
   */
  public final Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<String, Module> m : namedModules().entrySet()) {
      for (Map.Entry<String, Tensor> p : m.getValue().parameters.entrySet()) {
        if (seen.add(p.getValue())) {
          out.put(join(m.getKey(), p.getKey()), p.getValue());
        }
      }
    }
    return out;
  }

  /** The tensors of {@link #namedParameters()}, in order: what an optimiser updates. */
  public final List<Tensor> parameters() {
    return List.copyOf(namedParameters().values());
  }

  /** All buffers of this module and its descendants by dotted name. */
  public final Map<String, Buffer> namedBuffers() {
    Map<String, Buffer> out = new LinkedHashMap<>();
    for (Map.Entry<String, Module> m : namedModules().entrySet()) {
      for (Map.Entry<String, Buffer> b : m.getValue().buffers.entrySet()) {
        out.put(join(m.getKey(), b.getKey()), b.getValue());
      }
    }
    return out;
  }

  /** The direct submodules by name, in registration order. */
  public final Map<String, Module> namedChildren() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(children));
  }

  public final List<Module> children() {
    return List.copyOf(children.values());
  }

  /**
   * This module (named {@code ""}) and all its descendants, depth first in registration order; a
   * module reachable twice appears once, under its first name.
   */
  public final Map<String, Module> namedModules() {
    Map<String, Module> out = new LinkedHashMap<>();
    collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void collectModules(
      String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
    if (!seen.add(m)) {
      return;
    }
    out.put(prefix, m);
    for (Map.Entry<String, Module> c : m.children.entrySet()) {
      collectModules(join(prefix, c.getKey()), c.getValue(), out, seen);
    }
  }

  static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** The number of trainable scalars (shared tensors counted once). */
  public final long numParameters() {
    long n = 0;
    for (Tensor p : parameters()) {
      n += p.numel();
    }
    return n;
  }

  // ---------------------------------------------------------------- mode and gradients

  /** Sets training mode ({@code true}) or evaluation mode on this module and all descendants. */
  public Module train(boolean mode) {
    training = mode;
    for (Module c : children.values()) {
      c.train(mode);
    }
    return this;
  }

  public final Module train() {
    return train(true);
  }

  public final Module eval() {
    return train(false);
  }

  public final boolean isTraining() {
    return training;
  }

  /** Drops the gradients of all parameters. */
  public final void zeroGrad() {
    for (Tensor p : parameters()) {
      p.zeroGrad();
    }
  }

  // ---------------------------------------------------------------- state dict

  /**
   * A snapshot of every parameter and buffer by dotted name, in PyTorch's order (a module's
   * parameters, its buffers, then its children's entries). Shared tensors appear under each name,
   * as in PyTorch.
   */
  public final Map<String, StoredTensor> stateDict() {
    Map<String, StoredTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Buffer> e : stateEntries().entrySet()) {
      out.put(e.getKey(), e.getValue().snapshot());
    }
    return out;
  }

  /**
   * Copies {@code state} into this module's existing tensors (references held elsewhere stay
   * valid). Shapes must match exactly and dtypes by category (float into parameters and float
   * buffers, integer into counters). With {@code strict}, the names must match exactly too. On any
   * failure nothing is changed and a {@link StateDictException} lists every problem.
   */
  public final LoadResult loadStateDict(Map<String, StoredTensor> state, boolean strict) {
    return StateDicts.load(getClass().getSimpleName(), stateEntries(), state, strict);
  }

  /** Every parameter and buffer as a state-dict entry, by dotted name. */
  private Map<String, Buffer> stateEntries() {
    Map<String, Buffer> out = new LinkedHashMap<>();
    collectState("", out);
    return out;
  }

  private void collectState(String prefix, Map<String, Buffer> out) {
    for (Map.Entry<String, Tensor> p : parameters.entrySet()) {
      out.put(join(prefix, p.getKey()), new TensorBuffer(p.getValue()));
    }
    for (Map.Entry<String, Buffer> b : buffers.entrySet()) {
      out.put(join(prefix, b.getKey()), b.getValue());
    }
    for (Map.Entry<String, Module> c : children.entrySet()) {
      c.getValue().collectState(join(prefix, c.getKey()), out);
    }
  }

  // ---------------------------------------------------------------- printing

  /** Extra text shown in {@link #toString()} after the class name, e.g. a layer's sizes. */
  protected String extraRepr() {
    return "";
  }

  /** The module tree, PyTorch style: {@code Sequential((0): Identity() (1): …)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
    sb.append(extraRepr());
    if (!children.isEmpty()) {
      for (Map.Entry<String, Module> c : children.entrySet()) {
        String child = c.getValue().toString().replace("\n", "\n  ");
        sb.append("\n  (").append(c.getKey()).append("): ").append(child);
      }
      sb.append('\n');
    }
    return sb.append(')').toString();
  }
}
