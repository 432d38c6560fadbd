package dev.kronet.training.loop;

import dev.kronet.engine.KronetException;

/**
 * Training diverged: a loss (or, at an epoch's end, a weight) became NaN or infinite. The run stops
 * before that state reaches any checkpoint, so the last good one stays on disk.
 */
public final class NonFiniteLossException extends KronetException {
  private final int epoch;
  private final long step;

  public NonFiniteLossException(String message, int epoch, long step) {
    super(message);
    this.epoch = epoch;
    this.step = step;
  }

  /** The 1-based epoch that diverged. */
  public int epoch() {
    return epoch;
  }

  /** The 0-based global optimisation step that diverged. */
  public long step() {
    return step;
  }
}
