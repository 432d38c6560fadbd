package dev.kronet.engine.kernel;

import jdk.incubator.vector.FloatVector;

/** Isolates the Vector API lookup so that {@link Capabilities} loads without the module. */
final class VectorLanes {
  private VectorLanes() {}

  static int preferredFloatLanes() {
    return FloatVector.SPECIES_PREFERRED.length();
  }
}
