package dev.kronet.training.checkpoint;

import dev.kronet.engine.KronetException;

/** A checkpoint file that cannot be read, is damaged, or does not fit the run resuming from it. */
public final class CheckpointException extends KronetException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
