/**
 * JMH benchmarks, one class per question, run from {@code bench/target/benchmarks.jar}; their
 * results, with the command and the machine, are copied into {@code docs/PERFORMANCE.md}.
 */
package dev.kronet.bench;
