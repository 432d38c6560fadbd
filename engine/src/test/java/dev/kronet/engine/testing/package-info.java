/**
 * kronet's seeded property-testing harness on JUnit 5, shared with every module as the engine's
 * test-jar: {@link dev.kronet.engine.testing.Property} (runner with edge cases first, printed seed,
 * replay and size shrinking), {@link dev.kronet.engine.testing.Gen}/{@link
 * dev.kronet.engine.testing.Gens} (generators) and {@link dev.kronet.engine.testing.GradCheck}
 * (finite-difference gradient checks).
 */
package dev.kronet.engine.testing;
