package dev.kronet.gkpd.search;

import dev.kronet.gkpd.cost.ConvShape;
import java.util.Optional;

/**
 * What the search chose for one layer: the Kronecker configuration, or empty when the layer was
 * skipped (kept dense), beside the dense sizes it replaces.
 */
public record LayerReport(
    String name, ConvShape shape, Optional<Candidate> kronecker, long denseParams, long denseMacs) {

  public boolean skipped() {
    return kronecker.isEmpty();
  }

  public long params() {
    return kronecker.map(Candidate::params).orElse(denseParams);
  }

  public long macs() {
    return kronecker.map(Candidate::macs).orElse(denseMacs);
  }

  /** The relative reconstruction error; 0 for a dense layer. */
  public double relativeError() {
    return kronecker.map(Candidate::relativeError).orElse(0.0);
  }
}
