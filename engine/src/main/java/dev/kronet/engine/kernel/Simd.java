package dev.kronet.engine.kernel;

/**
 * Whether SIMD kernels run, and how wide: a short name for the {@link Capabilities} every kernel
 * call site asks. SIMD kernels need the incubating module {@code jdk.incubator.vector} (added by
 * {@code --add-modules jdk.incubator.vector}); {@code -Dkronet.simd=false} turns them off. When the
 * module is missing kronet says so once, on standard error, and runs the scalar twins.
 *
 * <p>Call sites test {@link #ENABLED} before touching a class that uses the Vector API, so that
 * such a class is never loaded when the module is absent.
 */
public final class Simd {
  /** True when SIMD kernels are in use. */
  public static final boolean ENABLED = Capabilities.current().simd();

  private Simd() {}

  /** Float lanes of the species the SIMD kernels use (1 when SIMD is off). */
  public static int floatLanes() {
    return Capabilities.current().lanes();
  }
}
