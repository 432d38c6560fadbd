package dev.kronet.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Tensor;
import org.junit.jupiter.api.Test;

class StoredTensorTest {
  @Test
  void f32BytesAreLittleEndianRowMajorEvenFromAView() {
    Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
    StoredTensor s = StoredTensor.of(t);
    assertEquals(DType.F32, s.dtype());
    assertArrayEquals(new int[] {3, 2}, s.shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, s.toFloats());
    // 1.0f is 0x3F800000: least significant byte first.
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, java.util.Arrays.copyOf(s.bytes(), 4));
  }

  @Test
  void halfPrecisionTypesDecodeFromTheirBitPatterns() {
    // F16 0x3C00 = 1.0, 0xC000 = -2.0, 0x7BFF = 65504 (largest finite half).
    StoredTensor f16 =
        new StoredTensor(DType.F16, new int[] {3}, new byte[] {0, 0x3C, 0, (byte) 0xC0, -1, 0x7B});
    assertArrayEquals(new float[] {1f, -2f, 65504f}, f16.toFloats());
    // BF16 is the top half of a float32: 0x3F80 = 1.0, 0xC0A0 = -5.0.
    StoredTensor bf16 =
        new StoredTensor(
            DType.BF16, new int[] {2}, new byte[] {(byte) 0x80, 0x3F, (byte) 0xA0, (byte) 0xC0});
    assertArrayEquals(new float[] {1f, -5f}, bf16.toFloats());
  }

  @Test
  void integerTypesConvertExactlyAndKeepTheirSign() {
    long big = (1L << 40) + 1;
    assertArrayEquals(
        new long[] {big, -3}, StoredTensor.ofLongs(new long[] {big, -3}, 2).toLongs());
    assertArrayEquals(new long[] {-7, 9}, StoredTensor.ofInts(new int[] {-7, 9}, 2).toLongs());
    assertArrayEquals(
        new long[] {-1, 5},
        new StoredTensor(DType.I8, new int[] {2}, new byte[] {-1, 5}).toLongs());
    assertArrayEquals(
        new long[] {255, 1},
        new StoredTensor(DType.U8, new int[] {2}, new byte[] {-1, 1}).toLongs());
    assertArrayEquals(
        new float[] {1, 0},
        new StoredTensor(DType.BOOL, new int[] {2}, new byte[] {1, 0}).toFloats());
    assertArrayEquals(new float[] {0.1f}, StoredTensor.ofDoubles(new double[] {0.1}, 1).toFloats());
  }

  @Test
  void aByteCountThatDoesNotFitTheShapeIsRefused() {
    KronetException e =
        assertThrows(
            KronetException.class,
            () -> new StoredTensor(DType.F32, new int[] {2, 2}, new byte[12]));
    assertTrue(e.getMessage().contains("needs 16 bytes, got 12"), e.getMessage());
    assertThrows(
        KronetException.class, () -> new StoredTensor(DType.F32, new int[] {-1}, new byte[0]));
  }

  @Test
  void floatingValuesAreNotSilentlyTruncatedToLongs() {
    KronetException e =
        assertThrows(
            KronetException.class, () -> StoredTensor.ofFloats(new float[] {1.5f}, 1).toLongs());
    assertTrue(e.getMessage().contains("F32"), e.getMessage());
  }

  @Test
  void equalityComparesDtypeShapeAndBytes() {
    StoredTensor a = StoredTensor.ofFloats(new float[] {1, 2}, 2);
    assertEquals(a, StoredTensor.ofFloats(new float[] {1, 2}, 2));
    assertEquals(a.hashCode(), StoredTensor.ofFloats(new float[] {1, 2}, 2).hashCode());
    assertNotEquals(a, StoredTensor.ofFloats(new float[] {1, 2}, 1, 2));
    assertNotEquals(a, StoredTensor.ofInts(new int[] {0x3F800000, 0x40000000}, 2));
  }
}
