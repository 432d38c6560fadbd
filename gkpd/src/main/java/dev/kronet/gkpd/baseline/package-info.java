/**
 * The decompositions GKPD is compared with in Figure 1, in double precision: the truncated SVD of
 * the {@code F × (C·kh·kw)} unfolding ({@link dev.kronet.gkpd.baseline.TruncatedSvd}, two convs)
 * and Tucker-2 by HOSVD on the two channel modes ({@link dev.kronet.gkpd.baseline.Tucker2}, three
 * convs), each with its parameter count, a rank choice for a parameter budget and its relative
 * reconstruction error; {@link dev.kronet.gkpd.baseline.MethodComparison} puts them beside GKPD-1
 * and the best GKPD at one compression ratio.
 */
package dev.kronet.gkpd.baseline;
