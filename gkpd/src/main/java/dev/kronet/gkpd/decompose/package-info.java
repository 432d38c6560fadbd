/**
 * The solution of the multidimensional nearest Kronecker product problem (11): the SVD of R_w(W)
 * (eq. 12, Van Loan–Pitsianis) gives the optimal factors for every number of terms R̂ at once
 * ({@link dev.kronet.gkpd.decompose.NearestKronecker}, {@link
 * dev.kronet.gkpd.decompose.KroneckerDecomposition}). {@link dev.kronet.gkpd.decompose.SortedSvd}
 * is the one place that calls EJML's SVD, shared with the baselines.
 */
package dev.kronet.gkpd.decompose;
