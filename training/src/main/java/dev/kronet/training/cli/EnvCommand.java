package dev.kronet.training.cli;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Capabilities;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvTrace;
import dev.kronet.training.compress.ConvSite;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints what kronet found at start-up: JVM, vector shape, FMA, threads, memory; with {@code
 * --kernels}, the convolution kernels every layer of a model gets on this machine.
 */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = {
      "Show the runtime kronet uses: JVM, SIMD lanes, vector registers, FMA, threads, heap.",
      "--kernels adds the convolution kernels each layer of a model runs here (forward / input"
          + " gradient / weight gradient)."
    })
final class EnvCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--kernels",
      description = "Also print the kernel plan of every convolution of --model or --checkpoint.")
  boolean kernels;

  @Option(names = "--model", description = "Zoo model for --kernels (default: resnet20).")
  String model;

  @Option(names = "--checkpoint", description = "A kronet checkpoint for --kernels instead.")
  Path checkpoint;

  @Option(names = "--input-size", description = "Image height = width (default: 28).")
  int inputSize = 28;

  @Override
  public Integer call() {
    if (!kernels && (model != null || checkpoint != null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--model and --checkpoint only go with --kernels");
    }
    if (model != null && checkpoint != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give --model or --checkpoint, not both");
    }
    Capabilities caps = Capabilities.current();
    Runtime rt = Runtime.getRuntime();
    System.out.printf("JVM       %s (%s)%n", Runtime.version(), System.getProperty("java.home"));
    System.out.printf(
        "CPU       %s, %d processors%n", System.getProperty("os.arch"), rt.availableProcessors());
    for (String line : caps.describe()) {
      System.out.println(line);
    }
    System.out.printf("threads   %d compute%n", Parallel.threads());
    System.out.printf("heap      %d MiB max%n", rt.maxMemory() >> 20);
    if (kernels) {
      System.out.println();
      System.out.print(kernelTable());
    }
    return 0;
  }

  private String kernelTable() {
    ModelFiles.Loaded loaded = ModelFiles.loadOrCreate(checkpoint, model);
    Module net = loaded.model();
    net.eval();
    StringBuilder sb = new StringBuilder();
    String row = "%-22s %-30s %s%n";
    sb.append(
        String.format(
            Locale.ROOT, row, "layer", "convolution", "forward / input grad / weight grad"));
    var modules = net.namedModules();
    try (var s = Autograd.noGrad()) {
      for (ConvSite site : InfoCommand.convSites(loaded.spec(), inputSize)) {
        try (ConvTrace t = ConvTrace.start()) {
          modules
              .get(site.name())
              .forward(Tensor.zeros(1, site.conv().inChannels(), site.inH(), site.inW()));
          String name = site.name();
          for (ConvTrace.Call c : t.calls()) {
            sb.append(String.format(Locale.ROOT, row, name, c.shape(), c.plan()));
            name = "";
          }
        }
      }
    }
    return sb.toString();
  }
}
