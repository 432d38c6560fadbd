package dev.kronet.gkpd.layer;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Shapes;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.ops.ChannelMix;
import dev.kronet.engine.ops.ConvSpec;
import dev.kronet.engine.ops.Convolution;

/**
 * The KroneckerConvolution of Algorithm 1 (eq. 15): {@code conv2d(x, Σ_r A_r ⊗ B_r)} computed from
 * the factors without forming the weight, as a composition of engine ops (pad, reshape, permute,
 * conv2d, sum), so its gradients come from theirs.
 *
 * <p>Dimension letters: N batch, C = C1·C2 input channels, F = F1·F2 filters, R terms, kernel kh =
 * kh1·kh2 by kw = kw1·kw2. Indices split as in eq. (8): {@code f = f1·F2 + f2}, {@code c = c1·C2 +
 * c2}, {@code i = i1·kh2 + i2}, {@code j = j1·kw2 + j2}. A dense tap at row {@code oy·s − pad +
 * i·d} is therefore row {@code oy·s − pad + i1·(kh2·d) + i2·d}, which splits the convolution in two
 * (Lemma 1):
 *
 * <ol>
 *   <li>B stage: the padded input, regrouped as {@code [N·C1, C2, Hp, Wp]}, convolved with all R·F2
 *       B filters at stride 1 and the original dilation d (the padding done by the convolution
 *       itself), giving {@code Z[n, c1, r, f2, y, x] = Σ_{c2, i2, j2} B_r[f2, c2, i2, j2]·Xp[n,
 *       c1·C2 + c2, y + i2·d, x + j2·d]} on the H1×W1 stride-1 grid. A pointwise B commutes with
 *       the zero padding, so it runs on the unpadded input (H1×W1 = H×W) and leaves the padding to
 *       the A stage;
 *   <li>A stage: Z regrouped as {@code [N·F2, R·C1, H1, W1]} and convolved with A at the original
 *       stride and dilation {@code (kh2·dH, kw2·dW)}, the R terms taken as R·C1 input channels of
 *       one convolution (so the sum over r happens inside it; (c1, r)-ordered after a spatial B
 *       stage, whose output holds them that way); ordering channels as {@code f1·F2 + f2} gives Y.
 *       A 1×1 A at stride 1 after a spatial B stage skips both regroupings (see {@code
 *       pointwiseAStage}).
 * </ol>
 *
 * <p>The B stage runs on every stride-1 position of the padded input (of the input, for a pointwise
 * B), not only those the A stage reads; {@link #macs} counts exactly these two convolutions (see
 * there for how this differs from the per-pixel count of eq. 17).
 *
 * <p>When A is 1×1 the stages also commute: A first mixes the C1 channel groups at every input
 * pixel ({@code U[n, f1, r, c2] = Σ_c1 A_r[f1, c1]·X[n, c1·C2 + c2]}, one pointwise convolution of
 * X as it stands), then B, convolved with the whole spec over {@code [N·F1, R·C2, H, W]}, sums the
 * R terms and writes Y in its channel order — no permute anywhere. Its intermediate has F1·R·C2
 * channels against B first's C1·R·F2, and its cost is {@code R·(C2·|A|·H·W + F1·|B|·Ho·Wo)}; the
 * cheaper order is taken ({@link #runsAFirst}). For a 16→16 3×3 layer with A {@code [8, 16, 1, 1]},
 * B {@code [2, 1, 3, 3]} that halves the multiply-adds and quarters the intermediate.
 */
public final class KroneckerConvolution {
  private KroneckerConvolution() {}

  /**
   * {@code conv2d(x, Σ_r A_r ⊗ B_r, bias, spec)} for {@code x [N, C1·C2, H, W]}, {@code A [R, F1,
   * C1, kh1, kw1]}, {@code B [R, F2, C2, kh2, kw2]}, {@code bias [F1·F2]} or null; the result is
   * {@code [N, F1·F2, Ho, Wo]} with the dense convolution's output size. {@code spec.groups()} must
   * be 1.
   */
  public static Tensor conv2d(Tensor x, Tensor a, Tensor b, Tensor bias, ConvSpec spec) {
    Sizes s = Sizes.check(x, a, b, bias, spec);
    if (runsAFirst(x.size(2), x.size(3), shape4(a), shape4(b), spec)) {
      return aFirst(x, a, b, bias, spec, s);
    }
    Tensor stacked;
    Tensor folded;
    int h1;
    int w1;
    boolean pointwiseB = s.kh2 == 1 && s.kw2 == 1;
    if (pointwiseB) {
      // A pointwise B stage mixes each group of C2 channels into R·F2 ones at every pixel:
      // ChannelMix writes Z[n, f2·R + r, c1, pixel] directly, which is the A stage's [N·F2, R·C1,
      // H, W] input as it stands (no permute, and no packed GEMM for a K = C2 of a few). Mixing
      // commutes with zero padding (the border mixes to zeros), so it runs on the input as it is
      // and the A stage takes the padding: no padded copy of x, and no mixing of its border.
      h1 = x.size(2);
      w1 = x.size(3);
      Tensor mixing = b.reshape(s.r, s.f2, s.c2).permute(1, 0, 2).reshape(s.f2 * s.r, s.c2);
      Tensor z = ChannelMix.mix(mixing, x.reshape(s.n, s.c1, s.c2, h1 * w1));
      stacked = z.reshape(s.n * s.f2, s.r * s.c1, h1, w1);
      folded = a.permute(1, 0, 2, 3, 4).reshape(s.f1, s.r * s.c1, s.kh1, s.kw1);
    } else {
      // The B stage takes the padding itself (the direct convolution pads as it copies its
      // input), so the padded input is never materialised.
      ConvSpec bStage =
          new ConvSpec(
              1,
              1,
              spec.padTop(),
              spec.padBottom(),
              spec.padLeft(),
              spec.padRight(),
              spec.dilationH(),
              spec.dilationW(),
              1);
      Tensor z =
          Convolution.conv2d(
              x.reshape(s.n * s.c1, s.c2, x.size(2), x.size(3)),
              b.reshape(s.r * s.f2, s.c2, s.kh2, s.kw2),
              null,
              bStage);
      h1 = z.size(2);
      w1 = z.size(3);
      if (s.kh1 == 1 && s.kw1 == 1 && spec.strideH() == 1 && spec.strideW() == 1) {
        return pointwiseAStage(z, a, bias, s, h1, w1);
      }
      // [N·C1, R·F2, H1, W1] → [N, F2, C1, R, H1, W1] → [N·F2, C1·R, H1, W1]: the A stage's
      // channels in (c1, r) order, so that with F2 = 1 this is a view, not a copy.
      stacked =
          z.reshape(s.n, s.c1, s.r, s.f2, h1, w1)
              .permute(0, 3, 1, 2, 4, 5)
              .reshape(s.n * s.f2, s.c1 * s.r, h1, w1);
      folded = a.permute(1, 2, 0, 3, 4).reshape(s.f1, s.c1 * s.r, s.kh1, s.kw1);
    }
    // The sum over r is folded into the A stage's channel contraction: one ungrouped conv with
    // A' [F1, R·C1, kh1, kw1] (A'[f1, r·C1 + c1] = A[r, f1, c1], or (c1, r) ordered to match the
    // B stage's output), instead of R grouped convs whose R× larger output would then be summed
    // (same multiply-adds, R× less memory traffic).
    ConvSpec aStage =
        new ConvSpec(
            spec.strideH(),
            spec.strideW(),
            pointwiseB ? spec.padTop() : 0,
            pointwiseB ? spec.padBottom() : 0,
            pointwiseB ? spec.padLeft() : 0,
            pointwiseB ? spec.padRight() : 0,
            s.kh2 * spec.dilationH(),
            s.kw2 * spec.dilationW(),
            1);
    Tensor y = Convolution.conv2d(stacked, folded, null, aStage);
    int ho = y.size(2);
    int wo = y.size(3);
    Tensor out =
        y.reshape(s.n, s.f2, s.f1, ho, wo).permute(0, 2, 1, 3, 4).reshape(s.n, s.f1 * s.f2, ho, wo);
    return bias == null ? out : out.add(bias.reshape(1, s.f1 * s.f2, 1, 1));
  }

  /**
   * A 1×1 A stage first: {@code X [N, C1, C2·H, W]} mixed by {@code A' [F1·R, C1]} is {@code U [N,
   * F1·R, C2·H, W]}, which as {@code [N·F1, R·C2, H, W]} (a view) convolved with {@code B' [F2,
   * R·C2, kh2, kw2]} under the layer's spec is {@code [N·F1, F2, Ho, Wo]}, i.e. Y.
   */
  private static Tensor aFirst(Tensor x, Tensor a, Tensor b, Tensor bias, ConvSpec spec, Sizes s) {
    int h = x.size(2);
    int w = x.size(3);
    Tensor mixing = a.reshape(s.r, s.f1, s.c1).permute(1, 0, 2).reshape(s.f1 * s.r, s.c1, 1, 1);
    Tensor u =
        Convolution.conv2d(x.reshape(s.n, s.c1, s.c2 * h, w), mixing, null, ConvSpec.DEFAULT);
    Tensor folded = b.permute(1, 0, 2, 3, 4).reshape(s.f2, s.r * s.c2, s.kh2, s.kw2);
    Tensor y = Convolution.conv2d(u.reshape(s.n * s.f1, s.r * s.c2, h, w), folded, null, spec);
    Tensor out = y.reshape(s.n, s.f1 * s.f2, y.size(2), y.size(3));
    return bias == null ? out : out.add(bias.reshape(1, s.f1 * s.f2, 1, 1));
  }

  /**
   * True when {@link #conv2d} runs the A stage first: A is 1×1 and that order costs fewer
   * multiply-adds ({@link #macs}) than B first.
   */
  public static boolean runsAFirst(int h, int w, int[] aShape4, int[] bShape4, ConvSpec spec) {
    return aShape4[2] == 1
        && aShape4[3] == 1
        && aFirstMacs(h, w, aShape4, bShape4, spec) < bFirstMacs(h, w, aShape4, bShape4, spec);
  }

  /** {@code [F, C, kh, kw]} of a factor {@code [R, F, C, kh, kw]}. */
  private static int[] shape4(Tensor factor) {
    int[] s = factor.shape();
    return new int[] {s[1], s[2], s[3], s[4]};
  }

  /**
   * The A stage when A is 1×1 at stride 1 after a spatial B stage: {@code Z [N·C1, R·F2, H1, W1]}
   * is, per image, a {@code [C1·R, F2·H1·W1]} matrix as it stands, and mixing its rows with A'
   * {@code [F1, C1·R]} gives {@code [F1, F2·H1·W1]}, which is Y's {@code [F1·F2, H1, W1]} channel
   * order. So one 1×1 convolution over "images" of F2·H1 rows does the whole stage, with no permute
   * of Z into {@code [N·F2, …]} and none of the result back (two copies of the stage's largest
   * tensors when F2 > 1).
   */
  private static Tensor pointwiseAStage(Tensor z, Tensor a, Tensor bias, Sizes s, int h1, int w1) {
    Tensor rows = z.reshape(s.n, s.c1 * s.r, s.f2 * h1, w1);
    Tensor folded = a.permute(1, 2, 0, 3, 4).reshape(s.f1, s.c1 * s.r, 1, 1);
    Tensor out =
        Convolution.conv2d(rows, folded, null, ConvSpec.DEFAULT).reshape(s.n, s.f1 * s.f2, h1, w1);
    return bias == null ? out : out.add(bias.reshape(1, s.f1 * s.f2, 1, 1));
  }

  /**
   * The multiply-adds {@link #conv2d} runs for a batch of {@code n} images of {@code h×w}, rank
   * {@code rank}: per term and image, B first {@code C1·|B|·H1·W1 + F2·|A|·Ho·Wo}, with the B stage
   * on the stride-1 grid {@code H1 = H + padTop + padBottom − dH·(kh2 − 1)} (likewise W1; H×W for a
   * 1×1 B, which runs on the unpadded input) and the A stage on the output grid; or, when {@link
   * #runsAFirst}, {@code C2·|A|·H·W + F1·|B|·Ho·Wo}.
   *
   * <p>Eq. (17) charges both stages per output pixel, {@code R·(C1·|B| + F2·|A|)·Ho·Wo}. B first
   * agrees when H1×W1 = Ho×Wo, i.e. stride 1 and a 1×1 A kernel; otherwise the B stage here also
   * covers the border positions the dilated A kernel reaches and, with stride s, about s² times the
   * output positions. {@link dev.kronet.gkpd.cost.ConvCost#kroneckerMacs} is this count for one
   * image.
   */
  public static long macs(
      int n, int h, int w, int[] aShape4, int[] bShape4, int rank, ConvSpec spec) {
    long perTerm =
        runsAFirst(h, w, aShape4, bShape4, spec)
            ? aFirstMacs(h, w, aShape4, bShape4, spec)
            : bFirstMacs(h, w, aShape4, bShape4, spec);
    return (long) n * rank * perTerm;
  }

  /** One term's multiply-adds for one image, B stage first. */
  private static long bFirstMacs(int h, int w, int[] aShape4, int[] bShape4, ConvSpec spec) {
    boolean pointwiseB = bShape4[2] == 1 && bShape4[3] == 1;
    long h1 =
        pointwiseB
            ? h
            : (long) h
                + spec.padTop()
                + spec.padBottom()
                - (long) spec.dilationH() * (bShape4[2] - 1);
    long w1 =
        pointwiseB
            ? w
            : (long) w
                + spec.padLeft()
                + spec.padRight()
                - (long) spec.dilationW() * (bShape4[3] - 1);
    long bStage = (long) aShape4[1] * Shapes.numel(bShape4) * h1 * w1;
    long aStage =
        (long) bShape4[0] * Shapes.numel(aShape4) * outPixels(h, w, aShape4, bShape4, spec);
    return bStage + aStage;
  }

  /** One term's multiply-adds for one image, a 1×1 A stage first (on the unpadded input). */
  private static long aFirstMacs(int h, int w, int[] aShape4, int[] bShape4, ConvSpec spec) {
    long aStage = (long) bShape4[1] * Shapes.numel(aShape4) * h * w;
    long bStage =
        (long) aShape4[0] * Shapes.numel(bShape4) * outPixels(h, w, aShape4, bShape4, spec);
    return aStage + bStage;
  }

  private static long outPixels(int h, int w, int[] aShape4, int[] bShape4, ConvSpec spec) {
    int kh = aShape4[2] * bShape4[2];
    int kw = aShape4[3] * bShape4[3];
    return (long) spec.outHeight(h, kh) * spec.outWidth(w, kw);
  }

  /** The checked sizes of one call, named as in the class comment. */
  private record Sizes(
      int n, int r, int f1, int c1, int kh1, int kw1, int f2, int c2, int kh2, int kw2) {

    static Sizes check(Tensor x, Tensor a, Tensor b, Tensor bias, ConvSpec spec) {
      if (spec == null) {
        throw new KronetException("kronecker conv2d: spec must not be null (use ConvSpec.DEFAULT)");
      }
      if (spec.groups() != 1) {
        throw new KronetException(
            "kronecker conv2d: the convolution must have groups=1, got groups="
                + spec.groups()
                + " (a grouped weight is block-diagonal, not a sum of Kronecker products of"
                + " [F1, C1, kh1, kw1] and [F2, C2, kh2, kw2] factors)");
      }
      int[] as = a.shape();
      int[] bs = b.shape();
      if (as.length != 5 || bs.length != 5 || as[0] != bs[0]) {
        throw new KronetException(
            "kronecker conv2d: factors must be A [R, F1, C1, kh1, kw1] and B [R, F2, C2, kh2,"
                + " kw2] with the same R, got A "
                + Shapes.format(as)
                + " and B "
                + Shapes.format(bs));
      }
      int[] xs = x.shape();
      if (xs.length != 4 || xs[1] != as[2] * bs[2]) {
        throw new KronetException(
            "kronecker conv2d: input x must be [N, C1·C2, H, W] = [N, "
                + as[2] * bs[2]
                + ", H, W] for A "
                + Shapes.format(as)
                + " and B "
                + Shapes.format(bs)
                + ", got "
                + Shapes.format(xs));
      }
      int f = as[1] * bs[1];
      if (bias != null && (bias.dim() != 1 || bias.size(0) != f)) {
        throw new KronetException(
            "kronecker conv2d: bias must have shape [F1·F2] = ["
                + f
                + "], got "
                + Shapes.format(bias.shape()));
      }
      int kh = as[3] * bs[3];
      int kw = as[4] * bs[4];
      if (spec.outHeight(xs[2], kh) < 1 || spec.outWidth(xs[3], kw) < 1) {
        throw new KronetException(
            "kronecker conv2d: the kernel "
                + kh
                + "×"
                + kw
                + " (dilation "
                + spec.dilationH()
                + "×"
                + spec.dilationW()
                + ") is larger than the padded input "
                + (xs[2] + spec.padTop() + spec.padBottom())
                + "×"
                + (xs[3] + spec.padLeft() + spec.padRight())
                + " of x "
                + Shapes.format(xs));
      }
      return new Sizes(xs[0], as[0], as[1], as[2], as[3], as[4], bs[1], bs[2], bs[3], bs[4]);
    }
  }
}
