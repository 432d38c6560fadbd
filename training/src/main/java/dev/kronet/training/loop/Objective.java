package dev.kronet.training.loop;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.Losses;

/**
 * The training loss: cross-entropy with label smoothing ε, or with a teacher's logits the
 * knowledge-distillation mix of Hinton et al. (2015), {@code α·KD(T) + (1 − α)·CE}, where KD is the
 * T²-scaled KL divergence of {@link Losses#klDivDistillation}. Both terms are always computed when
 * a teacher is present, so α = 0 gives exactly the cross-entropy gradient (plus 0·KD).
 */
record Objective(float labelSmoothing, float alpha, float temperature) {
  static Objective of(TrainConfig c) {
    return new Objective(
        (float) c.labelSmoothing(), (float) c.distillAlpha(), (float) c.distillTemperature());
  }

  /** The scalar loss; {@code teacherLogits} is null without distillation. */
  Tensor loss(Tensor logits, int[] labels, Tensor teacherLogits) {
    Tensor ce = Losses.crossEntropy(logits, labels, labelSmoothing);
    if (teacherLogits == null) {
      return ce;
    }
    Tensor kd = Losses.klDivDistillation(logits, teacherLogits, temperature);
    return kd.mul(alpha).add(ce.mul(1f - alpha));
  }
}
