/**
 * Kronecker algebra on immutable N-d double arrays: {@link dev.kronet.gkpd.algebra.DoubleTensor},
 * the index map of the multidimensional Kronecker product ({@link
 * dev.kronet.gkpd.algebra.KroneckerLayout}, eq. 8 and Lemma 1's {@code g(j, k) = j·b + k}), the
 * product itself ({@link dev.kronet.gkpd.algebra.Kronecker}, eq. 7) and the rearrangement operators
 * R_w, r_a, r_b that turn the nearest Kronecker problem (11) into a low-rank matrix problem (12)
 * ({@link dev.kronet.gkpd.algebra.Rearrangement}).
 */
package dev.kronet.gkpd.algebra;
