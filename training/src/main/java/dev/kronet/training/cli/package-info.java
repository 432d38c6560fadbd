/**
 * The {@code kronet} command line (picocli): one class per command, each documenting itself via
 * {@code --help}. Commands turn user input into calls on the training, gkpd and datasets APIs and
 * report errors as one clear line (exit code 1), usage errors with exit code 2.
 */
package dev.kronet.training.cli;
