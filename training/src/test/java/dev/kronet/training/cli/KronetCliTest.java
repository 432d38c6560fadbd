package dev.kronet.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KronetCliTest {
  @Test
  void exitCodesFollowTheConvention() {
    assertEquals(0, KronetCli.run("--help"));
    assertEquals(0, KronetCli.run("env"));
    assertEquals(2, KronetCli.run("no-such-command"));
    assertEquals(2, KronetCli.run("--threads", "0", "env"));
    assertEquals(2, KronetCli.run("env", "--no-such-option"));
  }
}
