/**
 * Optimisers over named parameters: {@link dev.kronet.training.optim.Sgd} (PyTorch's SGD with
 * momentum, Nesterov and weight decay) and parameter groups that keep decay off BatchNorm and bias
 * parameters. Optimiser state is exposed by parameter name for checkpoints.
 */
package dev.kronet.training.optim;
