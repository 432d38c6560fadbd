/**
 * Model compression: from a trained zoo network to its GKPD (or SVD / Tucker-2) version, built
 * through the model's conv factory with the replaced layers and every other tensor copied over,
 * with a per-layer account of parameters, multiply-adds and reconstruction error.
 */
package dev.kronet.training.compress;
