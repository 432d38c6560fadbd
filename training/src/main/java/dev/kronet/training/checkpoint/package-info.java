/**
 * Training checkpoints as safetensors files: the model's state dict under {@code model.}, the
 * optimiser's momentum buffers under {@code optim.}, and in the metadata the epoch, global step,
 * random-generator states, run configuration, metrics so far and a CRC-32C over all of it, so a
 * damaged file is refused rather than resumed from. {@link
 * dev.kronet.training.checkpoint.CheckpointFiles} writes atomically and reads with a check of every
 * field; the format is described in docs/TRAINING.md.
 */
package dev.kronet.training.checkpoint;
