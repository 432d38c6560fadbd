package dev.kronet.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher's behaviour that needs no build: JDK discovery failing clearly. */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "kronet").toAbsolutePath().normalize();

  @Test
  void withoutAJdk25TheLauncherSaysWhatToInstallInOneLineAndExitsNonZero() throws Exception {
    // Only the system JDK on PATH (17 on our machines) or none at all may be found.
    assumeFalse(javacOnPathIsAtLeast25(), "the system JDK is new enough: nothing to refuse");
    ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "--help");
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("KRONET_JVM_DIRS", "/nonexistent-kronet-jvms");
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    assertEquals(1, code, out);
    assertEquals(1, out.lines().count(), out);
    assertTrue(out.contains("JDK 25") && out.contains("install"), out);
  }

  private static boolean javacOnPathIsAtLeast25() throws IOException, InterruptedException {
    Path javac = Path.of("/usr/bin/javac");
    if (!Files.exists(javac)) {
      return false;
    }
    Process p = new ProcessBuilder(javac.toString(), "-version").redirectErrorStream(true).start();
    String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    String major = v.replaceAll("^javac (\\d+).*$", "$1");
    return major.matches("\\d+") && Integer.parseInt(major) >= 25;
  }
}
