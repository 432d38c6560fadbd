package dev.kronet.training.compress;

import dev.kronet.engine.nn.Conv2d;

/** A convolution of a trained model, by its dotted name, with the input size it sees. */
public record ConvSite(String name, Conv2d conv, int inH, int inW) {}
