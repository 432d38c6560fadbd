package dev.kronet.training.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How close a kronet float32 forward pass must be to PyTorch's float64 forward of the same network.
 *
 * <p>Comparing against the float64 reference measures kronet's float32 rounding alone. PyTorch's
 * own float32 forward differs from the reference by {@code e_torch} (computed from the fixture;
 * about 1e-7 to 1e-6 of the logits' scale here). Both implementations round the same dozens of
 * layers of dot products of up to a few thousand terms, in different summation orders, so their
 * errors have the same order but are not equal: kronet must be within {@value #SLACK}·e_torch plus
 * a floor of {@value #FLOOR_ULPS} float32 ulps of the logits' scale (one ulp is the rounding of a
 * single operation at that scale; the floor guards against a lucky tiny e_torch). A wrong index,
 * stride, padding or block order moves logits by a sizeable fraction of their scale, orders of
 * magnitude above this bound.
 */
final class TorchAgreement {
  static final double SLACK = 8;
  static final double FLOOR_ULPS = 64;

  private TorchAgreement() {}

  static void assertAgrees(String what, float[] ours, float[] torch32, double[] torch64) {
    assertTrue(
        ours.length == torch64.length && torch32.length == torch64.length,
        what + ": " + ours.length + " outputs, PyTorch has " + torch64.length);
    double scale = 0;
    double torchError = 0;
    double ourError = 0;
    for (int i = 0; i < torch64.length; i++) {
      scale = Math.max(scale, Math.abs(torch64[i]));
      torchError = Math.max(torchError, Math.abs(torch32[i] - torch64[i]));
      ourError = Math.max(ourError, Math.abs(ours[i] - torch64[i]));
    }
    double tolerance = SLACK * torchError + FLOOR_ULPS * Math.ulp((float) scale);
    assertTrue(
        ourError <= tolerance,
        what
            + ": max |kronet − torch_f64| = "
            + ourError
            + " exceeds "
            + tolerance
            + " (torch f32 error "
            + torchError
            + ", logit scale "
            + scale
            + ")");
  }
}
