package dev.kronet.training.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void stepDecayMultipliesByGammaAtEachMilestone() {
    LrSchedule s = LrSchedule.step(0.1, 0.1, 100, 150);
    assertEquals(0.1, s.lr(0), 1e-15);
    assertEquals(0.1, s.lr(99), 1e-15);
    assertEquals(0.01, s.lr(100), 1e-15);
    assertEquals(0.001, s.lr(150), 1e-15);
  }

  @Test
  void cosineStartsAtLrHalvesAtMidpointAndEndsAtMin() {
    LrSchedule s = LrSchedule.cosine(0.2, 0.0, 1000);
    assertEquals(0.2, s.lr(0), 1e-15);
    assertEquals(0.1, s.lr(500), 1e-12);
    assertEquals(0.0, s.lr(1000), 1e-15);
    assertEquals(0.0, s.lr(2000), 1e-15);
  }

  @Test
  void warmupRampsLinearlyThenHandsOver() {
    LrSchedule s = LrSchedule.constant(0.4).withWarmup(4);
    assertEquals(0.1, s.lr(0), 1e-15);
    assertEquals(0.3, s.lr(2), 1e-15);
    assertEquals(0.4, s.lr(3), 1e-15);
    assertEquals(0.4, s.lr(10), 1e-15);
  }
}
