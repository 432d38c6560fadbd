package dev.kronet.engine.kernel;

import dev.kronet.engine.KronetException;
import java.util.Locale;

/**
 * The convolution kernels, one value each. {@link ConvPlanner} picks one per pass (forward, input
 * gradient, weight gradient) and {@code ops.Convolution} runs it; {@code -Dkronet.kernels.disable}
 * takes kernels out of the running by {@link #id()}.
 */
public enum ConvKernel {
  /** {@link DepthwiseConv}: one filter per channel ({@code groups == C > 1}), all three passes. */
  DEPTHWISE,
  /** {@link PointwiseConv}: ungrouped 1×1, stride 1, unpadded, on the planes as they are. */
  POINTWISE,
  /** {@link FilterLanesConv}: the filters in the vector lanes, forward and weight gradient. */
  FILTER_LANES,
  /** {@link FilterLanesInputGradient}: input gradient with the input channels in the lanes. */
  FILTER_LANES_INPUT,
  /** {@link PhaseLanesInputGradient}: 3×3 stride-2 input gradient by (phase, channel) tiles. */
  PHASE_LANES_INPUT,
  /** {@link StridedPointwiseInputGradient}: input gradient of small strided 1×1 convolutions. */
  STRIDED_POINTWISE_INPUT,
  /** {@link DirectConv}: flat padded planes, positions in the lanes, weights broadcast. */
  DIRECT,
  /** {@link Conv2dGemm}: im2col and {@link Sgemm}; takes every convolution. */
  GEMM;

  /** The name used by {@code -Dkronet.kernels.disable} and printed by {@code kronet env}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The kernel named {@code id}; {@code source} names where the name came from in the error. */
  public static ConvKernel byId(String id, String source) {
    for (ConvKernel k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    StringBuilder known = new StringBuilder();
    for (ConvKernel k : values()) {
      known.append(known.isEmpty() ? "" : ", ").append(k.id());
    }
    throw new KronetException(
        source + ": unknown convolution kernel '" + id + "'; the kernels are " + known);
  }
}
