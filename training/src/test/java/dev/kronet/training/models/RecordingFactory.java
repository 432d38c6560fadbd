package dev.kronet.training.models;

import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvSpec;
import java.util.ArrayList;
import java.util.List;

/** A {@link ConvFactory} that builds dense convolutions and records every call, in order. */
final class RecordingFactory implements ConvFactory {
  /** One {@link #create} call. */
  record Call(String name, int in, int out, int kernel, ConvSpec spec, boolean bias) {}

  final List<Call> calls = new ArrayList<>();

  @Override
  public Module create(
      String name, int in, int out, int kernel, ConvSpec spec, boolean bias, Rng rng) {
    calls.add(new Call(name, in, out, kernel, spec, bias));
    return DENSE.create(name, in, out, kernel, spec, bias, rng);
  }

  List<String> names() {
    return calls.stream().map(Call::name).toList();
  }
}
