package dev.kronet.training.loop;

/** What one epoch measured: losses and top-1 accuracies (fractions), learning rate, time. */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double valLoss,
    double valAccuracy,
    double learningRate,
    double seconds,
    double imagesPerSecond) {}
