/**
 * Choosing Kronecker configurations ("Configuration Setting" in the paper). Per layer, {@link
 * dev.kronet.gkpd.search.LayerSearch} enumerates every split of {@code [F, C, kh, kw]} into factor
 * shapes A ⊗ B ({@link dev.kronet.gkpd.search.FactorShapes}) and every R̂ within a {@link
 * dev.kronet.gkpd.search.Budget}, and picks the least reconstruction error, one SVD per factor
 * shape serving every R̂. Across a network, {@link dev.kronet.gkpd.search.UniformPlan} gives every
 * layer the network's ratio (the paper's setting), and {@link dev.kronet.gkpd.search.NetworkSearch}
 * (beyond the paper) spreads a global parameter target over the layers greedily along each layer's
 * error-versus-parameters Pareto front, and reports the result as a {@link
 * dev.kronet.gkpd.search.CompressionPlan} ({@link dev.kronet.gkpd.search.PlanTable} prints it).
 */
package dev.kronet.gkpd.search;
