/**
 * Generalized Kronecker Product Decomposition (GKPD, Hameed et al.): the Kronecker algebra of N-d
 * tensors ({@code algebra}, eq. 7–8 and 12), the SVD solution of the multidimensional nearest
 * Kronecker product problem ({@code decompose}, eq. 11–12), parameter and FLOP accounting of dense
 * and Kronecker convolutions ({@code cost}, eq. 16–17), the per-layer and whole-network
 * configuration search ({@code search}, "Configuration Setting") and the truncated-SVD and Tucker-2
 * baselines of Figure 1 ({@code baseline}). The maths here runs in double precision on plain
 * arrays; the float layers built on it live beside it.
 */
package dev.kronet.gkpd;
