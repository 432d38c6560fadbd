/**
 * The model zoo: CIFAR-style ResNets (20/32/56 after He et al., 18 and 50 after kuangliu's
 * pytorch-cifar), their squeeze-excitation variants and MobileNetV2, written as plain modules with
 * PyTorch's state-dict names so that weights move between kronet and PyTorch. {@link
 * dev.kronet.training.models.ModelZoo} builds them by name; every convolution is made by a {@link
 * dev.kronet.training.models.ConvFactory} that sees its dotted path, which is how compressed
 * (Kronecker, SVD, Tucker) variants are built without editing the network classes.
 */
package dev.kronet.training.models;
