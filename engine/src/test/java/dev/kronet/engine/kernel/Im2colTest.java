package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

/** im2col against its definition, and col2im as its adjoint. */
class Im2colTest {
  @Test
  void im2colCopiesTheTapUnderEachOutputPosition() {
    Property.check(
        "im2colCopiesTheTapUnderEachOutputPosition",
        30,
        ConvCases.any(1),
        Im2colTest::assertMatchesDefinition);
  }

  /**
   * Stride-1 layouts whose output rows are as wide as the input rows, where im2col copies each tap
   * as one block and col2im adds it as one block: "same" 3×3, dilated, even and asymmetric, wide.
   */
  @Test
  void blockCopiedLayoutsMatchTheDefinition() {
    int lanes = Simd.floatLanes();
    Dims[] cases = {
      new Dims(1, 2, 5, 5, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
      new Dims(1, 2, 6, 7, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1),
      new Dims(1, 1, 4, 5, 1, 2, 2, 1, 1, 0, 1, 0, 1, 1, 1, 1),
      new Dims(1, 3, 3, 2 * lanes + 3, 1, 3, 5, 1, 1, 1, 1, 2, 2, 1, 1, 1),
      new Dims(1, 1, 2, 2, 1, 5, 3, 1, 1, 2, 2, 1, 1, 1, 1, 1),
    };
    for (Dims d : cases) {
      assertMatchesDefinition(d);
      ConvGeometry g = d.geometry(d.c() / d.groups());
      Rng rng = new Rng(d.hashCode());
      float[] y = NaiveConv.random(rng, g.colRows() * g.outPlane());
      float[] want = new float[g.channels() * g.inPlane()];
      Im2col.col2imAdd(g, y, 0, want, 0);
      float[] got = new float[want.length];
      Im2col.col2imAddDiscarding(g, y, 0, g.outPlane(), got, 0);
      assertArrayEquals(want, got, 0f, d.toString());
    }
  }

  private static void assertMatchesDefinition(Dims d) {
    ConvGeometry g = d.geometry(d.c() / d.groups());
    float[] x = NaiveConv.random(new Rng(d.hashCode()), g.channels() * g.inPlane());
    float[] col = new float[g.colRows() * g.outPlane()];
    java.util.Arrays.fill(col, Float.NaN); // every entry must be written
    Im2col.im2col(g, x, 0, col, 0);
    for (int c = 0; c < g.channels(); c++) {
      for (int ky = 0; ky < d.kh(); ky++) {
        for (int kx = 0; kx < d.kw(); kx++) {
          for (int oy = 0; oy < d.outH(); oy++) {
            for (int ox = 0; ox < d.outW(); ox++) {
              int iy = oy * d.strideH() - d.padTop() + ky * d.dilationH();
              int ix = ox * d.strideW() - d.padLeft() + kx * d.dilationW();
              boolean inside = iy >= 0 && iy < d.h() && ix >= 0 && ix < d.w();
              float want = inside ? x[(c * d.h() + iy) * d.w() + ix] : 0f;
              int row = (c * d.kh() + ky) * d.kw() + kx;
              assertEquals(want, col[row * g.outPlane() + oy * d.outW() + ox], 0f);
            }
          }
        }
      }
    }
  }

  @Test
  void im2colOverZerosMatchesIm2colOnAReusedBuffer() {
    Property.check(
        "im2colOverZerosMatchesIm2colOnAReusedBuffer",
        30,
        ConvCases.any(1),
        d -> {
          ConvGeometry g = d.geometry(d.c() / d.groups());
          Rng rng = new Rng(d.hashCode() + 2L);
          int size = g.channels() * g.inPlane();
          float[] first = NaiveConv.random(rng, size);
          float[] second = NaiveConv.random(rng, size);
          float[] reused = new float[g.colRows() * g.outPlane()];
          Im2col.im2colOverZeros(g, first, 0, reused, 0, g.outPlane());
          Im2col.im2colOverZeros(g, second, 0, reused, 0, g.outPlane());
          float[] want = new float[reused.length];
          java.util.Arrays.fill(want, Float.NaN);
          Im2col.im2col(g, second, 0, want, 0);
          assertArrayEquals(want, reused, 0f);
        });
  }

  @Test
  void col2imAddDiscardingAddsWhatCol2imAddAdds() {
    Property.check(
        "col2imAddDiscardingAddsWhatCol2imAddAdds",
        30,
        ConvCases.any(1),
        d -> {
          ConvGeometry g = d.geometry(d.c() / d.groups());
          Rng rng = new Rng(d.hashCode() + 3L);
          float[] y = NaiveConv.random(rng, g.colRows() * g.outPlane());
          float[] start = NaiveConv.random(rng, g.channels() * g.inPlane());
          float[] want = start.clone();
          Im2col.col2imAdd(g, y, 0, want, 0);
          float[] got = start.clone();
          Im2col.col2imAddDiscarding(g, y.clone(), 0, g.outPlane(), got, 0);
          assertArrayEquals(want, got, 0f);
        });
  }

  @Test
  void col2imIsTheAdjointOfIm2col() {
    Property.check(
        "col2imIsTheAdjointOfIm2col",
        30,
        ConvCases.any(1),
        d -> {
          ConvGeometry g = d.geometry(d.c() / d.groups());
          Rng rng = new Rng(d.hashCode() + 1L);
          float[] x = NaiveConv.random(rng, g.channels() * g.inPlane());
          float[] y = NaiveConv.random(rng, g.colRows() * g.outPlane());
          float[] col = new float[y.length];
          Im2col.im2col(g, x, 0, col, 0);
          float[] back = new float[x.length];
          Im2col.col2imAdd(g, y, 0, back, 0);
          double lhs = 0;
          double scale = 0;
          for (int i = 0; i < y.length; i++) {
            lhs += (double) col[i] * y[i];
            scale += Math.abs((double) col[i] * y[i]);
          }
          double rhs = 0;
          for (int i = 0; i < x.length; i++) {
            rhs += (double) x[i] * back[i];
          }
          assertEquals(lhs, rhs, 1e-5 * scale + 1e-6, "<im2col(x), y> vs <x, col2im(y)>");
        });
  }
}
