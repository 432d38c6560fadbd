package dev.kronet.engine.ops;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.ConvGeometry;
import dev.kronet.engine.kernel.Pool2d;

/**
 * 2-d pooling over {@code [N, C, H, W]} with PyTorch's semantics ({@code ceil_mode=false}, no
 * dilation): max pooling pads with −∞ and sends the gradient to the first maximum of each window;
 * average pooling counts the zero padding in the divisor ({@code count_include_pad=true}, PyTorch's
 * default); adaptive average pooling uses windows {@code [floor(i·H/out), ceil((i+1)·H/out))}. As
 * in PyTorch, padding may be at most half the kernel, so every window overlaps the image.
 */
public final class Pooling {
  private Pooling() {}

  /** Max pooling with a square window, stride equal to the window, no padding. */
  public static Tensor maxPool2d(Tensor x, int kernel) {
    return maxPool2d(x, kernel, kernel, 0);
  }

  /** Max pooling with a square window, stride and padding. */
  public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
    return maxPool2d(x, kernel, kernel, stride, stride, padding, padding);
  }

  /** Max pooling; padding is per axis (top = bottom = padH, left = right = padW). */
  public static Tensor maxPool2d(
      Tensor x, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    ConvGeometry g = geometry("maxPool2d", x, kernelH, kernelW, strideH, strideW, padH, padW);
    int[] xs = x.shape();
    int planes = xs[0] * xs[1];
    float[] out = new float[planes * g.outPlane()];
    int[] argmax = new int[out.length];
    Pool2d.maxForward(g, planes, x.contiguousData(), out, argmax);
    return Tensor.fromOp(
        "maxPool2d",
        out,
        new int[] {xs[0], xs[1], g.outH(), g.outW()},
        gradOut -> {
          float[] dx = new float[planes * g.inPlane()];
          Pool2d.maxBackward(g, planes, gradOut.contiguousData(), argmax, dx);
          return new Tensor[] {Tensor.wrap(dx, xs)};
        },
        x);
  }

  /** Average pooling with a square window, stride equal to the window, no padding. */
  public static Tensor avgPool2d(Tensor x, int kernel) {
    return avgPool2d(x, kernel, kernel, 0);
  }

  /** Average pooling with a square window, stride and padding. */
  public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
    return avgPool2d(x, kernel, kernel, stride, stride, padding, padding);
  }

  /** Average pooling (padding counted in the divisor); padding is per axis. */
  public static Tensor avgPool2d(
      Tensor x, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    ConvGeometry g = geometry("avgPool2d", x, kernelH, kernelW, strideH, strideW, padH, padW);
    int[] xs = x.shape();
    int planes = xs[0] * xs[1];
    float[] out = new float[planes * g.outPlane()];
    Pool2d.avgForward(g, planes, x.contiguousData(), out);
    return Tensor.fromOp(
        "avgPool2d",
        out,
        new int[] {xs[0], xs[1], g.outH(), g.outW()},
        gradOut -> {
          float[] dx = new float[planes * g.inPlane()];
          Pool2d.avgBackward(g, planes, gradOut.contiguousData(), dx);
          return new Tensor[] {Tensor.wrap(dx, xs)};
        },
        x);
  }

  /** Average pooling to a fixed output size {@code [N, C, outH, outW]}. */
  public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
    int[] xs = checkImage("adaptiveAvgPool2d", x);
    if (outH < 1 || outW < 1) {
      throw new KronetException(
          "adaptiveAvgPool2d: output size must be ≥ 1×1, got " + outH + "×" + outW);
    }
    if (xs[2] < 1 || xs[3] < 1) {
      throw new KronetException(
          "adaptiveAvgPool2d: input x " + Shapes.format(xs) + " has an empty spatial plane");
    }
    int planes = xs[0] * xs[1];
    int h = xs[2];
    int w = xs[3];
    float[] out = new float[planes * outH * outW];
    Pool2d.adaptiveAvgForward(planes, h, w, outH, outW, x.contiguousData(), out);
    return Tensor.fromOp(
        "adaptiveAvgPool2d",
        out,
        new int[] {xs[0], xs[1], outH, outW},
        gradOut -> {
          float[] dx = new float[planes * h * w];
          Pool2d.adaptiveAvgBackward(planes, h, w, outH, outW, gradOut.contiguousData(), dx);
          return new Tensor[] {Tensor.wrap(dx, xs)};
        },
        x);
  }

  /** The mean over each channel's plane: {@code [N, C, H, W] → [N, C]}. */
  public static Tensor globalAvgPool(Tensor x) {
    int[] xs = checkImage("globalAvgPool", x);
    return adaptiveAvgPool2d(x, 1, 1).reshape(xs[0], xs[1]);
  }

  private static int[] checkImage(String op, Tensor x) {
    int[] xs = x.shape();
    if (xs.length != 4) {
      throw new KronetException(
          op + ": input x must be 4-d [N, C, H, W], got shape " + Shapes.format(xs));
    }
    return xs;
  }

  private static ConvGeometry geometry(
      String op, Tensor x, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    int[] xs = checkImage(op, x);
    if (kernelH < 1 || kernelW < 1) {
      throw new KronetException(op + ": kernel must be ≥ 1×1, got " + kernelH + "×" + kernelW);
    }
    if (strideH < 1 || strideW < 1) {
      throw new KronetException(op + ": stride must be ≥ 1, got " + strideH + "×" + strideW);
    }
    if (padH < 0 || padW < 0 || padH > kernelH / 2 || padW > kernelW / 2) {
      throw new KronetException(
          op
              + ": padding "
              + padH
              + "×"
              + padW
              + " must be between 0 and half the kernel "
              + kernelH
              + "×"
              + kernelW
              + " (at most "
              + kernelH / 2
              + "×"
              + kernelW / 2
              + ")");
    }
    int outH = ConvSpec.outputSize(xs[2], kernelH, strideH, padH, padH, 1);
    int outW = ConvSpec.outputSize(xs[3], kernelW, strideW, padW, padW, 1);
    if (outH < 1 || outW < 1) {
      throw new KronetException(
          op
              + ": the window "
              + kernelH
              + "×"
              + kernelW
              + " is larger than the padded input "
              + (xs[2] + 2 * padH)
              + "×"
              + (xs[3] + 2 * padW)
              + " of x "
              + Shapes.format(xs));
    }
    return new ConvGeometry(
        1, xs[2], xs[3], kernelH, kernelW, strideH, strideW, padH, padW, 1, 1, outH, outW);
  }
}
