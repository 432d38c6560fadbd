package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Sgemm;
import java.util.Arrays;

/**
 * The affine map of {@code torch.nn.functional.linear}: {@code y = x·Wᵀ + b}, with W stored as
 * {@code [out, in]} (PyTorch's layout, so weights round-trip). All three products, forward and
 * backward, are single calls to {@link Sgemm#sgemm}.
 */
public final class Linear {
  private Linear() {}

  /**
   * {@code y[..., o] = Σ_i x[..., i]·weight[o, i] + bias[o]} for x of shape {@code [..., in]}
   * (typically {@code [N, in]}), weight {@code [out, in]}, bias {@code [out]} or null; y has shape
   * {@code [..., out]}. Backward (R = rows of x): {@code dx = g·W} (R×out · out×in), {@code dW =
   * gᵀ·x} (out×R · R×in), {@code db = Σ_rows g}.
   */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    int[] xShape = x.shape();
    int[] wShape = weight.shape();
    if (wShape.length != 2) {
      throw new KronetException(
          "linear: weight must be [out, in], got shape " + Shapes.format(wShape));
    }
    int outF = wShape[0];
    int inF = wShape[1];
    if (xShape.length < 1 || xShape[xShape.length - 1] != inF) {
      throw new KronetException(
          "linear: input x must end in the weight's in-features "
              + inF
              + " (weight "
              + Shapes.format(wShape)
              + "), got shape "
              + Shapes.format(xShape));
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != outF)) {
      throw new KronetException(
          "linear: bias must have shape ["
              + outF
              + "] (the weight's out-features), got "
              + Shapes.format(bias.shape()));
    }
    int rows = Shapes.numel(Arrays.copyOf(xShape, xShape.length - 1));
    int[] yShape = xShape.clone();
    yShape[yShape.length - 1] = outF;
    DenseView xv = DenseView.of(x);
    DenseView wv = DenseView.of(weight);
    float[] y = new float[rows * outF];
    OpCounter.record((long) rows * outF * inF);
    Sgemm.sgemm(
        false,
        true,
        rows,
        outF,
        inF,
        xv.data(),
        xv.offset(),
        inF,
        wv.data(),
        wv.offset(),
        inF,
        y,
        0,
        outF,
        false);
    if (bias != null) {
      float[] b = bias.contiguousData();
      for (int r = 0; r < rows; r++) {
        int base = r * outF;
        for (int o = 0; o < outF; o++) {
          y[base + o] += b[o];
        }
      }
    }
    Tensor[] args = {x, weight, bias};
    return Tensor.fromOp(
        "linear",
        y,
        yShape,
        g -> {
          float[] gd = g.contiguousData();
          Tensor gx = null;
          Tensor gw = null;
          Tensor gb = null;
          if (x.requiresGrad()) {
            float[] dx = new float[rows * inF];
            Sgemm.sgemm(
                false,
                false,
                rows,
                inF,
                outF,
                gd,
                0,
                outF,
                wv.data(),
                wv.offset(),
                inF,
                dx,
                0,
                inF,
                false);
            gx = Tensor.wrap(dx, xShape);
          }
          if (weight.requiresGrad()) {
            float[] dw = new float[outF * inF];
            Sgemm.sgemm(
                true,
                false,
                outF,
                inF,
                rows,
                gd,
                0,
                outF,
                xv.data(),
                xv.offset(),
                inF,
                dw,
                0,
                inF,
                false);
            gw = Tensor.wrap(dw, wShape);
          }
          if (bias != null && bias.requiresGrad()) {
            double[] acc = new double[outF];
            for (int i = 0; i < rows; i++) {
              for (int o = 0; o < outF; o++) {
                acc[o] += gd[i * outF + o];
              }
            }
            float[] db = new float[outF];
            for (int o = 0; o < outF; o++) {
              db[o] = (float) acc[o];
            }
            gb = Tensor.wrap(db, outF);
          }
          return OptionalInputs.gradientsOfPresent(args, gx, gw, gb);
        },
        OptionalInputs.present(args));
  }
}
