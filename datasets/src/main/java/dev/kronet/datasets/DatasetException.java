package dev.kronet.datasets;

import dev.kronet.engine.KronetException;

/**
 * A data file or folder that cannot be used: missing, unreadable, truncated, or inconsistent. The
 * message names the file, the offset or entry, what was found and what was expected.
 */
public class DatasetException extends KronetException {
  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
