package dev.kronet.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir Path root;

  static void writeRgb(Path file, int w, int h, int seed) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb(seed, x, y));
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  static int rgb(int seed, int x, int y) {
    int r = (seed * 40 + x * 9) & 0xFF;
    int g = (seed * 3 + y * 21) & 0xFF;
    int b = (x * y + seed) & 0xFF;
    return (r << 16) | (g << 8) | b;
  }

  @Test
  void rgbPngsAreReadChannelMajorWithClassesSortedByName() throws IOException {
    writeRgb(root.resolve("zebra/b.png"), 5, 3, 1);
    writeRgb(root.resolve("zebra/a.png"), 5, 3, 2);
    writeRgb(root.resolve("cat/x.PNG"), 5, 3, 3);
    Files.writeString(root.resolve("cat/notes.txt"), "ignored");
    ImageDataset d = ImageFolder.read(root);
    assertEquals(List.of("cat", "zebra"), d.classNames());
    assertArrayEquals(new int[] {0, 1, 1}, d.labels());
    assertEquals(3, d.shape().channels());
    assertEquals(3, d.shape().height());
    assertEquals(5, d.shape().width());
    int[] seeds = {3, 2, 1}; // cat/x, zebra/a, zebra/b
    for (int i = 0; i < 3; i++) {
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 5; x++) {
          int p = rgb(seeds[i], x, y);
          int k = y * 5 + x;
          assertEquals((p >> 16) & 0xFF, d.pixel(i, k));
          assertEquals((p >> 8) & 0xFF, d.pixel(i, 15 + k));
          assertEquals(p & 0xFF, d.pixel(i, 30 + k));
        }
      }
    }
  }

  @Test
  void greyPngsGiveOneChannelWithExactValues() throws IOException {
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int k = 0; k < 8; k++) {
      img.getRaster().setSample(k % 4, k / 4, 0, k * 30);
    }
    Files.createDirectories(root.resolve("only"));
    ImageIO.write(img, "png", root.resolve("only/g.png").toFile());
    ImageDataset d = ImageFolder.read(root);
    assertEquals(1, d.shape().channels());
    for (int k = 0; k < 8; k++) {
      assertEquals(k * 30, d.pixel(0, k));
    }
  }

  @Test
  void jpegsAreReadToo() throws IOException {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int k = 0; k < 64; k++) {
      img.setRGB(k % 8, k / 8, 0xC08040); // flat colour: JPEG keeps it within a few levels
    }
    Files.createDirectories(root.resolve("jpg"));
    ImageIO.write(img, "jpg", root.resolve("jpg/a.jpg").toFile());
    ImageDataset d = ImageFolder.read(root);
    assertEquals(3, d.shape().channels());
    assertEquals(8, d.shape().width());
    assertEquals(0xC0, d.pixel(0, 0), 4);
    assertEquals(0x80, d.pixel(0, 64), 4);
    assertEquals(0x40, d.pixel(0, 128), 4);
  }

  @Test
  void sizeMismatchNamesTheFileAndBothSizes() throws IOException {
    writeRgb(root.resolve("a/1.png"), 4, 4, 0);
    writeRgb(root.resolve("b/2.png"), 4, 5, 0);
    DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.read(root));
    String m = e.getMessage();
    assertTrue(m.contains("2.png") && m.contains("4×5") && m.contains("expected 4×4"), m);
  }

  @Test
  void unreadableImageIsNamed() throws IOException {
    writeRgb(root.resolve("a/1.png"), 4, 4, 0);
    Path bad = root.resolve("a/2.png");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5});
    DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.read(root));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
  }

  @Test
  void folderWithoutClassesOrImagesIsRejected() throws IOException {
    DatasetException noClasses = assertThrows(DatasetException.class, () -> ImageFolder.read(root));
    assertTrue(noClasses.getMessage().contains("no class subfolders"), noClasses.getMessage());
    Files.createDirectories(root.resolve("empty"));
    DatasetException noImages = assertThrows(DatasetException.class, () -> ImageFolder.read(root));
    assertTrue(noImages.getMessage().contains("no .png/.jpg/.jpeg"), noImages.getMessage());
    assertThrows(DatasetException.class, () -> ImageFolder.read(root.resolve("missing")));
  }
}
