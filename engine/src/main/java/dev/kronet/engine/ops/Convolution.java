package dev.kronet.engine.ops;

import dev.kronet.engine.GradNode;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Conv2dGemm;
import dev.kronet.engine.kernel.ConvGeometry;
import dev.kronet.engine.kernel.ConvKernel;
import dev.kronet.engine.kernel.ConvPlan;
import dev.kronet.engine.kernel.ConvPlanner;
import dev.kronet.engine.kernel.DepthwiseConv;
import dev.kronet.engine.kernel.DirectConv;
import dev.kronet.engine.kernel.FilterLanesConv;
import dev.kronet.engine.kernel.FilterLanesInputGradient;
import dev.kronet.engine.kernel.PhaseLanesInputGradient;
import dev.kronet.engine.kernel.PointwiseConv;
import dev.kronet.engine.kernel.Simd;
import dev.kronet.engine.kernel.StridedPointwiseInputGradient;

/**
 * 2-d convolution with PyTorch's semantics (a cross-correlation): {@code out[n, f, oy, ox] =
 * bias[f] + Σ_{c, ky, kx} w[f, c, ky, kx] · x[n, g·Cg + c, oy·sH − padTop + ky·dH, ox·sW − padLeft
 * + kx·dW]}, where {@code g = f / Fg} is the filter's group and out-of-range input reads are zero
 * padding.
 *
 * <p>Which kernel runs each pass (forward, input gradient, weight gradient) is {@link
 * ConvPlanner}'s choice, made once per call from the shapes and the machine's {@link
 * dev.kronet.engine.kernel.Capabilities}; this class checks the shapes, runs the plan and records
 * the autograd node. {@code kronet env --kernels} prints the plan of every layer of a model.
 */
public final class Convolution {
  private Convolution() {}

  /** {@code conv2d} with stride 1, no padding, no dilation, one group. */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
    return conv2d(x, weight, bias, ConvSpec.DEFAULT);
  }

  /**
   * Convolves {@code x [N, C, H, W]} with {@code weight [F, C/groups, kh, kw]} and adds {@code bias
   * [F]} (nullable), giving {@code [N, F, outH, outW]} with the sizes of {@link
   * ConvSpec#outHeight}/{@link ConvSpec#outWidth}. Differentiable in all three tensors.
   */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvSpec spec) {
    Plan plan = plan(x, weight, bias, spec);
    OpCounter.record(plan.macs());
    ConvTrace.record(plan.geometry, plan.groups, plan.filters, plan.kernels);
    float[] xd = x.contiguousData();
    float[] wd = weight.contiguousData();
    float[] out = plan.forward(xd, wd, bias == null ? null : bias.contiguousData());
    int[] outShape = {plan.batch, plan.filters, plan.geometry.outH(), plan.geometry.outW()};
    int[] xShape = x.shape();
    int[] wShape = weight.shape();
    GradNode.Backward backward =
        gradOut -> {
          float[] dout = gradOut.contiguousData();
          float[][] grads = plan.grads(dout, wd, xd, x.requiresGrad(), weight.requiresGrad());
          Tensor dx = grads[0] == null ? null : Tensor.wrap(grads[0], xShape);
          Tensor dw = grads[1] == null ? null : Tensor.wrap(grads[1], wShape);
          if (bias == null) {
            return new Tensor[] {dx, dw};
          }
          Tensor db = bias.requiresGrad() ? Tensor.wrap(plan.biasGrad(dout), plan.filters) : null;
          return new Tensor[] {dx, dw, db};
        };
    return bias == null
        ? Tensor.fromOp("conv2d", out, outShape, backward, x, weight)
        : Tensor.fromOp("conv2d", out, outShape, backward, x, weight, bias);
  }

  /**
   * Checked sizes of one conv2d call and the kernels {@link ConvPlanner} chose for it. {@code
   * geometry} is one group's ({@code channels()} per group), as the planner and the GEMM see it.
   */
  private record Plan(int batch, int filters, int groups, ConvGeometry geometry, ConvPlan kernels) {

    /** N·F·Ho·Wo·(C/groups)·kh·kw multiply-adds of the forward pass. */
    long macs() {
      return (long) batch
          * filters
          * geometry.outPlane()
          * geometry.channels()
          * geometry.kernelH()
          * geometry.kernelW();
    }

    float[] forward(float[] x, float[] w, float[] bias) {
      float[] out = new float[batch * filters * geometry.outPlane()];
      switch (kernels.forward()) {
        case DEPTHWISE ->
            DepthwiseConv.forward(allChannels(), fg(), batch, x, w, bias, out, Simd.ENABLED);
        case POINTWISE ->
            PointwiseConv.forward(geometry, filters, batch, x, w, bias, out, Simd.ENABLED);
        case FILTER_LANES -> FilterLanesConv.forward(geometry, filters, batch, x, w, bias, out);
        case DIRECT -> DirectConv.forward(geometry, filters, batch, x, w, bias, out, Simd.ENABLED);
        case GEMM -> Conv2dGemm.forward(geometry, groups, fg(), batch, x, w, bias, out);
        default -> throw notThisPass(kernels.forward());
      }
      return out;
    }

    /**
     * {@code {∂L/∂x, ∂L/∂w}}, each only if wanted (else null). When the direct kernel takes both,
     * it computes them in one pass that spreads the output gradient once.
     */
    float[][] grads(float[] dout, float[] w, float[] x, boolean wantX, boolean wantW) {
      if (wantX && wantW && kernels.fusedBackward()) {
        float[] dx = new float[batch * inputChannels() * geometry.inPlane()];
        float[] dw = new float[weightSize()];
        DirectConv.backward(geometry, filters, batch, dout, x, w, dx, dw, Simd.ENABLED);
        return new float[][] {dx, dw};
      }
      return new float[][] {wantX ? inputGrad(dout, w) : null, wantW ? weightGrad(dout, x) : null};
    }

    float[] inputGrad(float[] dout, float[] w) {
      float[] dx = new float[batch * inputChannels() * geometry.inPlane()];
      switch (kernels.inputGradient()) {
        case DEPTHWISE ->
            DepthwiseConv.backwardInput(allChannels(), fg(), batch, dout, w, dx, Simd.ENABLED);
        case POINTWISE ->
            PointwiseConv.backwardInput(geometry, filters, batch, dout, w, dx, Simd.ENABLED);
        case FILTER_LANES_INPUT ->
            FilterLanesInputGradient.backwardInput(geometry, filters, batch, dout, w, dx);
        case PHASE_LANES_INPUT ->
            PhaseLanesInputGradient.backwardInput(geometry, filters, batch, dout, w, dx);
        case STRIDED_POINTWISE_INPUT ->
            StridedPointwiseInputGradient.backwardInput(geometry, filters, batch, dout, w, dx);
        case DIRECT ->
            DirectConv.backwardInput(geometry, filters, batch, dout, w, dx, Simd.ENABLED);
        case GEMM -> Conv2dGemm.backwardInput(geometry, groups, fg(), batch, dout, w, dx);
        default -> throw notThisPass(kernels.inputGradient());
      }
      return dx;
    }

    float[] weightGrad(float[] dout, float[] x) {
      float[] dw = new float[weightSize()];
      switch (kernels.weightGradient()) {
        case DEPTHWISE ->
            DepthwiseConv.backwardWeight(allChannels(), fg(), batch, dout, x, dw, Simd.ENABLED);
        case POINTWISE ->
            PointwiseConv.backwardWeight(geometry, filters, batch, dout, x, dw, Simd.ENABLED);
        case FILTER_LANES -> FilterLanesConv.backwardWeight(geometry, filters, batch, dout, x, dw);
        case DIRECT ->
            DirectConv.backwardWeight(geometry, filters, batch, dout, x, dw, Simd.ENABLED);
        case GEMM -> Conv2dGemm.backwardWeight(geometry, groups, fg(), batch, dout, x, dw);
        default -> throw notThisPass(kernels.weightGradient());
      }
      return dw;
    }

    float[] biasGrad(float[] dout) {
      float[] db = new float[filters];
      Conv2dGemm.biasGradient(dout, batch, filters, geometry.outPlane(), db);
      return db;
    }

    private int fg() {
      return filters / groups;
    }

    private int inputChannels() {
      return geometry.channels() * groups;
    }

    private int weightSize() {
      return filters * geometry.channels() * geometry.kernelH() * geometry.kernelW();
    }

    // the depthwise kernel walks all C channels in one geometry
    private ConvGeometry allChannels() {
      return geometry.withChannels(inputChannels());
    }

    private static IllegalStateException notThisPass(ConvKernel k) {
      return new IllegalStateException(
          "ConvPlanner chose " + k + " for a pass it does not compute");
    }
  }

  private static Plan plan(Tensor x, Tensor weight, Tensor bias, ConvSpec spec) {
    if (spec == null) {
      throw new KronetException("conv2d: spec must not be null (use ConvSpec.DEFAULT)");
    }
    int[] xs = x.shape();
    int[] ws = weight.shape();
    if (xs.length != 4) {
      throw new KronetException(
          "conv2d: input x must be 4-d [N, C, H, W], got shape " + Shapes.format(xs));
    }
    if (ws.length != 4) {
      throw new KronetException(
          "conv2d: weight must be 4-d [F, C/groups, kh, kw], got shape " + Shapes.format(ws));
    }
    int n = xs[0];
    int c = xs[1];
    int h = xs[2];
    int w = xs[3];
    int f = ws[0];
    int groups = spec.groups();
    if (c % groups != 0) {
      throw new KronetException(
          "conv2d: groups="
              + groups
              + " does not divide the "
              + c
              + " input channels of x "
              + Shapes.format(xs));
    }
    if (f % groups != 0) {
      throw new KronetException(
          "conv2d: groups="
              + groups
              + " does not divide the "
              + f
              + " filters of weight "
              + Shapes.format(ws));
    }
    if (ws[1] != c / groups) {
      throw new KronetException(
          "conv2d: weight "
              + Shapes.format(ws)
              + " has "
              + ws[1]
              + " input channels per group, but x "
              + Shapes.format(xs)
              + " with groups="
              + groups
              + " needs "
              + (c / groups)
              + " (expected weight ["
              + f
              + ", "
              + (c / groups)
              + ", kh, kw])");
    }
    if (ws[2] < 1 || ws[3] < 1 || f < 1) {
      throw new KronetException(
          "conv2d: weight "
              + Shapes.format(ws)
              + " must have at least one filter and a kernel"
              + " of at least 1×1");
    }
    if (bias != null && (bias.dim() != 1 || bias.size(0) != f)) {
      throw new KronetException(
          "conv2d: bias must have shape ["
              + f
              + "] (one per filter), got "
              + Shapes.format(bias.shape()));
    }
    int outH = spec.outHeight(h, ws[2]);
    int outW = spec.outWidth(w, ws[3]);
    if (outH < 1 || outW < 1) {
      throw new KronetException(
          "conv2d: the kernel "
              + ws[2]
              + "×"
              + ws[3]
              + " (dilation "
              + spec.dilationH()
              + "×"
              + spec.dilationW()
              + ") is larger than the padded input "
              + (h + spec.padTop() + spec.padBottom())
              + "×"
              + (w + spec.padLeft() + spec.padRight())
              + " of x "
              + Shapes.format(xs));
    }
    ConvGeometry g =
        new ConvGeometry(
            c / groups,
            h,
            w,
            ws[2],
            ws[3],
            spec.strideH(),
            spec.strideW(),
            spec.padTop(),
            spec.padLeft(),
            spec.dilationH(),
            spec.dilationW(),
            outH,
            outW);
    return new Plan(n, f, groups, g, ConvPlanner.plan(g, groups, f));
  }
}
