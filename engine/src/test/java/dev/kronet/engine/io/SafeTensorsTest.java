package dev.kronet.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  // ---------------------------------------------------------------- the layout, byte for byte

  @Test
  void writtenFileMatchesTheSpecByteForByte() throws IOException {
    Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    tensors.put("a", StoredTensor.ofFloats(new float[] {1f, -2f}, 2));
    tensors.put("b", StoredTensor.ofLongs(new long[] {7}));
    Path file = dir.resolve("fixture.safetensors");
    SafeTensors.write(file, tensors, Map.of("k", "v"));

    // Expected per the spec, built by hand: the I64 tensor comes first (8-byte elements before
    // 4-byte ones keeps both aligned); the 132-byte JSON is padded with 4 spaces to 136 = 0x88.
    String json =
        "{\"__metadata__\":{\"k\":\"v\"},"
            + "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
    ByteBuffer expected = ByteBuffer.allocate(8 + 136 + 16);
    expected.put(new byte[] {(byte) 0x88, 0, 0, 0, 0, 0, 0, 0});
    expected
        .put(json.getBytes(StandardCharsets.US_ASCII))
        .put("    ".getBytes(StandardCharsets.US_ASCII));
    expected.put(new byte[] {7, 0, 0, 0, 0, 0, 0, 0}); // 7L
    expected.put(new byte[] {0, 0, (byte) 0x80, 0x3F}); // 1.0f = 0x3F800000
    expected.put(new byte[] {0, 0, 0, (byte) 0xC0}); // -2.0f = 0xC0000000
    assertEquals(132, json.length());
    assertArrayEquals(expected.array(), Files.readAllBytes(file));

    SafeTensorsFile back = SafeTensors.read(file);
    assertEquals(List.of("b", "a"), List.copyOf(back.tensors().keySet()));
    assertEquals(tensors, back.tensors());
    assertEquals(Map.of("k", "v"), back.metadata());
  }

  // ---------------------------------------------------------------- round trip

  record Contents(Map<String, StoredTensor> tensors, Map<String, String> metadata) {}

  private static final String ALPHABET = "ab.Z_09 \"\\/\u00e9\u4e2d\n{}:,\u2028";

  private static String randomString(Rng rng, int maxLength) {
    StringBuilder sb = new StringBuilder();
    int n = rng.nextInt(0, maxLength);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(rng.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  static StoredTensor randomTensor(Rng rng, int size) {
    DType dtype = DType.values()[rng.nextInt(DType.values().length)];
    int[] shape = new int[rng.nextInt(0, 3)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = rng.nextInt(0, 1 + size / 20);
    }
    byte[] bytes = new byte[(int) StoredTensor.byteLength(dtype, shape)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) rng.nextInt(256);
    }
    return new StoredTensor(dtype, shape, bytes);
  }

  static final Gen<Contents> CONTENTS =
      Gen.<Contents>of(
              (rng, size) -> {
                Map<String, StoredTensor> tensors = new LinkedHashMap<>();
                int n = rng.nextInt(0, 1 + size / 15);
                for (int i = 0; i < n; i++) {
                  tensors.put(randomString(rng, 8), randomTensor(rng, size));
                }
                tensors.remove(SafeTensorsHeader.METADATA_KEY);
                Map<String, String> metadata = new LinkedHashMap<>();
                for (int i = rng.nextInt(0, 3); i > 0; i--) {
                  metadata.put(randomString(rng, 6), randomString(rng, 12));
                }
                return new Contents(tensors, metadata);
              })
          .withEdgeCases(
              List.of(
                  new Contents(Map.of(), Map.of()),
                  new Contents(Map.of("", StoredTensor.ofFloats(new float[0], 0)), Map.of()),
                  new Contents(
                      Map.of("x", StoredTensor.ofLongs(new long[] {-1})), Map.of("", ""))));

  @Test
  void writeThenReadGivesBackTheSameTensorsAndMetadata() {
    Path file = dir.resolve("round.safetensors");
    Property.check(
        "readInvertsWrite",
        40,
        CONTENTS,
        c -> {
          SafeTensors.write(file, c.tensors(), c.metadata());
          SafeTensorsFile back = SafeTensors.read(file);
          assertEquals(c.tensors(), back.tensors());
          assertEquals(c.metadata(), back.metadata());
        });
  }

  @Test
  void everyTensorStartsAtAMultipleOfItsElementSize() {
    Path file = dir.resolve("aligned.safetensors");
    Property.check(
        "dataIsAligned",
        25,
        CONTENTS,
        c -> {
          SafeTensors.write(file, c.tensors(), c.metadata());
          byte[] bytes = readAll(file);
          long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
          assertEquals(0, n % 8, "header length " + n);
          byte[] header = java.util.Arrays.copyOfRange(bytes, 8, 8 + (int) n);
          for (SafeTensorsHeader.Entry e :
              SafeTensorsHeader.parse("f", header, bytes.length - 8 - n).entries()) {
            assertEquals(0, (8 + n + e.begin()) % e.dtype().byteSize(), e.name());
          }
        });
  }

  // ---------------------------------------------------------------- atomic writing

  @Test
  void writingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("model.safetensors");
    SafeTensors.write(file, Map.of("w", StoredTensor.ofFloats(new float[] {1}, 1)), Map.of());
    SafeTensors.write(file, Map.of("v", StoredTensor.ofFloats(new float[] {2, 3}, 2)), Map.of());
    assertEquals(
        Map.of("v", StoredTensor.ofFloats(new float[] {2, 3}, 2)),
        SafeTensors.read(file).tensors());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void writingIntoAMissingDirectoryFailsWithTheProjectException() {
    Path file = dir.resolve("no/such/dir/model.safetensors");
    SafeTensorsException e =
        assertThrows(SafeTensorsException.class, () -> SafeTensors.write(file, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
  }

  @Test
  void theMetadataKeyCannotNameATensor() {
    Path file = dir.resolve("m.safetensors");
    SafeTensorsException e =
        assertThrows(
            SafeTensorsException.class,
            () ->
                SafeTensors.write(
                    file,
                    Map.of("__metadata__", StoredTensor.ofFloats(new float[] {1}, 1)),
                    Map.of()));
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
  }

  static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
