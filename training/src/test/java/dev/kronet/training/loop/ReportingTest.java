package dev.kronet.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportingTest {
  private static final List<EpochMetrics> EPOCHS =
      List.of(
          new EpochMetrics(1, 0.9, 0.60, 0.8, 0.65, 0.1, 10, 500),
          new EpochMetrics(2, 0.5, 0.80, 0.45, 0.84, 0.05, 10, 510),
          new EpochMetrics(3, 0.3, 0.90, 0.35, 0.88, 0.0, 10, 505));

  @Test
  void offATerminalProgressLogsOneLinePerTenthWithRateAndEta() {
    var bytes = new ByteArrayOutputStream();
    long[] now = {0};
    Progress p =
        new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> now[0]);
    p.start("train", 100);
    for (int i = 1; i <= 100; i++) {
      now[0] += 10_000_000L; // 10 ms a batch of 128 images
      p.update(i, 128L * i, "loss 0.5");
    }
    p.finish();
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(10, lines.length);
    assertTrue(lines[0].startsWith("train 10/100  12800 img/s  ETA 0:01"), lines[0]);
    assertTrue(lines[9].contains("100/100") && lines[9].contains("ETA 0:00"), lines[9]);
  }

  @Test
  void onATerminalProgressRedrawsOneLine() {
    var bytes = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, () -> 1);
    p.start("eval", 2);
    p.update(1, 10, "");
    p.update(2, 20, "");
    p.finish();
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(2, s.chars().filter(c -> c == '\r').count());
    assertTrue(s.endsWith("\n"));
  }

  @Test
  void metricsAreAppendedToCsvAndJsonWithTheRunConfig(@TempDir Path dir) throws Exception {
    MetricsLog log = new MetricsLog(dir, Map.of("seed", 7, "threads", 2));
    EPOCHS.forEach(log::append);
    List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(MetricsLog.HEADER, csv.get(0));
    assertEquals(4, csv.size());
    assertTrue(csv.get(2).startsWith("2,0.500000,0.800000,0.450000,0.840000,"), csv.get(2));
    var json =
        JsonParser.parseString(Files.readString(dir.resolve("metrics.json"))).getAsJsonObject();
    assertEquals(7, json.getAsJsonObject("config").get("seed").getAsInt());
    assertEquals(3, json.getAsJsonArray("epochs").size());
    assertEquals(
        0.88,
        json.getAsJsonArray("epochs").get(2).getAsJsonObject().get("valAccuracy").getAsDouble());
  }

  @Test
  void plotIsAPngWithBothCurvesDrawn(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("curves.png");
    CurvePlot.write(png, "ResNet-20 on Fashion-MNIST", EPOCHS);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(960, img.getWidth());
    boolean blue = false;
    boolean red = false;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        blue |= rgb == 0x1f77b4;
        red |= rgb == 0xd62728;
      }
    }
    assertTrue(blue && red, "train (blue) and validation (red) curves are drawn");
  }
}
