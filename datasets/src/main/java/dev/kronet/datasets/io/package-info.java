/**
 * File readers that validate before they allocate: IDX for MNIST and Fashion-MNIST ({@link
 * dev.kronet.datasets.io.IdxReader}, {@link dev.kronet.datasets.io.FashionMnist} with its lookup of
 * {@code --data DIR}, {@code KRONET_DATA} and the Debian package location), CIFAR-10/100 binary
 * batches ({@link dev.kronet.datasets.io.CifarReader}, {@link dev.kronet.datasets.io.Cifar}) and
 * class-per-folder PNG/JPEG trees ({@link dev.kronet.datasets.io.ImageFolder}). Every problem with
 * a file is a {@link dev.kronet.datasets.DatasetException} naming the file, the offset or entry,
 * what was found and what was expected; gzip input is recognised by its magic bytes.
 */
package dev.kronet.datasets.io;
