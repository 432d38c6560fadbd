package dev.kronet.training.cli;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.kernel.Parallel;
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
    try {
      Parallel.threads(); // a bad KRONET_THREADS / -Dkronet.threads is one line here, not a trace
    } catch (IllegalArgumentException e) {
      System.err.println("kronet: error: " + e.getMessage());
      return 2;
    }
    CommandLine cli = new CommandLine(new KronetCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          boolean debug = parseResult.hasMatchedOption("--debug");
          String message = e instanceof KronetException ? e.getMessage() : e.toString();
          commandLine.getErr().println("kronet: error: " + message);
          if (debug) {
            e.printStackTrace(commandLine.getErr());
          } else if (!(e instanceof KronetException)) {
            commandLine.getErr().println("kronet: (run with --debug for the stack trace)");
          }
          return 1;
        });
    return cli.execute(args);
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
