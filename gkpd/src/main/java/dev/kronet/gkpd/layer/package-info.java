/**
 * Trainable float32 layers built on the GKPD maths: the functional KroneckerConvolution of
 * Algorithm 1 ({@link dev.kronet.gkpd.layer.KroneckerConvolution}) and its matrix case ({@link
 * dev.kronet.gkpd.layer.KroneckerAffine}), composed from engine ops so that autograd comes from
 * theirs; the modules {@link dev.kronet.gkpd.layer.KroneckerConv2d} and {@link
 * dev.kronet.gkpd.layer.KroneckerLinear} with GKPD ({@code fromConv}/{@code fromLinear}) and random
 * initialisation and {@code toDense()}; and the truncated-SVD and Tucker-2 baselines as drop-in
 * modules ({@link dev.kronet.gkpd.layer.SvdConv}, {@link dev.kronet.gkpd.layer.Tucker2Conv}).
 * Decompositions run in double in {@code decompose}/{@code baseline}; this package only narrows
 * their factors to float parameters.
 */
package dev.kronet.gkpd.layer;
