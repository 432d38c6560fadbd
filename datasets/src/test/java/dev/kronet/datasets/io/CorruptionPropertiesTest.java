package dev.kronet.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files of every supported format either read correctly or fail with the project's own
 * {@link DatasetException}: never another exception, never a hang, never an allocation driven by a
 * size the file only claims to have.
 */
class CorruptionPropertiesTest {
  /** Generous bound on what reading a file of a few KB may allocate (buffers included). */
  private static final long ALLOCATION_LIMIT = 4L << 20;

  @TempDir Path dir;

  /** One way of damaging a file, with its parameters (printed when a case fails). */
  record Damage(String kind, int position, int value, boolean gzip) {
    /** The file's bytes: the damaged content, gzip-compressed when {@code gzip}. */
    byte[] apply(byte[] valid) {
      byte[] b = damage(valid);
      return gzip ? IdxFiles.gzip(b) : b;
    }

    /** The damaged content before any compression. */
    byte[] damage(byte[] valid) {
      byte[] b = valid.clone();
      int pos = Math.floorMod(position, b.length);
      switch (kind) {
        case "truncate" -> b = Arrays.copyOf(b, pos);
        case "append" -> {
          b = Arrays.copyOf(b, b.length + 1 + Math.floorMod(value, 64));
          Arrays.fill(b, valid.length, b.length, (byte) value);
        }
        case "byte" -> b[pos] = (byte) value;
        case "headerByte" -> b[Math.floorMod(position, Math.min(16, b.length))] = (byte) value;
        case "hugeDimension" -> {
          // Overwrite a 32-bit header field with a size of 2^24…2^25: a lie big enough that
          // believing it would allocate hundreds of MB, small enough to fit a Java array.
          int at = 4 * (1 + Math.floorMod(position, 3));
          ByteBuffer.wrap(b).putInt(Math.min(at, b.length - 4), (value & 0xFF_FFFF) | 0x100_0000);
        }
        default -> throw new IllegalStateException(kind);
      }
      return b;
    }
  }

  static Gen<Damage> damages() {
    String[] kinds = {"truncate", "append", "byte", "headerByte", "hugeDimension"};
    Gen<Damage> g =
        (rng, size) ->
            new Damage(
                kinds[rng.nextInt(kinds.length)],
                (int) rng.nextLong(),
                (int) rng.nextLong(),
                rng.nextBoolean());
    return g.withEdgeCases(
        List.of(
            new Damage("truncate", 0, 0, false),
            new Damage("truncate", 3, 0, true),
            new Damage("truncate", 15, 0, false),
            new Damage("hugeDimension", 0, 0, false),
            new Damage("hugeDimension", 1, 60000, true),
            new Damage("append", 0, 7, false)));
  }

  /** Runs {@code read} with a time limit and measures what its thread allocated. */
  private static <T> T guarded(Supplier<T> read) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long before = mx.getCurrentThreadAllocatedBytes();
          T result = null;
          try {
            result = read.get();
          } catch (DatasetException expected) {
            // the one acceptable failure
          }
          long allocated = mx.getCurrentThreadAllocatedBytes() - before;
          assertTrue(allocated < ALLOCATION_LIMIT, "reading allocated " + allocated + " bytes");
          return result;
        });
  }

  private Path write(String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void damagedIdxFilesReadCorrectlyOrFailWithDatasetException() {
    byte[] pixels = new byte[6 * 5 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 13);
    }
    byte[] valid = IdxFiles.idx(new int[] {6, 5, 4}, pixels);
    Property.check(
        "damagedIdxReadsOrFailsCleanly",
        60,
        damages(),
        damage -> {
          Path f = write("images", damage.apply(valid));
          IdxReader.IdxArray a = guarded(() -> IdxReader.read(f, 3));
          if (a != null) {
            long n = (long) a.dims()[0] * a.dims()[1] * a.dims()[2];
            assertEquals(n, a.data().length, "elements read vs dimensions declared");
          }
        });
  }

  @Test
  void damagedCifarFilesReadCorrectlyOrFailWithDatasetException() {
    byte[] valid = CifarReaderTest.cifar10(0, new int[] {0, 9, 4});
    Property.check(
        "damagedCifarReadsOrFailsCleanly",
        40,
        damages(),
        damage -> {
          Path f = write("batch.bin", damage.apply(valid));
          ImageDataset d =
              guarded(() -> CifarReader.readCifar10(List.of(f), Cifar.CIFAR10_CLASSES));
          if (d != null) {
            assertEquals(damage.damage(valid).length, 3073L * d.size(), "records vs bytes");
            for (int label : d.labels()) {
              assertTrue(label >= 0 && label < 10, "label " + label);
            }
          }
        });
  }

  @Test
  void damagedPngsReadCorrectlyOrFailWithDatasetException() throws IOException {
    BufferedImage img = new BufferedImage(6, 5, BufferedImage.TYPE_INT_RGB);
    for (int k = 0; k < 30; k++) {
      img.setRGB(k % 6, k / 6, k * 0x050301);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    byte[] valid = png.toByteArray();
    Path classDir = Files.createDirectories(dir.resolve("root/only"));
    Property.check(
        "damagedPngReadsOrFailsCleanly",
        30,
        damages().filter(d -> !d.gzip()),
        damage -> {
          try {
            Files.write(classDir.resolve("a.png"), damage.apply(valid));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          ImageDataset d = guarded(() -> ImageFolder.read(dir.resolve("root")));
          if (d != null) {
            assertEquals(1, d.size());
          }
        });
  }
}
