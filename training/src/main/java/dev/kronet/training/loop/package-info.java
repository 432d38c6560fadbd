/**
 * The training loop's reporting: a progress bar that degrades to log lines off a terminal,
 * per-epoch metrics appended to CSV and JSON (with the run's configuration), and a PNG plot of the
 * curves.
 */
package dev.kronet.training.loop;
