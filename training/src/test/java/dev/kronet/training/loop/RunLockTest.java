package dev.kronet.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per directory: a second one is refused by name, a dead one's lock and temp files go. */
class RunLockTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void aSecondRunInTheSameDirectoryIsRefusedWithTheOwnersName(@TempDir Path dir) {
    try (RunLock first = RunLock.acquire(dir, out)) {
      var e = assertThrows(KronetException.class, () -> RunLock.acquire(dir, out));
      String pid = "pid " + ProcessHandle.current().pid();
      assertTrue(e.getMessage().contains("in use by another run (" + pid), e.getMessage());
      var trainer =
          assertThrows(
              KronetException.class,
              () ->
                  TinyRuns.trainer("net", new TinyRuns.ConvNet(4, 1, 0f), TinyRuns.config(dir))
                      .fit());
      assertTrue(trainer.getMessage().contains("in use by another run"), trainer.getMessage());
    }
    try (RunLock again = RunLock.acquire(dir, out)) {
      assertEquals("", bytes.toString(StandardCharsets.UTF_8), "a released lock is taken quietly");
    }
  }

  @Test
  void aLockLeftByADeadRunIsTakenOverAndItsTempFilesRemoved(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve(RunLock.FILE), "pid 999999 on elsewhere since 2026-01-01T00:00:00Z");
    Files.write(dir.resolve(".last.safetensors.1234567.tmp"), new byte[3_000_000]);
    Files.writeString(dir.resolve("metrics.json.tmp"), "{");
    Files.writeString(dir.resolve("notes.tmp"), "the user's own file");
    try (RunLock lock = RunLock.acquire(dir, out)) {
      String text = bytes.toString(StandardCharsets.UTF_8);
      assertTrue(text.contains("taking over") && text.contains("pid 999999 on elsewhere"), text);
      assertTrue(text.contains("removed 2 temp files (3.0 MB)"), text);
      assertFalse(Files.exists(dir.resolve(".last.safetensors.1234567.tmp")));
      assertFalse(Files.exists(dir.resolve("metrics.json.tmp")));
      assertTrue(Files.exists(dir.resolve("notes.tmp")), "only kronet's own temp files go");
      String owner = Files.readString(dir.resolve(RunLock.FILE));
      assertTrue(owner.startsWith("pid " + ProcessHandle.current().pid() + " on "), owner);
    }
  }
}
