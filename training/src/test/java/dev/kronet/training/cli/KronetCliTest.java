package dev.kronet.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KronetCliTest {
  @Test
  void exitCodesFollowTheConvention() {
    assertEquals(0, KronetCli.run("--help"));
    assertEquals(0, KronetCli.run("env"));
    assertEquals(2, KronetCli.run("no-such-command"));
    assertEquals(2, KronetCli.run("--threads", "0", "env"));
    assertEquals(2, KronetCli.run("env", "--no-such-option"));
  }

  /**
   * Every command's help renders without picocli warnings (a bare % in a description once made
   * picocli print three "[picocli WARN] Could not format" lines above the help of train).
   */
  @Test
  void everyCommandsHelpRendersWithoutWarnings() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      for (String name : new CommandLine(new KronetCli()).getSubcommands().keySet()) {
        assertEquals(0, KronetCli.run(name, "--help"), name + " --help");
      }
    } finally {
      System.setErr(err);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("picocli WARN"), text);
  }
}
