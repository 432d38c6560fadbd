package dev.kronet.engine.kernel;

import dev.kronet.engine.KronetException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What this JVM on this CPU gives the kernels, decided once at start-up: every kernel choice
 * ({@link ConvPlanner}, the SGEMM tile) and every vector species is read from here, so what runs on
 * a machine follows from one value that {@code kronet env} prints and tests can build by hand.
 *
 * <p>Switches (system properties), for comparisons and for testing other machines' code on this
 * one:
 *
 * <ul>
 *   <li>{@code -Dkronet.simd=false}: scalar twins only;
 *   <li>{@code -Dkronet.lanes=4|8|16}: the vector width of every SIMD kernel (a width the CPU lacks
 *       is emulated by the Vector API: exact, but far slower; for tests, never for speed);
 *   <li>{@code -Dkronet.vectorRegisters=16|32}: the register file the tiles are sized for;
 *   <li>{@code -Dkronet.fma=false}: multiply-then-add instead of fused multiply-add;
 *   <li>{@code -Dkronet.kernels.disable=direct-conv,filter-lanes-conv,…}: convolution kernels not
 *       to plan (names of {@link ConvKernel#id()}); the older {@code -Dkronet.directConv=false},
 *       {@code -Dkronet.filterLanes=false} and {@code -Dkronet.pointwiseConv=false} still work.
 * </ul>
 *
 * @param simd whether the Vector API kernels run: the module {@code jdk.incubator.vector} is
 *     present and {@code kronet.simd} is not false
 * @param lanes float lanes of the one species every SIMD kernel uses (1 when {@code simd} is off)
 * @param nativeLanes float lanes of the JVM's preferred species: the widest the CPU does natively
 * @param vectorRegisters vector registers the JIT allocates from: 32 with AVX-512 and on aarch64,
 *     16 on x86 without AVX-512 (also under {@code -XX:UseAVX=2} on an AVX-512 CPU)
 * @param nativeFma whether a fused multiply-add is one instruction here; without it the Vector
 *     API's {@code fma} runs a Java fallback thousands of times slower than scalar code, so the
 *     kernels multiply, then add ({@link KernelSpecies#fma})
 * @param disabled convolution kernels the planner must not choose
 */
public record Capabilities(
    boolean simd,
    int lanes,
    int nativeLanes,
    int vectorRegisters,
    boolean nativeFma,
    Set<ConvKernel> disabled) {

  public Capabilities {
    if (lanes < 1 || nativeLanes < 1) {
      throw new IllegalArgumentException("lanes must be ≥ 1, got " + lanes + "/" + nativeLanes);
    }
    if (vectorRegisters != 16 && vectorRegisters != 32) {
      throw new IllegalArgumentException(
          "vectorRegisters must be 16 or 32, got " + vectorRegisters);
    }
    disabled = disabled.isEmpty() ? Set.of() : Set.copyOf(disabled);
  }

  /**
   * A SIMD machine of the given shape with native FMA and every kernel enabled: AVX-512 is {@code
   * simdMachine(16, 32)}, AVX2 {@code (8, 16)}, NEON {@code (4, 32)}.
   */
  public static Capabilities simdMachine(int lanes, int vectorRegisters) {
    return new Capabilities(true, lanes, lanes, vectorRegisters, true, Set.of());
  }

  /** A machine running the scalar twins only. */
  public static Capabilities scalarMachine() {
    return new Capabilities(false, 1, 1, 32, true, Set.of());
  }

  /** The same machine with {@code kernel} turned off. */
  public Capabilities without(ConvKernel kernel) {
    Set<ConvKernel> off =
        disabled.isEmpty() ? EnumSet.noneOf(ConvKernel.class) : EnumSet.copyOf(disabled);
    off.add(kernel);
    return new Capabilities(simd, lanes, nativeLanes, vectorRegisters, nativeFma, off);
  }

  /** True when the planner may choose {@code kernel}. */
  public boolean allows(ConvKernel kernel) {
    return !disabled.contains(kernel);
  }

  /** True when the lanes are wider than the CPU's: the Vector API emulates them, slowly. */
  public boolean emulated() {
    return simd && lanes > nativeLanes;
  }

  /**
   * This process's capabilities, detected on first use. A malformed switch throws a {@link
   * KronetException} naming it, on this call and every later one.
   */
  public static Capabilities current() {
    if (Holder.ERROR != null) {
      throw new KronetException(Holder.ERROR);
    }
    return Holder.CURRENT;
  }

  /** One line per capability, as {@code kronet env} prints them. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    if (!simd) {
      lines.add("SIMD      off: scalar kernels");
    } else {
      lines.add(
          "SIMD      on: jdk.incubator.vector, "
              + lanes
              + " float lanes ("
              + (lanes * 32)
              + "-bit)"
              + (emulated()
                  ? ", EMULATED: the CPU does " + nativeLanes + " natively (slow; for tests only)"
                  : lanes < nativeLanes ? ", narrower than the CPU's " + nativeLanes : ""));
      lines.add("registers " + vectorRegisters + " vector registers (tiles sized for them)");
      lines.add(
          "FMA       "
              + (nativeFma
                  ? "fused multiply-add"
                  : "not native: kernels multiply, then add (FloatVector.fma would run a slow"
                      + " Java fallback)"));
    }
    if (!disabled.isEmpty()) {
      List<String> ids = new ArrayList<>();
      for (ConvKernel k : ConvKernel.values()) {
        if (disabled.contains(k)) {
          ids.add(k.id());
        }
      }
      lines.add("disabled  " + String.join(", ", ids));
    }
    return lines;
  }

  private static final class Holder {
    static final String ERROR;
    static final Capabilities CURRENT;

    static {
      String error = null;
      Capabilities found = null;
      try {
        found = detect();
      } catch (KronetException e) {
        error = e.getMessage();
      }
      ERROR = error;
      CURRENT = found;
    }
  }

  private static Capabilities detect() {
    Set<ConvKernel> disabled = disabledKernels();
    boolean fma = !"false".equalsIgnoreCase(flag("kronet.fma", "true")) && vmFlag("UseFMA", true);
    String simdFlag = flag("kronet.simd", "true");
    if ("false".equalsIgnoreCase(simdFlag)) {
      return new Capabilities(false, 1, 1, registers(1), fma, disabled);
    }
    if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      System.err.println(
          "kronet: jdk.incubator.vector is not available (start java with --add-modules"
              + " jdk.incubator.vector); running scalar kernels");
      return new Capabilities(false, 1, 1, registers(1), fma, disabled);
    }
    int nativeLanes = VectorLanes.preferredFloatLanes();
    int lanes = nativeLanes;
    String forced = flag("kronet.lanes", null);
    if (forced != null) {
      lanes = parseChoice("kronet.lanes", forced, 4, 8, 16);
    }
    int registers = registers(nativeLanes);
    String forcedRegisters = flag("kronet.vectorRegisters", null);
    if (forcedRegisters != null) {
      registers = parseChoice("kronet.vectorRegisters", forcedRegisters, 16, 32);
    }
    return new Capabilities(true, lanes, nativeLanes, registers, fma, disabled);
  }

  /**
   * The register file: aarch64 (NEON, SVE) and RISC-V have 32 vector registers; x86 has 16 unless
   * AVX-512 is in use ({@code UseAVX} 3), which doubles them.
   */
  private static int registers(int nativeLanes) {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("x86")) {
      return 32;
    }
    String useAvx = vmOption("UseAVX");
    if (useAvx != null) {
      return Integer.parseInt(useAvx.trim()) >= 3 ? 32 : 16;
    }
    // Not HotSpot (no such option): 16 lanes means AVX-512 and its 32 registers.
    return nativeLanes >= 16 ? 32 : 16;
  }

  private static Set<ConvKernel> disabledKernels() {
    Set<ConvKernel> off = EnumSet.noneOf(ConvKernel.class);
    String list = flag("kronet.kernels.disable", "");
    for (String id : list.split(",")) {
      if (!id.isBlank()) {
        off.add(ConvKernel.byId(id.trim(), "-Dkronet.kernels.disable"));
      }
    }
    if (off.contains(ConvKernel.GEMM)) {
      throw new KronetException(
          "-Dkronet.kernels.disable: gemm takes every convolution no other kernel takes and cannot"
              + " be disabled");
    }
    // The older per-kernel switches.
    if ("false".equalsIgnoreCase(flag("kronet.directConv", "true"))) {
      off.add(ConvKernel.DIRECT);
    }
    if ("false".equalsIgnoreCase(flag("kronet.filterLanes", "true"))) {
      off.add(ConvKernel.FILTER_LANES);
      off.add(ConvKernel.FILTER_LANES_INPUT);
      off.add(ConvKernel.PHASE_LANES_INPUT);
      off.add(ConvKernel.STRIDED_POINTWISE_INPUT);
    }
    if ("false".equalsIgnoreCase(flag("kronet.pointwiseConv", "true"))) {
      off.add(ConvKernel.POINTWISE);
    }
    return off;
  }

  private static int parseChoice(String name, String value, int... allowed) {
    for (int a : allowed) {
      if (value.trim().equals(Integer.toString(a))) {
        return a;
      }
    }
    StringBuilder expected = new StringBuilder();
    for (int a : allowed) {
      expected.append(expected.isEmpty() ? "" : ", ").append(a);
    }
    throw new KronetException("-D" + name + "=" + value + ": expected one of " + expected);
  }

  private static String flag(String name, String fallback) {
    return System.getProperty(name, fallback);
  }

  private static boolean vmFlag(String name, boolean fallback) {
    String v = vmOption(name);
    return v == null ? fallback : Boolean.parseBoolean(v.trim());
  }

  /**
   * A HotSpot VM option's value, or null where the VM has no such option (or no HotSpot MXBean).
   */
  private static String vmOption(String name) {
    try {
      return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name)
          .getValue();
    } catch (IllegalArgumentException | LinkageError | UnsupportedOperationException e) {
      return null;
    }
  }
}
