package dev.kronet.training.optim;

import dev.kronet.engine.Tensor;

/** A trainable tensor and its dotted state-dict name ({@code layer1.0.conv1.weight}). */
public record NamedParameter(String name, Tensor tensor) {}
