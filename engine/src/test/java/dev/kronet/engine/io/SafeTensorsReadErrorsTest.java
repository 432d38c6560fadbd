package dev.kronet.engine.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each defect of an untrusted file is a {@link SafeTensorsException} that names file and tensor.
 */
class SafeTensorsReadErrorsTest {
  @TempDir Path dir;

  private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

  private Path file(byte[] bytes) {
    Path f = dir.resolve("bad.safetensors");
    try {
      Files.write(f, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  private static byte[] layout(long headerLength, byte[] header, int dataBytes) {
    ByteBuffer b =
        ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(headerLength).put(header).array();
  }

  private static byte[] layout(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return layout(h.length, h, dataBytes);
  }

  private void assertRejected(byte[] bytes, String... fragments) {
    Path f = file(bytes);
    try {
      SafeTensors.read(f);
      fail(
          "read accepted a defective file; expected an error mentioning "
              + Arrays.toString(fragments));
    } catch (SafeTensorsException e) {
      String msg = e.getMessage();
      assertTrue(msg.contains(f.toString()), "names the file: " + msg);
      for (String fragment : fragments) {
        assertTrue(msg.contains(fragment), "expected '" + fragment + "' in: " + msg);
      }
    }
  }

  @Test
  void theLengthPrefixIsCheckedBeforeAnythingIsAllocated() {
    assertRejected(new byte[3], "too short");
    assertRejected(
        layout(40, "{}".getBytes(StandardCharsets.US_ASCII), 0), "header length 40", "truncated");
    assertRejected(layout(150_000_000L, new byte[0], 0), "exceeds the limit");
    assertRejected(layout(-1L, new byte[0], 0), "18446744073709551615", "exceeds the limit");
  }

  @Test
  void theHeaderMustBeStrictUtf8Json() {
    assertRejected(layout(4, new byte[] {'{', (byte) 0xFF, '}', ' '}, 0), "not valid UTF-8");
    assertRejected(layout("[]", 0), "JSON object");
    assertRejected(layout("{\"w\":", 0), "malformed JSON");
    assertRejected(layout("{w:{}}", 0), "malformed JSON");
    assertRejected(layout("{" + W + "} x", 8), "malformed JSON");
    assertRejected(layout("{" + W + "}{}", 8), "malformed JSON", "invalid JSON at line 1");
  }

  @Test
  void namesAndFieldsAreValidated() {
    assertRejected(layout("{" + W + "," + W + "}", 8), "'w' appears twice");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w'",
        "unsupported dtype 'F8'");
    assertRejected(
        layout("{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w' dtype");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w' shape",
        "-2");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", 8),
        "malformed JSON");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w' shape");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8),
        "data_offsets has 3 values");
    assertRejected(layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "missing data_offsets");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8),
        "unknown field 'x'");
    assertRejected(
        layout("{\"__metadata__\":{\"k\":1}," + W + "}", 8), "__metadata__.k", "a string");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,8]}}", 8),
        "dimension 0 is 4294967296");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", 8),
        "larger than one Java array");
  }

  @Test
  void dataOffsetsMustTileTheBufferExactly() {
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
        "tensor 'w'",
        "span 8 bytes",
        "needs 12");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
        "run backwards");
    assertRejected(
        layout("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 8),
        "reach past the data buffer of 8 bytes");
    String v = "\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}";
    assertRejected(layout("{" + W + "," + v + "}", 8), "tensor 'v'", "overlaps");
    String u = "\"u\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}";
    assertRejected(layout("{" + W + "," + u + "}", 16), "tensor 'u'", "a gap");
    assertRejected(layout("{" + W + "}", 12), "trailing bytes");
  }

  @Test
  void aMissingFileIsReportedByName() {
    Path missing = dir.resolve("nothing-here.safetensors");
    try {
      SafeTensors.read(missing);
      fail("read a missing file");
    } catch (SafeTensorsException e) {
      assertTrue(e.getMessage().contains("nothing-here.safetensors: no such file"), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- fuzzing

  /** A corruption of a valid file, described for the failure report. */
  record Corruption(String what, byte[] bytes) {
    @Override
    public String toString() {
      return what + " (" + bytes.length + " bytes)";
    }
  }

  private static byte[] validFile(Path dir) {
    Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    tensors.put("layer.weight", StoredTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    tensors.put("layer.bias", StoredTensor.ofDoubles(new double[] {0.5, -0.5}, 2));
    tensors.put("bn.num_batches_tracked", StoredTensor.ofLongs(new long[] {12}));
    tensors.put("empty", StoredTensor.ofInts(new int[0], 0, 4));
    Path f = dir.resolve("valid.safetensors");
    SafeTensors.write(f, tensors, Map.of("format", "pt"));
    return SafeTensorsTest.readAll(f);
  }

  private static Gen<Corruption> corruptions(byte[] valid) {
    int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
    byte[] jsonish = "{}[]\",:0123456789-.e ".getBytes(StandardCharsets.US_ASCII);
    return (rng, size) -> {
      byte[] b = valid.clone();
      return switch (rng.nextInt(6)) {
        case 0 -> {
          int n = rng.nextInt(b.length);
          yield new Corruption("truncated to " + n, Arrays.copyOf(b, n));
        }
        case 1 -> {
          long claim = rng.nextBoolean() ? rng.nextLong() : headerEnd - 8 + rng.nextInt(-16, 16);
          ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, claim);
          yield new Corruption("header length " + claim, b);
        }
        case 2 -> {
          int p = rng.nextInt(8, headerEnd - 1);
          byte c = jsonish[rng.nextInt(jsonish.length)];
          b[p] = c;
          yield new Corruption("header byte " + p + " := '" + (char) c + "'", b);
        }
        case 3 -> {
          int p = rng.nextInt(b.length);
          b[p] = (byte) rng.nextInt(256);
          yield new Corruption("byte " + p + " randomised", b);
        }
        case 4 -> {
          byte[] longer = Arrays.copyOf(b, b.length + 1 + rng.nextInt(16));
          yield new Corruption("appended " + (longer.length - b.length) + " bytes", longer);
        }
        default -> {
          int p = rng.nextInt(8, headerEnd - 1);
          byte[] cut = new byte[b.length - 1];
          System.arraycopy(b, 0, cut, 0, p);
          System.arraycopy(b, p + 1, cut, p, b.length - p - 1);
          yield new Corruption("header byte " + p + " deleted", cut);
        }
      };
    };
  }

  @Test
  void corruptedFilesFailOnlyWithSafeTensorsException() {
    byte[] valid = validFile(dir);
    Path f = dir.resolve("fuzz.safetensors");
    Property.check(
        "corruptionIsReportedNotThrown",
        300,
        corruptions(valid),
        c -> {
          try {
            Files.write(f, c.bytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          try {
            SafeTensors.read(f);
          } catch (SafeTensorsException expected) {
            assertTrue(expected.getMessage().startsWith(f.toString()), expected.getMessage());
          }
        });
  }

  @Test
  void aLyingHeaderLengthNeverAllocatesWhatItClaims() {
    // Every claim up to the limit on a tiny file is refused by the size check, not by running out
    // of memory: the limit itself (100 MB) would fit in the test heap, but the claim is never read.
    Rng rng = new Rng(7);
    for (int i = 0; i < 50; i++) {
      long claim = 9 + rng.nextInt((int) SafeTensors.MAX_HEADER_BYTES);
      assertRejected(layout(claim, new byte[] {'{', '}'}, 0), "header length " + claim);
    }
    List.of(SafeTensors.MAX_HEADER_BYTES + 1, Long.MAX_VALUE)
        .forEach(claim -> assertRejected(layout(claim, new byte[0], 0), "exceeds the limit"));
  }
}
