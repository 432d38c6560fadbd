package dev.kronet.training.schedule;

/**
 * A learning rate as a function of the optimisation step (0-based, one step per mini-batch).
 * Per-step rather than per-epoch so warm-up and cosine decay are smooth; at step {@code
 * e·stepsPerEpoch} the value equals PyTorch's per-epoch scheduler at epoch {@code e}.
 */
@FunctionalInterface
public interface LrSchedule {
  double lr(long step);

  static LrSchedule constant(double lr) {
    return step -> lr;
  }

  /** lr·gamma^k after the k-th milestone (milestones in steps, ascending), like MultiStepLR. */
  static LrSchedule step(double lr, double gamma, long... milestones) {
    for (int i = 1; i < milestones.length; i++) {
      if (milestones[i] < milestones[i - 1]) {
        throw new IllegalArgumentException("milestones must be ascending");
      }
    }
    return step -> {
      int passed = 0;
      for (long m : milestones) {
        if (step >= m) {
          passed++;
        }
      }
      return lr * Math.pow(gamma, passed);
    };
  }

  /** Cosine decay from lr to minLr over totalSteps (CosineAnnealingLR with T_max = total). */
  static LrSchedule cosine(double lr, double minLr, long totalSteps) {
    if (totalSteps <= 0) {
      throw new IllegalArgumentException("cosine schedule needs totalSteps > 0");
    }
    return step -> {
      double t = Math.min(1.0, (double) step / totalSteps);
      return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * t));
    };
  }

  /**
   * Linear warm-up over the first {@code warmupSteps}: from {@code inner.lr(0)/warmupSteps} up to
   * the inner schedule, which then continues unchanged.
   */
  default LrSchedule withWarmup(long warmupSteps) {
    LrSchedule inner = this;
    if (warmupSteps <= 0) {
      return inner;
    }
    return step ->
        step < warmupSteps ? inner.lr(step) * (step + 1) / (double) warmupSteps : inner.lr(step);
  }
}
