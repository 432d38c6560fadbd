/**
 * The training loop: {@link dev.kronet.training.loop.Trainer} runs SGD with a per-step schedule
 * over a {@link dev.kronet.training.loop.TrainConfig} (cross-entropy with label smoothing, optional
 * knowledge distillation from a teacher), evaluates each epoch ({@link
 * dev.kronet.training.loop.Evaluation}), writes checkpoints and resumes from them bitwise, and
 * stops on a non-finite loss. Its reporting: a progress bar that degrades to log lines off a
 * terminal, per-epoch metrics appended to CSV and JSON (with the run's configuration), and a PNG
 * plot of the curves. See docs/TRAINING.md.
 */
package dev.kronet.training.loop;
