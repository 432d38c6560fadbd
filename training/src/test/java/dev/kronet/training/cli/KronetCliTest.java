package dev.kronet.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.kernel.Capabilities;
import dev.kronet.engine.kernel.ConvGeometry;
import dev.kronet.engine.kernel.ConvPlanner;
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

  @Test
  void envKernelsPrintsThePlannersChoiceForEveryLayer() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      assertEquals(0, KronetCli.run("env", "--kernels", "--model", "resnet20"));
    } finally {
      System.setOut(out);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    // the 32→64 shortcut: 1×1, stride 2, on 14×14, whatever this machine's vector shape
    ConvGeometry shortcut = new ConvGeometry(32, 14, 14, 1, 1, 2, 2, 0, 0, 1, 1, 7, 7);
    String plan = ConvPlanner.plan(shortcut, 1, 64, Capabilities.current()).toString();
    String line =
        text.lines().filter(l -> l.startsWith("layer3.0.shortcut.0 ")).findFirst().orElse("");
    assertTrue(line.contains("32→64 1×1 s2 @14×14") && line.endsWith(plan), text);
    // the header and ResNet-20's 21 convolutions (stem, 18 in blocks, 2 shortcuts)
    assertEquals(1 + 21, text.lines().filter(l -> l.contains(" / ")).count(), text);
    assertEquals(2, KronetCli.run("env", "--model", "resnet20"), "--model without --kernels");
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

  /**
   * Every Throwable is one line: a user's message as it is, anything else by class, with a hint.
   */
  @Test
  void errorsAreOneLineAndOutOfMemorySaysHowToGetMore() {
    var text = new java.io.StringWriter();
    var err = new java.io.PrintWriter(text);
    assertEquals(1, KronetCli.report(new OutOfMemoryError("Java heap space"), false, err));
    assertEquals(1, KronetCli.report(new KronetException("bad file x: expected y"), false, err));
    assertEquals(1, KronetCli.report(new IllegalStateException("boom"), false, err));
    var lines = text.toString().lines().toList();
    assertEquals(3, lines.size(), text.toString());
    assertTrue(
        lines.get(0).startsWith("kronet: error: out of memory (Java heap space)"), lines.get(0));
    assertTrue(lines.get(0).contains("KRONET_HEAP"), lines.get(0));
    assertEquals("kronet: error: bad file x: expected y", lines.get(1));
    assertEquals(
        "kronet: error: java.lang.IllegalStateException: boom (--debug prints the stack trace)",
        lines.get(2));
  }
}
