package dev.kronet.engine;

/**
 * The project's own unchecked exception. Every message is meant for a user: it names the argument,
 * file or shape involved, what was found and what was expected.
 */
public class KronetException extends RuntimeException {
  public KronetException(String message) {
    super(message);
  }

  public KronetException(String message, Throwable cause) {
    super(message, cause);
  }
}
