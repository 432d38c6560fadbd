/**
 * Per-image augmentation and normalisation, done in place on float pixels in (C, H, W) order:
 * {@link dev.kronet.datasets.transform.Normalize}, {@link dev.kronet.datasets.transform.RandomCrop}
 * (zero padding), {@link dev.kronet.datasets.transform.HorizontalFlip}, {@link
 * dev.kronet.datasets.transform.RandomErasing}. Random choices draw from a generator seeded by
 * (seed, epoch, sample index) through {@link dev.kronet.datasets.transform.SampleSeeds}, so they do
 * not depend on thread scheduling. Each random transform exposes its deterministic kernel ({@code
 * flip}, {@code shift}, {@code erase}) for direct use and testing.
 */
package dev.kronet.datasets.transform;
