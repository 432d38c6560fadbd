package dev.kronet.training.cli;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.kernel.Parallel;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code kronet} command line. Exit codes: 0 ok, 1 failure, 2 usage error. Errors are the
 * project's own exceptions, printed as one message; {@code --debug} adds the stack trace.
 */
@Command(
    name = "kronet",
    mixinStandardHelpOptions = true,
    versionProvider = KronetCli.Version.class,
    description = "Kronecker networks on the JVM: train, decompose (GKPD), retrain, evaluate.",
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      CompressCommand.class,
      FinetuneCommand.class,
      EvalCommand.class,
      InfoCommand.class,
      DecomposeCommand.class,
      EnvCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Launcher commands (handled by ./kronet itself):",
      "  test  Run the whole test suite (mvn verify: tests and format check).",
      "",
      "Run 'kronet <command> --help' for a command's options."
    })
public final class KronetCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--threads",
      description = "Compute threads (default: KRONET_THREADS or all processors).",
      scope = CommandLine.ScopeType.INHERIT)
  void threads(int n) {
    if (n < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--threads must be at least 1, got " + n);
    }
    Parallel.setThreads(n);
  }

  @Option(
      names = "--debug",
      description = "Print stack traces with errors.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (used by tests). */
  public static int run(String... args) {
    boolean threadsGiven =
        Arrays.stream(args).anyMatch(a -> a.equals("--threads") || a.startsWith("--threads="));
    if (!threadsGiven) {
      try {
        Parallel.threads(); // a bad KRONET_THREADS / -Dkronet.threads: one line, not a trace
      } catch (IllegalArgumentException e) {
        System.err.println("kronet: error: " + e.getMessage() + " (or pass --threads N)");
        return 2;
      }
    }
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine cli = new CommandLine(new KronetCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> report(e, debug, commandLine.getErr()));
    try {
      return cli.execute(args);
    } catch (Throwable e) { // an Error thrown past picocli's handler, which takes Exceptions only
      return report(e, debug, new PrintWriter(System.err, true));
    }
  }

  /**
   * Prints {@code e} as one line (its stack trace too with {@code --debug}) and returns exit code
   * 1. A {@link KronetException} is a message meant for users; anything else is named by its class,
   * and running out of memory says how to give the JVM more.
   */
  static int report(Throwable e, boolean debug, PrintWriter err) {
    String message =
        switch (e) {
          case KronetException k -> k.getMessage();
          case OutOfMemoryError m ->
              "out of memory ("
                  + m.getMessage()
                  + ") with a heap of "
                  + Runtime.getRuntime().maxMemory() / (1 << 20)
                  + " MB: set KRONET_HEAP (e.g. KRONET_HEAP=8g) or ask for less";
          default -> e.toString();
        };
    boolean hint = !debug && !(e instanceof KronetException);
    err.println("kronet: error: " + message + (hint ? " (--debug prints the stack trace)" : ""));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  /** The version from the jar manifest or the build, plus the runtime it found. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = KronetCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "kronet " + (v == null ? "0.1.0-SNAPSHOT" : v),
        "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
