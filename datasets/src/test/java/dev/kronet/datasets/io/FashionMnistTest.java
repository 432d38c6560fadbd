package dev.kronet.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir Path tmp;

  private void writeAll(Path dir) throws Exception {
    Files.createDirectories(dir);
    IdxFiles.writeSplit(dir, Split.TRAIN, 2, 28, 28, new int[] {0, 9}, true);
    IdxFiles.writeSplit(dir, Split.TEST, 1, 28, 28, new int[] {5}, true);
  }

  @Test
  void explicitDirectoryWinsOverEnvironmentAndDefault() throws Exception {
    Path explicit = tmp.resolve("explicit");
    Path env = tmp.resolve("env");
    writeAll(explicit);
    writeAll(env);
    assertEquals(explicit, FashionMnist.locate(explicit, env.toString(), env));
  }

  @Test
  void environmentVariableThenDefaultThenSubfolder() throws Exception {
    Path env = tmp.resolve("env");
    Path def = tmp.resolve("default");
    writeAll(env.resolve("fashion-mnist"));
    writeAll(def);
    assertEquals(env.resolve("fashion-mnist"), FashionMnist.locate(null, env.toString(), def));
    assertEquals(def, FashionMnist.locate(null, tmp.resolve("nothing").toString(), def));
    assertEquals(def, FashionMnist.locate(null, null, def));
  }

  @Test
  void absentDataExplainsHowToGetIt() {
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> FashionMnist.locate(null, tmp.resolve("env").toString(), tmp.resolve("none")));
    String m = e.getMessage();
    assertTrue(m.contains("apt-get install -y dataset-fashion-mnist"), m);
    assertTrue(m.contains("--data DIR") && m.contains("KRONET_DATA=DIR"), m);
    assertTrue(m.contains("train-images-idx3-ubyte.gz") && m.contains(tmp.toString()), m);
  }

  @Test
  void explicitDirectoryWithoutFilesIsAnErrorNotAFallback() throws Exception {
    Path def = tmp.resolve("default");
    writeAll(def);
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    DatasetException e =
        assertThrows(DatasetException.class, () -> FashionMnist.locate(empty, null, def));
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
  }

  /** Known facts about the published files (skipped where the Debian package is not installed). */
  @Test
  void realFilesHaveThePublishedCountsShapeAndBalance() {
    assumeTrue(
        IdxDirectory.isComplete(FashionMnist.DEFAULT_DIR),
        "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    ImageDataset train = FashionMnist.load(FashionMnist.DEFAULT_DIR, Split.TRAIN);
    ImageDataset test = FashionMnist.load(FashionMnist.DEFAULT_DIR, Split.TEST);
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    for (ImageDataset d : new ImageDataset[] {train, test}) {
      assertEquals(1, d.shape().channels());
      assertEquals(28, d.shape().height());
      assertEquals(28, d.shape().width());
      assertEquals(10, d.numClasses());
    }
    int[] sixThousand = new int[10];
    Arrays.fill(sixThousand, 6000);
    assertArrayEquals(sixThousand, train.classCounts());
    int[] thousand = new int[10];
    Arrays.fill(thousand, 1000);
    assertArrayEquals(thousand, test.classCounts());
  }
}
