package dev.kronet.datasets.io;

/** Which published part of a dataset to read. */
public enum Split {
  TRAIN,
  TEST
}
