package dev.kronet.training.loop;

import dev.kronet.engine.KronetException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws loss and accuracy curves per epoch into a PNG (two panels, train and validation). */
public final class CurvePlot {
  private static final int PANEL_W = 480;
  private static final int PANEL_H = 320;
  private static final int MARGIN = 52;
  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color VAL = new Color(0xd62728);

  private CurvePlot() {}

  /** Writes the plot atomically to {@code png}. */
  public static void write(Path png, String title, List<EpochMetrics> epochs) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(2 * PANEL_W, PANEL_H + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, MARGIN, 20);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      panel(g, 0, "loss", epochs, EpochMetrics::trainLoss, EpochMetrics::valLoss, false);
      panel(
          g,
          PANEL_W,
          "top-1 (%)",
          epochs,
          m -> 100 * m.trainAccuracy(),
          m -> 100 * m.valAccuracy(),
          true);
    } finally {
      g.dispose();
    }
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
      if (!ImageIO.write(img, "png", tmp.toFile())) {
        throw new KronetException("no PNG writer available to write " + png);
      }
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new KronetException("cannot write plot " + png + ": " + e, e);
    }
  }

  private static void panel(
      Graphics2D g,
      int x0,
      String name,
      List<EpochMetrics> epochs,
      ToDoubleFunction<EpochMetrics> train,
      ToDoubleFunction<EpochMetrics> val,
      boolean legend) {
    int left = x0 + MARGIN;
    int top = 40;
    int w = PANEL_W - MARGIN - 16;
    int h = PANEL_H - MARGIN - 10;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (EpochMetrics m : epochs) {
      for (double v : new double[] {train.applyAsDouble(m), val.applyAsDouble(m)}) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!(lo <= hi)) {
      lo = 0;
      hi = 1;
    }
    if (hi - lo < 1e-9) {
      hi = lo + 1;
    }
    int maxEpoch = Math.max(1, epochs.isEmpty() ? 1 : epochs.get(epochs.size() - 1).epoch());
    g.setColor(Color.BLACK);
    g.drawRect(left, top, w, h);
    g.drawString(name, left, top - 6);
    for (int i = 0; i <= 4; i++) {
      double v = lo + (hi - lo) * i / 4;
      int y = top + h - (int) Math.round(h * (double) i / 4);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left + 1, y, left + w - 1, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.3g", v), x0 + 4, y + 4);
    }
    g.drawString("epoch", left + w / 2 - 15, top + h + 28);
    g.drawString("1", left, top + h + 14);
    g.drawString(Integer.toString(maxEpoch), left + w - 10, top + h + 14);
    curve(g, epochs, train, TRAIN, left, top, w, h, lo, hi, maxEpoch);
    curve(g, epochs, val, VAL, left, top, w, h, lo, hi, maxEpoch);
    if (legend) {
      g.setColor(TRAIN);
      g.drawString("train", left + w - 80, top + 16);
      g.setColor(VAL);
      g.drawString("validation", left + w - 80, top + 30);
    }
  }

  private static void curve(
      Graphics2D g,
      List<EpochMetrics> epochs,
      ToDoubleFunction<EpochMetrics> f,
      Color color,
      int left,
      int top,
      int w,
      int h,
      double lo,
      double hi,
      int maxEpoch) {
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    int px = -1;
    int py = -1;
    for (EpochMetrics m : epochs) {
      double v = f.applyAsDouble(m);
      if (!Double.isFinite(v)) {
        px = -1;
        continue;
      }
      int x =
          left + (maxEpoch == 1 ? w / 2 : (int) Math.round(w * (m.epoch() - 1.0) / (maxEpoch - 1)));
      int y = top + h - (int) Math.round(h * (v - lo) / (hi - lo));
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      }
      g.fillOval(x - 3, y - 3, 6, 6);
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1f));
  }
}
