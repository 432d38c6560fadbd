/**
 * kronet's seeded property-testing harness on JUnit 5, shared with every module as the engine's
 * test-jar: {@link dev.kronet.engine.testing.Property} (runner with edge cases first, printed seed,
 * replay and size shrinking), {@link dev.kronet.engine.testing.Gen}/{@link
 * dev.kronet.engine.testing.Gens} (generators) and {@link dev.kronet.engine.testing.GradCheck}
 * (finite-difference gradient checks), and {@link dev.kronet.engine.testing.WithThreads} (a test's
 * loops on a fixed thread count, scoped to the test).
 */
package dev.kronet.engine.testing;
