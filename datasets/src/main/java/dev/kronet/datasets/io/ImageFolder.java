package dev.kronet.datasets.io;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.ImageShape;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Bring-your-own images: {@code root/<class>/*.png|jpg|jpeg}, one subdirectory per class, classes
 * sorted by name (label = position in that order) and files sorted by name within a class, so the
 * same folder always gives the same dataset. Other files are ignored.
 *
 * <p>Every image must have the size of the first one (no resizing happens here). The channel count
 * is 1 when the first image is greyscale, else 3 (RGB, alpha dropped); later images are converted
 * to it (colour to grey by ITU-R BT.601 luma).
 */
public final class ImageFolder {
  /** Largest image accepted (2^26 pixels, 256 MB as ARGB ints while decoding). */
  static final long MAX_PIXELS = 1L << 26;

  /** Most pixels one byte of a compressed image file can stand for (see {@code decode}). */
  static final long PIXELS_PER_FILE_BYTE = 2048;

  private ImageFolder() {}

  /** Reads every image under {@code root}. */
  public static ImageDataset read(Path root) {
    if (!Files.isDirectory(root)) {
      throw new DatasetException(
          root
              + ": "
              + (Files.exists(root) ? "is not a directory" : "not found")
              + ", expected a folder with one subfolder of images per class");
    }
    List<Path> classDirs = list(root).stream().filter(Files::isDirectory).sorted().toList();
    if (classDirs.isEmpty()) {
      throw new DatasetException(
          root + ": found no class subfolders, expected root/<class>/<image>.png|jpg");
    }
    List<String> classNames = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < classDirs.size(); c++) {
      Path dir = classDirs.get(c);
      classNames.add(dir.getFileName().toString());
      for (Path f : list(dir).stream().filter(ImageFolder::isImageFile).sorted().toList()) {
        files.add(f);
        labels.add(c);
      }
    }
    if (files.isEmpty()) {
      throw new DatasetException(
          root
              + ": found "
              + classDirs.size()
              + " class folders but no .png/.jpg/.jpeg files"
              + " in them, expected at least one image");
    }
    BufferedImage first = decode(files.get(0));
    int channels = first.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
    ImageShape shape = new ImageShape(channels, first.getHeight(), first.getWidth());
    long total = (long) files.size() * shape.size();
    if (total > Integer.MAX_VALUE - 16) {
      throw new DatasetException(
          root
              + ": "
              + files.size()
              + " images of "
              + shape
              + " need "
              + total
              + " bytes, expected at most "
              + (Integer.MAX_VALUE - 16)
              + " (one Java array)");
    }
    byte[] pixels = new byte[(int) total];
    int[] y = new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      BufferedImage img = i == 0 ? first : decode(files.get(i));
      if (img.getWidth() != shape.width() || img.getHeight() != shape.height()) {
        throw new DatasetException(
            files.get(i)
                + ": image is "
                + img.getWidth()
                + "×"
                + img.getHeight()
                + ", expected "
                + shape.width()
                + "×"
                + shape.height()
                + " like "
                + files.get(0));
      }
      toChannelMajor(img, channels, pixels, i * shape.size());
      y[i] = labels.get(i);
    }
    return new ImageDataset(root.toString(), shape, pixels, y, classNames);
  }

  private static boolean isImageFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (IOException | UncheckedIOException e) {
      throw new DatasetException(dir + ": cannot list folder: " + e.getMessage(), e);
    }
  }

  private static BufferedImage decode(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new DatasetException(
            file + ": no image decoder recognises this file, expected a PNG or JPEG");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        // Check the declared size before decoding, so a lying header cannot exhaust memory:
        // neither more than MAX_PIXELS, nor more than the file's bytes can hold (deflate
        // expands at most 1032:1, so a PNG stores ≥ 1 byte per 1032 pixels; 2048 leaves room
        // for JPEG's best case).
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        long fileBytes = Files.size(file);
        long plausible = Math.max(4096, PIXELS_PER_FILE_BYTE * fileBytes);
        if (pixels > plausible && pixels <= MAX_PIXELS) {
          throw new DatasetException(
              file
                  + ": header declares "
                  + reader.getWidth(0)
                  + "×"
                  + reader.getHeight(0)
                  + " pixels, more than a "
                  + fileBytes
                  + "-byte file can encode (at most "
                  + plausible
                  + "); the header is corrupt");
        }
        if (pixels > MAX_PIXELS) {
          throw new DatasetException(
              file
                  + ": header declares "
                  + reader.getWidth(0)
                  + "×"
                  + reader.getHeight(0)
                  + " pixels, expected at most "
                  + MAX_PIXELS
                  + " per image");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DatasetException d) {
        throw d;
      }
      // ImageIO's decoders throw assorted runtime exceptions on corrupt input, not only
      // IOException.
      throw new DatasetException(
          file
              + ": unreadable image ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "), expected a valid PNG or JPEG",
          e);
    }
  }

  private static void toChannelMajor(BufferedImage img, int channels, byte[] dst, int offset) {
    int h = img.getHeight();
    int w = img.getWidth();
    int plane = h * w;
    boolean grey = img.getColorModel().getNumColorComponents() == 1;
    int bits = img.getColorModel().getComponentSize(0);
    if (channels == 1 && grey && (bits == 8 || bits == 16)) {
      // Raw samples: getRGB would push grey through a colour-space conversion and change values.
      Raster r = img.getRaster();
      int shift = bits - 8;
      int[] row = new int[w];
      for (int yy = 0; yy < h; yy++) {
        r.getSamples(0, yy, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          dst[offset + yy * w + x] = (byte) (row[x] >>> shift);
        }
      }
      return;
    }
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    for (int k = 0; k < plane; k++) {
      int p = argb[k];
      int red = (p >>> 16) & 0xFF;
      int green = (p >>> 8) & 0xFF;
      int blue = p & 0xFF;
      if (channels == 1) {
        dst[offset + k] = (byte) Math.round(0.299f * red + 0.587f * green + 0.114f * blue);
      } else {
        dst[offset + k] = (byte) red;
        dst[offset + plane + k] = (byte) green;
        dst[offset + 2 * plane + k] = (byte) blue;
      }
    }
  }
}
