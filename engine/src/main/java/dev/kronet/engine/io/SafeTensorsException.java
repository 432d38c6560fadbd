package dev.kronet.engine.io;

import dev.kronet.engine.KronetException;

/** A safetensors file that cannot be read or written; the message names the file and the tensor. */
public class SafeTensorsException extends KronetException {
  public SafeTensorsException(String message) {
    super(message);
  }

  public SafeTensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
