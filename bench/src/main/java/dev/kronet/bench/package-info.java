/**
 * Benchmarks, one class per question, run from {@code bench/target/benchmarks.jar}: JMH ones
 * (SGEMM, convolutions, datasets) and plain mains for end-to-end training and inference throughput
 * and per-layer times. {@code bench/perf.sh} runs them next to the references in {@code
 * bench/anchors/} (PyTorch, OpenBLAS, the FMA peak) and prints the tables of {@code
 * docs/PERFORMANCE.md}.
 */
package dev.kronet.bench;
