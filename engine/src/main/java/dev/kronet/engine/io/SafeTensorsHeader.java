package dev.kronet.engine.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the JSON header of a safetensors file. The header is untrusted input: it is
 * read with a strict streaming parser (so duplicate names can be seen, which a tree parser would
 * silently merge) and every entry is checked against the size of the data buffer before a single
 * tensor byte is allocated.
 */
final class SafeTensorsHeader {
  static final String METADATA_KEY = "__metadata__";

  /** One tensor's entry: its bytes are {@code [begin, end)} of the data buffer. */
  record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

  record Parsed(List<Entry> entries, Map<String, String> metadata) {}

  private final String file;

  private SafeTensorsHeader(String file) {
    this.file = file;
  }

  /**
   * Parses {@code header} (the bytes after the length prefix) of {@code file} whose data buffer is
   * {@code dataLength} bytes long.
   */
  static Parsed parse(String file, byte[] header, long dataLength) {
    SafeTensorsHeader p = new SafeTensorsHeader(file);
    String json = p.decodeUtf8(header);
    if (!json.startsWith("{")) {
      throw p.fail("the header must be a JSON object starting with '{'");
    }
    Parsed parsed;
    try (JsonReader r = new JsonReader(new StringReader(json))) {
      r.setStrictness(Strictness.STRICT);
      parsed = p.readHeader(r);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw p.fail("unexpected text after the header's JSON object");
      }
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new SafeTensorsException(file + ": malformed JSON header: " + gsonMessage(e), e);
    }
    p.checkLayout(parsed.entries(), dataLength);
    return parsed;
  }

  /** Gson's message without its advice to parse leniently and its troubleshooting link. */
  private static String gsonMessage(Exception e) {
    String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return msg.replace(
        "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
        "invalid JSON");
  }

  private String decodeUtf8(byte[] header) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(header))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SafeTensorsException(file + ": the header is not valid UTF-8", e);
    }
  }

  private Parsed readHeader(JsonReader r) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    r.beginObject();
    while (r.hasNext()) {
      String name = r.nextName();
      if (!seen.add(name)) {
        throw fail("the name '" + name + "' appears twice in the header");
      }
      if (name.equals(METADATA_KEY)) {
        readMetadata(r, metadata);
      } else {
        entries.add(readEntry(r, name));
      }
    }
    r.endObject();
    return new Parsed(entries, metadata);
  }

  private void readMetadata(JsonReader r, Map<String, String> metadata) throws IOException {
    expect(r, JsonToken.BEGIN_OBJECT, METADATA_KEY, "an object of strings");
    r.beginObject();
    while (r.hasNext()) {
      String key = r.nextName();
      if (metadata.containsKey(key)) {
        throw fail(METADATA_KEY + ": the key '" + key + "' appears twice");
      }
      expect(r, JsonToken.STRING, METADATA_KEY + "." + key, "a string");
      metadata.put(key, r.nextString());
    }
    r.endObject();
  }

  private Entry readEntry(JsonReader r, String name) throws IOException {
    String where = "tensor '" + name + "'";
    expect(r, JsonToken.BEGIN_OBJECT, where, "an object with dtype, shape and data_offsets");
    DType dtype = null;
    long[] shape = null;
    long[] offsets = null;
    r.beginObject();
    while (r.hasNext()) {
      String key = r.nextName();
      switch (key) {
        case "dtype" -> {
          expect(r, JsonToken.STRING, where + " dtype", "a string");
          if (dtype != null) {
            throw fail(where + ": 'dtype' appears twice");
          }
          String t = r.nextString();
          dtype =
              DType.fromHeaderName(t)
                  .orElseThrow(
                      () ->
                          fail(
                              where
                                  + ": unsupported dtype '"
                                  + t
                                  + "', expected one of "
                                  + Arrays.toString(DType.values())));
        }
        case "shape" -> {
          if (shape != null) {
            throw fail(where + ": 'shape' appears twice");
          }
          shape = readNaturals(r, where + " shape");
        }
        case "data_offsets" -> {
          if (offsets != null) {
            throw fail(where + ": 'data_offsets' appears twice");
          }
          offsets = readNaturals(r, where + " data_offsets");
          if (offsets.length != 2) {
            throw fail(
                where + ": data_offsets has " + offsets.length + " values, expected [begin, end]");
          }
        }
        default ->
            throw fail(
                where + ": unknown field '" + key + "', expected dtype, shape, data_offsets");
      }
    }
    r.endObject();
    if (dtype == null || shape == null || offsets == null) {
      throw fail(
          where
              + ": missing "
              + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
    }
    return new Entry(name, dtype, toIntShape(where, shape), offsets[0], offsets[1]);
  }

  private long[] readNaturals(JsonReader r, String where) throws IOException {
    expect(r, JsonToken.BEGIN_ARRAY, where, "an array of non-negative integers");
    List<Long> values = new ArrayList<>();
    r.beginArray();
    while (r.hasNext()) {
      expect(r, JsonToken.NUMBER, where, "non-negative integers");
      long v = r.nextLong();
      if (v < 0) {
        throw fail(where + ": found " + v + ", expected a non-negative integer");
      }
      values.add(v);
    }
    r.endArray();
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private int[] toIntShape(String where, long[] shape) {
    int[] s = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) {
        throw fail(
            where
                + ": dimension "
                + i
                + " is "
                + shape[i]
                + ", larger than kronet's limit of 2^31-1");
      }
      s[i] = (int) shape[i];
    }
    return s;
  }

  private void expect(JsonReader r, JsonToken token, String where, String what) throws IOException {
    JsonToken found = r.peek();
    if (found != token) {
      throw fail(where + ": found " + found + ", expected " + what);
    }
  }

  /**
   * The spec's layout rules: each entry's byte range matches numel × element size, and the ranges
   * sorted by start tile the data buffer exactly (no gap, no overlap, nothing after the last).
   */
  private void checkLayout(List<Entry> entries, long dataLength) {
    for (Entry e : entries) {
      String where = "tensor '" + e.name() + "'";
      long expected = StoredTensor.byteLength(e.dtype(), e.shape());
      if (expected < 0) {
        throw fail(
            where
                + ": "
                + e.dtype()
                + " of shape "
                + Arrays.toString(e.shape())
                + " is larger than one Java array can hold");
      }
      if (e.end() < e.begin()) {
        throw fail(where + ": data_offsets [" + e.begin() + ", " + e.end() + ") run backwards");
      }
      if (e.end() > dataLength) {
        throw fail(
            where
                + ": data_offsets ["
                + e.begin()
                + ", "
                + e.end()
                + ") reach past the data buffer of "
                + dataLength
                + " bytes");
      }
      if (e.end() - e.begin() != expected) {
        throw fail(
            where
                + ": data_offsets span "
                + (e.end() - e.begin())
                + " bytes, but "
                + e.dtype()
                + " of shape "
                + Arrays.toString(e.shape())
                + " needs "
                + expected);
      }
    }
    List<Entry> byStart = new ArrayList<>(entries);
    byStart.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long next = 0;
    for (Entry e : byStart) {
      if (e.begin() != next) {
        throw fail(
            "tensor '"
                + e.name()
                + "': data starts at byte "
                + e.begin()
                + ", expected "
                + next
                + (e.begin() < next ? " (it overlaps the previous tensor)" : " (a gap before it)"));
      }
      next = e.end();
    }
    if (next != dataLength) {
      throw fail(
          "the tensors cover "
              + next
              + " bytes of the data buffer, but it holds "
              + dataLength
              + " (trailing bytes)");
    }
  }

  private SafeTensorsException fail(String what) {
    return new SafeTensorsException(file + ": " + what);
  }
}
