package dev.kronet.training.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The demo pipeline: baseline ResNet-20 on Fashion-MNIST → GKPD at ~5× → retrain → report. It grows
 * with the engine, gkpd and training work; until each stage exists it says exactly what it can do.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Train ResNet-20 on Fashion-MNIST, compress it with GKPD, retrain, report.",
      "The report gives params, FLOPs, top-1 and time for both networks."
    })
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("kronet demo: the training pipeline is not built yet.");
    System.out.println("What exists today: the reactor, the launcher, the tensor/autograd core");
    System.out.println("and the seeded property-test harness. Run './kronet test' to check them,");
    System.out.println("and './kronet env' to see the runtime kronet found.");
    return 1;
  }
}
