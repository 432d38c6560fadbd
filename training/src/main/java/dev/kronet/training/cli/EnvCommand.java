package dev.kronet.training.cli;

import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.kernel.Simd;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints what kronet found at start-up: JVM, SIMD, threads, memory. */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = "Show the runtime kronet uses: JVM, SIMD lanes, threads, heap.")
final class EnvCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Runtime rt = Runtime.getRuntime();
    System.out.printf("JVM      %s (%s)%n", Runtime.version(), System.getProperty("java.home"));
    System.out.printf(
        "SIMD     %s%n",
        Simd.ENABLED
            ? "on: jdk.incubator.vector, " + Simd.floatLanes() + " float lanes"
            : "off: scalar kernels");
    System.out.printf(
        "threads  %d compute (of %d processors)%n", Parallel.threads(), rt.availableProcessors());
    System.out.printf("heap     %d MiB max%n", rt.maxMemory() >> 20);
    return 0;
  }
}
