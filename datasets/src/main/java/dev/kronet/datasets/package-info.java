/**
 * kronet's data layer: {@link dev.kronet.datasets.ImageDataset} (labelled images stored compactly
 * as bytes in (N, C, H, W) order with their {@link dev.kronet.datasets.ImageShape} and class
 * names), {@link dev.kronet.datasets.Splits} (seeded train/validation splits), {@link
 * dev.kronet.datasets.SyntheticImages} (a learnable data set made from a seed) and {@link
 * dev.kronet.datasets.DatasetException}, which every reader throws for bad input. Readers live in
 * {@code io}, per-image augmentation in {@code transform}, batching in {@code loader}.
 */
package dev.kronet.datasets;
