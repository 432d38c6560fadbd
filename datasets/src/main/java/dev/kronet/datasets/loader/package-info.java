/**
 * Mini-batching: {@link dev.kronet.datasets.loader.DataLoader} turns a dataset plus transforms into
 * deterministic [N, C, H, W] float32 {@link dev.kronet.datasets.loader.Batch}es; {@link
 * dev.kronet.datasets.loader.BatchStream} prefetches one epoch on a background thread into a
 * bounded queue, rethrows that thread's failures to the consumer and stops on close; {@link
 * dev.kronet.datasets.loader.LoaderOptions} holds batch size, shuffling, dropLast, seed and
 * prefetch depth.
 */
package dev.kronet.datasets.loader;
