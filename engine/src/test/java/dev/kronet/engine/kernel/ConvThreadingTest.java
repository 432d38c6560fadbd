package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import org.junit.jupiter.api.Test;

/**
 * Both convolution kernels on problems large enough to be split over several threads: the result
 * still matches the naive convolution, and repeating a call with the same thread count reproduces
 * it bit for bit (the weight gradient's per-chunk partials are reduced in chunk order). The sizes
 * are chosen so that each kernel's minimum work per chunk still gives every thread a share.
 */
class ConvThreadingTest {
  private static final int THREADS = 3;

  @FunctionalInterface
  private interface Kernels {
    /** Returns {out, dx, dw}. */
    float[][] run(Dims d, float[] x, float[] w, float[] dout);
  }

  private static void check(Dims d, Kernels kernels) {
    try (var threads = Parallel.withThreads(THREADS)) {
      Rng rng = new Rng(17);
      float[] x = NaiveConv.random(rng, d.n() * d.c() * d.h() * d.w());
      float[] w = NaiveConv.random(rng, d.f() * (d.c() / d.groups()) * d.kh() * d.kw());
      float[] dout = NaiveConv.random(rng, d.outNumel());
      float[][] first = kernels.run(d, x, w, dout);
      double[][] want = NaiveConv.forward(d, x, w, null);
      NaiveConv.assertClose("out", want[0], want[1], first[0]);
      NaiveConv.assertClose(
          "dx", NaiveConv.inputGrad(d, dout, w), NaiveConv.inputGradScale(d, dout, w), first[1]);
      NaiveConv.assertClose(
          "dw", NaiveConv.weightGrad(d, dout, x), NaiveConv.weightGradScale(d, dout, x), first[2]);
      float[][] again = kernels.run(d, x, w, dout);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(first[i], again[i], "result " + i + " differs between two runs");
      }
    }
  }

  @Test
  void groupedGemmSplitsTheBatch() {
    Dims d = new Dims(5, 4, 12, 12, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2);
    int fg = 4;
    check(
        d,
        (dims, x, w, dout) -> {
          ConvGeometry g = dims.geometry(dims.c() / dims.groups());
          float[] out = new float[dims.outNumel()];
          Conv2dGemm.forward(g, dims.groups(), fg, dims.n(), x, w, null, out);
          float[] dx = new float[x.length];
          Conv2dGemm.backwardInput(g, dims.groups(), fg, dims.n(), dout, w, dx);
          float[] dw = new float[w.length];
          Conv2dGemm.backwardWeight(g, dims.groups(), fg, dims.n(), dout, x, dw);
          return new float[][] {out, dx, dw};
        });
  }

  @Test
  void depthwiseSplitsPlanesAndFilters() {
    Dims d = new Dims(3, 6, 24, 24, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 6);
    check(
        d,
        (dims, x, w, dout) -> {
          ConvGeometry g = dims.geometry(dims.c());
          float[] out = new float[dims.outNumel()];
          DepthwiseConv.forward(g, 2, dims.n(), x, w, null, out, Simd.ENABLED);
          float[] dx = new float[x.length];
          DepthwiseConv.backwardInput(g, 2, dims.n(), dout, w, dx, Simd.ENABLED);
          float[] dw = new float[w.length];
          DepthwiseConv.backwardWeight(g, 2, dims.n(), dout, x, dw, Simd.ENABLED);
          return new float[][] {out, dx, dw};
        });
  }

  @Test
  void pointwiseSplitsTheBatch() {
    Dims d = new Dims(7, 6, 9, 9, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    check(
        d,
        (dims, x, w, dout) -> {
          ConvGeometry g = dims.geometry(dims.c());
          float[] out = new float[dims.outNumel()];
          PointwiseConv.forward(g, dims.f(), dims.n(), x, w, null, out, Simd.ENABLED);
          float[] dx = new float[x.length];
          PointwiseConv.backwardInput(g, dims.f(), dims.n(), dout, w, dx, Simd.ENABLED);
          float[] dw = new float[w.length];
          PointwiseConv.backwardWeight(g, dims.f(), dims.n(), dout, x, dw, Simd.ENABLED);
          return new float[][] {out, dx, dw};
        });
  }

  @Test
  void directOnePassBackwardSplitsTheBatchInBlocks() {
    // planes of 46×46 hold 2 images per block: 3 chunks of 3 images, each a full block and a
    // partial one
    Dims d = new Dims(9, 5, 46, 46, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    check(
        d,
        (dims, x, w, dout) -> {
          ConvGeometry g = dims.geometry(dims.c());
          float[] out = new float[dims.outNumel()];
          DirectConv.forward(g, dims.f(), dims.n(), x, w, null, out, Simd.ENABLED);
          float[] dx = new float[x.length];
          float[] dw = new float[w.length];
          DirectConv.backward(g, dims.f(), dims.n(), dout, x, w, dx, dw, Simd.ENABLED);
          return new float[][] {out, dx, dw};
        });
  }
}
