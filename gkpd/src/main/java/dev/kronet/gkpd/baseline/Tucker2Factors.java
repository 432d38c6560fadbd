package dev.kronet.gkpd.baseline;

import dev.kronet.gkpd.algebra.DoubleTensor;

/**
 * The three convolutions of a Tucker-2 layer (Kim et al. 2016).
 *
 * @param first 1×1 conv C→r_c, {@code [r_c, C, 1, 1]} (U_cᵀ)
 * @param core kh×kw conv r_c→r_f, {@code [r_f, r_c, kh, kw]}
 * @param last 1×1 conv r_f→F, {@code [F, r_f, 1, 1]} (U_f)
 */
public record Tucker2Factors(DoubleTensor first, DoubleTensor core, DoubleTensor last) {}
