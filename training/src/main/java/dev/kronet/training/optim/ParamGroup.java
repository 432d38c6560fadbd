package dev.kronet.training.optim;

import java.util.ArrayList;
import java.util.List;

/** Parameters that share a weight decay, as in PyTorch's optimiser parameter groups. */
public record ParamGroup(List<NamedParameter> params, double weightDecay) {
  public ParamGroup {
    params = List.copyOf(params);
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
    }
  }

  /**
   * Splits parameters into a decayed group and an undecayed one holding every tensor of rank ≤ 1
   * (BatchNorm scales and shifts, biases): the common recipe that keeps decay off parameters that
   * set scale or offset rather than a feature detector. With {@code decayAll} everything decays.
   */
  public static List<ParamGroup> split(
      List<NamedParameter> params, double weightDecay, boolean decayAll) {
    if (decayAll) {
      return List.of(new ParamGroup(params, weightDecay));
    }
    List<NamedParameter> decayed = new ArrayList<>();
    List<NamedParameter> plain = new ArrayList<>();
    for (NamedParameter p : params) {
      (p.tensor().dim() <= 1 ? plain : decayed).add(p);
    }
    return List.of(new ParamGroup(decayed, weightDecay), new ParamGroup(plain, 0.0));
  }
}
