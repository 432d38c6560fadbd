package dev.kronet.engine.io;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format, the de-facto interchange format for PyTorch weights.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end)}}
 * (offsets relative to the data buffer that follows the header), plus an optional {@code
 * "__metadata__"} object of strings; then the data buffer: each tensor's raw little-endian bytes in
 * row-major order.
 *
 * <p>Reading trusts nothing in the file: the header length is checked against the file size and
 * {@link #MAX_HEADER_BYTES} before anything is allocated, and the header against the format's rules
 * (see {@link SafeTensorsHeader}). Writing goes to a temporary file in the target's directory,
 * which is forced to disk and then atomically renamed over the target: a crash leaves the old file
 * or the new one, never half of one.
 */
public final class SafeTensors {
  /** The largest header accepted, as in the format's reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Header and data are aligned to this many bytes, the largest element size. */
  static final int ALIGNMENT = 8;

  private SafeTensors() {}

  /** Reads a whole file; every problem with it is a {@link SafeTensorsException}. */
  public static SafeTensorsFile read(Path path) {
    String file = path.toString();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new SafeTensorsException(
            file + ": " + size + " bytes long, too short for the 8-byte header length");
      }
      long headerLength = readAt(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      // A length above 2^63 reads as negative: treat it like any other oversized claim.
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw new SafeTensorsException(
            file
                + ": header length "
                + Long.toUnsignedString(headerLength)
                + " exceeds the limit of "
                + MAX_HEADER_BYTES
                + " bytes");
      }
      if (headerLength > size - 8) {
        throw new SafeTensorsException(
            file
                + ": header length "
                + headerLength
                + " exceeds the "
                + (size - 8)
                + " bytes that follow it (truncated file?)");
      }
      byte[] header = readAt(ch, 8, (int) headerLength).array();
      long dataStart = 8 + headerLength;
      SafeTensorsHeader.Parsed parsed = SafeTensorsHeader.parse(file, header, size - dataStart);
      Map<String, StoredTensor> tensors = new LinkedHashMap<>();
      for (SafeTensorsHeader.Entry e : parsed.entries()) {
        byte[] bytes = readAt(ch, dataStart + e.begin(), (int) (e.end() - e.begin())).array();
        tensors.put(e.name(), new StoredTensor(e.dtype(), e.shape(), bytes));
      }
      return new SafeTensorsFile(tensors, parsed.metadata());
    } catch (NoSuchFileException e) {
      throw new SafeTensorsException(file + ": no such file", e);
    } catch (IOException e) {
      throw new SafeTensorsException(file + ": cannot be read: " + e, e);
    }
  }

  private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new IOException("the file ended while reading " + length + " bytes at " + position);
      }
    }
    return b.flip();
  }

  /** Writes {@code tensors} and {@code metadata} to {@code path} atomically (see the class doc). */
  public static void write(
      Path path, Map<String, StoredTensor> tensors, Map<String, String> metadata) {
    List<Map.Entry<String, StoredTensor>> ordered = dataOrder(path, tensors);
    for (Map.Entry<String, String> m : metadata.entrySet()) {
      if (m.getKey() == null || m.getValue() == null) {
        throw new SafeTensorsException(path + ": metadata keys and values must not be null");
      }
    }
    byte[] header = encodeHeader(ordered, metadata);
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        writeFully(ch, length.putLong(header.length).flip());
        writeFully(ch, ByteBuffer.wrap(header));
        for (Map.Entry<String, StoredTensor> e : ordered) {
          writeFully(ch, ByteBuffer.wrap(e.getValue().bytes()));
        }
        ch.force(true);
      }
      moveIntoPlace(tmp, target);
      tmp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      SafeTensorsException failure =
          new SafeTensorsException(path + ": cannot be written: " + e, e);
      removeQuietly(tmp, failure);
      throw failure;
    }
  }

  /** Removes a leftover temporary file; a failure to do so is attached to {@code failure}. */
  private static void removeQuietly(Path tmp, Exception failure) {
    if (tmp == null) {
      return;
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the file system cannot rename atomically within " + target.getParent(), e);
    }
  }

  /** Makes the rename itself durable (POSIX: a directory entry lives in the directory's data). */
  private static void syncDirectory(Path dir) throws IOException {
    if (System.getProperty("os.name", "").startsWith("Windows")) {
      return; // Windows cannot open a directory as a channel; NTFS journals the rename instead.
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /**
   * The order of the tensors in the data buffer: by element size, largest first (stable for equal
   * sizes), so that with an 8-aligned header every tensor starts at a multiple of its element size
   * and a reader may map it in place.
   */
  private static List<Map.Entry<String, StoredTensor>> dataOrder(
      Path path, Map<String, StoredTensor> tensors) {
    List<Map.Entry<String, StoredTensor>> ordered = new ArrayList<>();
    for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new SafeTensorsException(path + ": a tensor name or value is null");
      }
      if (e.getKey().equals(SafeTensorsHeader.METADATA_KEY)) {
        throw new SafeTensorsException(
            path
                + ": '"
                + SafeTensorsHeader.METADATA_KEY
                + "' is reserved and cannot name a tensor");
      }
      ordered.add(Map.entry(e.getKey(), e.getValue()));
    }
    ordered.sort(
        Comparator.comparingInt(
            (Map.Entry<String, StoredTensor> e) -> -e.getValue().dtype().byteSize()));
    return ordered;
  }

  /** The JSON header, in data order, padded with spaces to a multiple of {@link #ALIGNMENT}. */
  static byte[] encodeHeader(
      List<Map.Entry<String, StoredTensor>> ordered, Map<String, String> metadata) {
    StringWriter text = new StringWriter();
    try (JsonWriter w = new JsonWriter(text)) {
      w.beginObject();
      if (!metadata.isEmpty()) {
        w.name(SafeTensorsHeader.METADATA_KEY).beginObject();
        for (Map.Entry<String, String> m : metadata.entrySet()) {
          w.name(m.getKey()).value(m.getValue());
        }
        w.endObject();
      }
      long offset = 0;
      for (Map.Entry<String, StoredTensor> e : ordered) {
        StoredTensor t = e.getValue();
        w.name(e.getKey()).beginObject();
        w.name("dtype").value(t.dtype().name());
        w.name("shape").beginArray();
        for (int d : t.shape()) {
          w.value(d);
        }
        w.endArray();
        long end = offset + t.bytes().length;
        w.name("data_offsets").beginArray().value(offset).value(end).endArray();
        w.endObject();
        offset = end;
      }
      w.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    byte[] json = text.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    byte[] header = new byte[padded];
    Arrays.fill(header, json.length, padded, (byte) ' ');
    System.arraycopy(json, 0, header, 0, json.length);
    return header;
  }
}
