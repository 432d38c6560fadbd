/**
 * Layers as PyTorch users know them. {@link dev.kronet.engine.nn.Module} owns named parameters,
 * buffers and children with PyTorch's dotted names, train/eval mode and the state dict; {@link
 * dev.kronet.engine.nn.Sequential} and {@link dev.kronet.engine.nn.Identity} compose them; {@link
 * dev.kronet.engine.nn.Init} initialises parameters from an explicit seed; {@link
 * dev.kronet.engine.nn.ModuleFiles} saves a state dict as safetensors. Layers hold parameters and
 * state and call the functional ops in {@code dev.kronet.engine.ops} for their maths.
 */
package dev.kronet.engine.nn;
