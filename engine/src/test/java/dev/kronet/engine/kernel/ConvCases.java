package dev.kronet.engine.kernel;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;

/**
 * Generators of convolution configurations for the kernel and op tests: random N, C, F, groups
 * dividing both, kernel, stride, asymmetric padding and dilation, with an input at least as large
 * as the dilated kernel needs. Edge cases come first: 1×1 kernels (the im2col-free path), depthwise
 * with and without a channel multiplier, stride larger than the kernel, padding at least the
 * kernel, 1×1 spatial inputs, and rows of SIMD lane width ± 1.
 */
public final class ConvCases {
  private ConvCases() {}

  /** Any grouped convolution, depthwise included. */
  public static Gen<Dims> any(int maxBatch) {
    Gen<Dims> g = (rng, size) -> draw(rng, size, maxBatch, rng.nextInt(4) == 0);
    return g.withEdgeCases(edges());
  }

  /** Depthwise convolutions only ({@code groups == C > 1}, any channel multiplier). */
  public static Gen<Dims> depthwise(int maxBatch) {
    Gen<Dims> g = (rng, size) -> draw(rng, size, maxBatch, true);
    return g.withEdgeCases(edges().stream().filter(ConvCases::isDepthwise).toList());
  }

  public static boolean isDepthwise(Dims d) {
    return d.groups() == d.c() && d.c() > 1;
  }

  private static List<Dims> edges() {
    int lanes = Simd.floatLanes();
    return List.of(
        // 1×1 kernel, stride 1, no padding: im2col is the identity
        new Dims(2, 3, 5, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),
        // 1×1 kernel with stride and padding
        new Dims(1, 2, 4, 5, 3, 1, 1, 2, 2, 1, 0, 0, 1, 1, 1, 1),
        // depthwise 3×3 "same"
        new Dims(2, 4, 5, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4),
        // depthwise with multiplier 2, stride 2, dilation 2, asymmetric padding
        new Dims(1, 3, 7, 6, 6, 3, 2, 2, 2, 2, 0, 1, 0, 2, 2, 3),
        // depthwise rows of SIMD lane width ± 1 (vector body and scalar tail)
        new Dims(1, 2, 3, lanes + 1, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),
        new Dims(1, 2, 2, 2 * lanes - 1, 4, 1, 2, 1, 1, 0, 0, 0, 1, 1, 1, 2),
        // stride larger than the kernel
        new Dims(2, 2, 7, 8, 3, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1, 1),
        // padding at least the kernel
        new Dims(1, 2, 3, 3, 2, 2, 2, 1, 2, 3, 2, 2, 3, 1, 1, 1),
        // 1×1 spatial input, 1×1 and padded 3×3 kernels
        new Dims(3, 2, 1, 1, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),
        new Dims(2, 4, 1, 1, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),
        // grouped, dilated, single input channel
        new Dims(2, 4, 6, 6, 6, 2, 3, 1, 2, 1, 0, 0, 2, 2, 1, 2),
        new Dims(2, 1, 5, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
  }

  private static Dims draw(Rng rng, int size, int maxBatch, boolean depthwise) {
    int n = upTo(rng, size, maxBatch);
    int groups;
    int c;
    int f;
    if (depthwise) {
      c = 1 + upTo(rng, size, 4);
      groups = c;
      f = c * upTo(rng, size, 2);
    } else {
      groups = upTo(rng, size, 3);
      c = groups * upTo(rng, size, 3);
      f = groups * upTo(rng, size, 3);
    }
    int kh = upTo(rng, size, 4);
    int kw = upTo(rng, size, 4);
    int sh = upTo(rng, size, 3);
    int sw = upTo(rng, size, 3);
    int dh = upTo(rng, size, 2);
    int dw = upTo(rng, size, 2);
    int pt = rng.nextInt(0, 3);
    int pb = rng.nextInt(0, 3);
    int pl = rng.nextInt(0, 3);
    int pr = rng.nextInt(0, 3);
    int h =
        Math.max(1, dh * (kh - 1) + 1 - pt - pb) + rng.nextInt(0, 1 + 6 * size / Property.MAX_SIZE);
    int w =
        Math.max(1, dw * (kw - 1) + 1 - pl - pr) + rng.nextInt(0, 1 + 6 * size / Property.MAX_SIZE);
    return new Dims(n, c, h, w, f, kh, kw, sh, sw, pt, pb, pl, pr, dh, dw, groups);
  }

  /**
   * Ranges for {@link #ungrouped}: kernel sides, strides and dilations from 1 to their maximum, at
   * least one stride above 1 when {@code strided}, a 1×1 kernel only when the convolution is
   * strided and {@code oneByOne}; planes grow by up to {@code grow·size/100} past the smallest
   * input the dilated kernel and padding allow.
   */
  public record Ranges(
      int maxKernel, int maxStride, boolean strided, int maxDilation, boolean oneByOne, int grow) {}

  /**
   * A random ungrouped convolution with the given batch, channels and filters ({@code
   * Rng.nextInt(lo, hi)} is inclusive): sizes within {@code r}, padding up to 3 on each side.
   */
  public static Dims ungrouped(Rng rng, int size, Ranges r, int n, int c, int f) {
    int sh = rng.nextInt(1, r.maxStride());
    int sw = rng.nextInt(r.strided() && sh == 1 ? 2 : 1, r.maxStride());
    boolean hasStride = sh * sw > 1;
    int kh = rng.nextInt(1, r.maxKernel());
    int kw = rng.nextInt(kh == 1 && !(r.oneByOne() && hasStride) ? 2 : 1, r.maxKernel());
    int dh = rng.nextInt(1, r.maxDilation());
    int dw = rng.nextInt(1, r.maxDilation());
    int pt = rng.nextInt(0, 3);
    int pb = rng.nextInt(0, 3);
    int pl = rng.nextInt(0, 3);
    int pr = rng.nextInt(0, 3);
    int grow = 1 + r.grow() * size / 100;
    int h = Math.max(1, dh * (kh - 1) + 1 - pt - pb) + rng.nextInt(0, grow);
    int w = Math.max(1, dw * (kw - 1) + 1 - pl - pr) + rng.nextInt(0, grow);
    return new Dims(n, c, h, w, f, kh, kw, sh, sw, pt, pb, pl, pr, dh, dw, 1);
  }

  // uniform in [1, max], the top shrinking with size
  private static int upTo(Rng rng, int size, int max) {
    int top = 1 + (int) Math.ceil((max - 1) * (double) size / Property.MAX_SIZE);
    return rng.nextInt(1, Math.min(max, top));
  }
}
