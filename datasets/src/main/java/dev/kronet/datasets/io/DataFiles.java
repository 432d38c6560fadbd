package dev.kronet.datasets.io;

import dev.kronet.datasets.DatasetException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reading data files, raw or gzip-compressed, without trusting the sizes they declare.
 *
 * <p>A lying header must not make us allocate gigabytes: a raw file's declared payload is checked
 * against its length before anything is allocated, and a gzip file's against the most that deflate
 * can expand (about 1032:1); the payload buffer then grows only as decoded bytes actually arrive.
 */
final class DataFiles {
  /** Deflate's maximum expansion ratio is just under 1032:1 (RFC 1951 stored length codes). */
  private static final long MAX_DEFLATE_RATIO = 1032;

  private static final int FIRST_CHUNK = 1 << 20;

  /** First buffer for a gzip payload, as a multiple of the compressed size (see readPayload). */
  private static final long GZIP_FIRST_GUESS = 8;

  private DataFiles() {}

  /** An open data stream with a running count of decoded bytes, for error messages. */
  static final class Source implements AutoCloseable {
    final Path file;
    final boolean gzip;
    final long fileLength;
    private final InputStream in;
    long position;

    private Source(Path file, boolean gzip, long fileLength, InputStream in) {
      this.file = file;
      this.gzip = gzip;
      this.fileLength = fileLength;
      this.in = in;
    }

    /** The largest number of decoded bytes this file could possibly hold. */
    long maxDecodedLength() {
      return gzip ? fileLength * MAX_DEFLATE_RATIO + 1024 : fileLength;
    }

    /** "file" or "file (decoded from gzip)", for messages. */
    String describe() {
      return file + (gzip ? " (gzip)" : "");
    }

    /**
     * Reads exactly {@code n} bytes (a header) or fails naming what was being read.
     *
     * @param what what those bytes are, e.g. "the magic number"
     */
    byte[] readHeader(int n, String what) {
      byte[] b = new byte[n];
      int got = fill(b, 0, n);
      if (got < n) {
        throw new DatasetException(
            describe()
                + ": truncated at byte "
                + (position)
                + " while reading "
                + what
                + ": found "
                + got
                + " of "
                + n
                + " bytes");
      }
      return b;
    }

    /**
     * Reads a payload of exactly {@code n} bytes and checks that the file ends right after it. A
     * raw file's length is checked first; a gzip payload's buffer starts at most {@code
     * GZIP_FIRST_GUESS} times the file size and then grows with the bytes actually decoded, so a
     * lying {@code n} costs memory in proportion to the file, not to the lie.
     */
    byte[] readPayload(long n, String what) {
      long start = position;
      if (n > Integer.MAX_VALUE - 16) {
        throw new DatasetException(
            describe()
                + ": header at byte 0 declares "
                + n
                + " bytes of "
                + what
                + ", expected at most "
                + (Integer.MAX_VALUE - 16)
                + " (Java array limit)");
      }
      if (!gzip && start + n > fileLength) {
        throw new DatasetException(
            describe()
                + ": truncated: the header declares "
                + n
                + " bytes of "
                + what
                + " spanning bytes "
                + start
                + "…"
                + (start + n)
                + ", but the file ends at byte "
                + fileLength
                + " (found "
                + (fileLength - start)
                + " of "
                + n
                + " bytes)");
      }
      if (start + n > maxDecodedLength()) {
        throw new DatasetException(
            describe()
                + ": the header declares "
                + n
                + " bytes of "
                + what
                + " after byte "
                + start
                + ", but a gzip file of "
                + fileLength
                + " bytes can hold at most "
                + Math.max(0, maxDecodedLength() - start));
      }
      int total = (int) n;
      // Image data deflates by 1.5–5×, so a real gzip file gets one exact allocation here; a
      // lying header costs at most GZIP_FIRST_GUESS × the file's size before the data runs out.
      int first =
          gzip
              ? (int) Math.min(total, Math.max(FIRST_CHUNK, GZIP_FIRST_GUESS * fileLength))
              : total;
      byte[] buf = new byte[first];
      int got = 0;
      while (got < total) {
        if (got == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
        }
        int r = fill(buf, got, buf.length - got);
        got += r;
        if (got < buf.length) {
          break; // end of stream before the buffer filled
        }
      }
      if (got < total) {
        throw new DatasetException(
            describe()
                + ": truncated: "
                + what
                + " should span bytes "
                + start
                + "…"
                + (start + total)
                + " but the data ends at byte "
                + (start + got)
                + " (found "
                + got
                + " of "
                + total
                + " bytes)");
      }
      expectEnd();
      return buf;
    }

    /**
     * Reads everything up to the end of the stream (at most {@code limit} bytes, else fails),
     * growing the buffer with the bytes actually decoded.
     */
    byte[] readRest(long limit, String what) {
      long start = position;
      byte[] buf =
          new byte
              [(int) Math.max(1, Math.min(FIRST_CHUNK, Math.min(limit + 1, maxDecodedLength())))];
      int got = 0;
      while (true) {
        if (got == buf.length) {
          if (got > limit) {
            throw new DatasetException(
                describe()
                    + ": "
                    + what
                    + " from byte "
                    + start
                    + " exceed "
                    + limit
                    + " bytes, expected at most that many");
          }
          buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, 2L * buf.length));
        }
        int r = fill(buf, got, buf.length - got);
        got += r;
        if (got < buf.length) {
          return Arrays.copyOf(buf, got);
        }
      }
    }

    /** Fails if anything follows the current position. */
    void expectEnd() {
      byte[] one = new byte[1];
      if (fill(one, 0, 1) > 0) {
        throw new DatasetException(
            describe()
                + ": unexpected extra data at byte "
                + (position - 1)
                + ", expected the file to end there");
      }
    }

    private int fill(byte[] b, int off, int len) {
      int got = 0;
      try {
        while (got < len) {
          int r = in.read(b, off + got, len - got);
          if (r < 0) {
            break;
          }
          got += r;
        }
      } catch (EOFException e) {
        // GZIPInputStream reports a cut-off deflate stream this way: treat as end of data.
      } catch (IOException e) {
        throw new DatasetException(
            describe()
                + ": cannot read data at byte "
                + (position + got)
                + ": "
                + e.getMessage()
                + (gzip ? " (corrupt gzip stream?)" : ""),
            e);
      }
      position += got;
      return got;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new DatasetException(file + ": cannot close: " + e.getMessage(), e);
      }
    }
  }

  /** Opens {@code file}, decompressing it when it starts with the gzip magic bytes 1f 8b. */
  static Source open(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new DatasetException(
            file + ": " + (Files.exists(file) ? "is not a regular file" : "file not found"));
      }
      long length = Files.size(file);
      InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      if (!gzip) {
        return new Source(file, false, length, raw);
      }
      try {
        return new Source(file, true, length, new GZIPInputStream(raw, 1 << 16));
      } catch (IOException e) {
        raw.close();
        throw new DatasetException(
            file
                + ": starts like gzip (1f 8b) but its gzip header is unreadable: "
                + e.getMessage(),
            e);
      }
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot open: " + e.getMessage(), e);
    }
  }

  /** Big-endian unsigned 32-bit value at {@code b[off]}. */
  static long u32(byte[] b, int off) {
    return ((b[off] & 0xFFL) << 24)
        | ((b[off + 1] & 0xFFL) << 16)
        | ((b[off + 2] & 0xFFL) << 8)
        | (b[off + 3] & 0xFFL);
  }
}
