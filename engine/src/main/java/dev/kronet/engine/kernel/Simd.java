package dev.kronet.engine.kernel;

/**
 * Whether SIMD kernels run. They need the incubating module {@code jdk.incubator.vector} (added by
 * {@code --add-modules jdk.incubator.vector}); {@code -Dkronet.simd=false} turns them off. When the
 * module is missing kronet says so once, on standard error, and runs the scalar twins.
 *
 * <p>Call sites test {@link #ENABLED} before touching a class that uses the Vector API, so that
 * such a class is never loaded when the module is absent.
 */
public final class Simd {
  /** True when SIMD kernels are in use. */
  public static final boolean ENABLED = decide();

  private Simd() {}

  private static boolean decide() {
    if ("false".equalsIgnoreCase(System.getProperty("kronet.simd", "true"))) {
      return false;
    }
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (!present) {
      System.err.println(
          "kronet: jdk.incubator.vector is not available (start java with --add-modules"
              + " jdk.incubator.vector); running scalar kernels");
    }
    return present;
  }

  /** Float lanes of the preferred vector species (1 when SIMD is off). */
  public static int floatLanes() {
    return ENABLED ? VectorLanes.preferredFloatLanes() : 1;
  }
}
