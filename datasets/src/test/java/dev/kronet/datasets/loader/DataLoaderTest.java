package dev.kronet.datasets.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.datasets.DatasetException;
import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.ImageShape;
import dev.kronet.datasets.SyntheticImages;
import dev.kronet.datasets.transform.HorizontalFlip;
import dev.kronet.datasets.transform.RandomCrop;
import dev.kronet.datasets.transform.Transform;
import dev.kronet.engine.KronetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
  private static final ImageDataset DATA =
      SyntheticImages.generate(new SyntheticImages.Spec(103, 2, 6, 5, 4, 11, 0.1));
  private static final List<Transform> AUGMENT =
      List.of(new RandomCrop(2), new HorizontalFlip(0.5));

  private static List<Batch> collect(DataLoader loader, int epoch) {
    List<Batch> out = new ArrayList<>();
    try (BatchStream s = loader.epoch(epoch)) {
      for (Batch b : s) {
        out.add(b);
      }
    }
    return out;
  }

  private static void assertSameBatches(List<Batch> a, List<Batch> b) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).labels(), b.get(i).labels(), "labels of batch " + i);
      assertArrayEquals(a.get(i).images().toArray(), b.get(i).images().toArray(), "batch " + i);
    }
  }

  @Test
  void sameSeedGivesTheSameBatchesAndTheStreamMatchesDirectComputation() {
    DataLoader loader = new DataLoader(DATA, AUGMENT, LoaderOptions.training(16, 42));
    List<Batch> first = collect(loader, 3);
    List<Batch> second = collect(new DataLoader(DATA, AUGMENT, LoaderOptions.training(16, 42)), 3);
    assertSameBatches(first, second);
    List<Batch> direct = new ArrayList<>();
    for (int b = 0; b < loader.numBatches(); b++) {
      direct.add(loader.batch(3, b));
    }
    assertSameBatches(first, direct);
    // A sample's augmentation depends on (seed, epoch, index) only, not on its batch position.
    DataLoader unshuffled =
        new DataLoader(DATA, AUGMENT, LoaderOptions.training(16, 42).withShuffle(false));
    int[] order = loader.order(3);
    Batch b0 = first.get(0);
    int size = DATA.shape().size();
    float[] all = b0.images().toArray();
    for (int j = 0; j < b0.size(); j++) {
      int sample = order[j];
      float[] alone = unshuffled.batch(3, sample / 16).images().toArray();
      int at = (sample % 16) * size;
      assertArrayEquals(
          Arrays.copyOfRange(alone, at, at + size),
          Arrays.copyOfRange(all, j * size, (j + 1) * size),
          "sample " + sample);
    }
  }

  @Test
  void otherSeedOrEpochGivesAnotherOrder() {
    DataLoader a = new DataLoader(DATA, List.of(), LoaderOptions.training(16, 1));
    DataLoader b = new DataLoader(DATA, List.of(), LoaderOptions.training(16, 2));
    assertFalse(Arrays.equals(a.order(0), b.order(0)));
    assertFalse(Arrays.equals(a.order(0), a.order(1)));
  }

  @Test
  void everySampleAppearsOncePerEpochWithShapeNchw() {
    DataLoader loader = new DataLoader(DATA, List.of(), LoaderOptions.training(16, 5));
    List<Batch> batches = collect(loader, 0);
    assertEquals(7, batches.size());
    int[] seen = new int[DATA.numClasses()];
    for (Batch b : batches) {
      ImageShape s = DATA.shape();
      assertArrayEquals(
          new int[] {b.size(), s.channels(), s.height(), s.width()}, b.images().shape());
      for (int l : b.labels()) {
        seen[l]++;
      }
    }
    assertEquals(7, batches.get(6).size());
    assertArrayEquals(DATA.classCounts(), seen);
    int[] order = loader.order(0).clone();
    Arrays.sort(order);
    for (int i = 0; i < order.length; i++) {
      assertEquals(i, order[i]);
    }
  }

  @Test
  void unaugmentedBatchHoldsThePixelsOverTwoHundredFiftyFive() {
    DataLoader loader = new DataLoader(DATA, List.of(), LoaderOptions.evaluation(10));
    Batch b = loader.batch(0, 2);
    int size = DATA.shape().size();
    float[] v = b.images().toArray();
    for (int j = 0; j < b.size(); j++) {
      assertEquals(DATA.label(20 + j), b.labels()[j]);
      for (int k = 0; k < size; k += 7) {
        assertEquals(DATA.pixel(20 + j, k) / 255f, v[j * size + k], 1e-7f);
      }
    }
  }

  @Test
  void dropLastSkipsTheShortFinalBatch() {
    DataLoader keep = new DataLoader(DATA, List.of(), LoaderOptions.training(10, 0));
    DataLoader drop =
        new DataLoader(DATA, List.of(), LoaderOptions.training(10, 0).withDropLast(true));
    List<Batch> kept = collect(keep, 0);
    List<Batch> dropped = collect(drop, 0);
    assertEquals(11, kept.size());
    assertEquals(3, kept.get(10).size());
    assertEquals(10, dropped.size());
    for (Batch b : dropped) {
      assertEquals(10, b.size());
    }
    assertThrows(
        KronetException.class,
        () -> new DataLoader(DATA, List.of(), LoaderOptions.training(200, 0).withDropLast(true)));
  }

  @Test
  void closingMidEpochStopsTheThread() {
    DataLoader loader = new DataLoader(DATA, AUGMENT, LoaderOptions.training(4, 0).withPrefetch(2));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          BatchStream s = loader.epoch(0);
          assertTrue(s.hasNext());
          s.next();
          Thread.sleep(50); // let the producer fill the queue and block on it
          assertTrue(s.workerAlive(), "producer should be waiting on the full queue");
          s.close();
          assertFalse(s.workerAlive());
          assertThrows(DatasetException.class, s::hasNext);
          s.close(); // idempotent
        });
  }

  @Test
  void theQueueBoundsHowFarTheProducerRunsAhead() throws InterruptedException {
    AtomicInteger built = new AtomicInteger();
    Transform counting = (data, offset, shape, rng) -> built.incrementAndGet();
    DataLoader loader =
        new DataLoader(DATA, List.of(counting), LoaderOptions.training(1, 0).withPrefetch(2));
    try (BatchStream s = loader.epoch(0)) {
      Thread.sleep(200);
      // 2 queued + 1 built and waiting to be put.
      assertTrue(built.get() <= 3, "built " + built.get() + " batches ahead");
      assertTrue(s.hasNext());
    }
  }

  @Test
  void aFailureInTheProducerSurfacesInTheConsumer() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicInteger calls = new AtomicInteger();
    Transform failing =
        (data, offset, shape, rng) -> {
          if (calls.incrementAndGet() > 40) {
            throw boom;
          }
        };
    DataLoader loader = new DataLoader(DATA, List.of(failing), LoaderOptions.training(16, 0));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          BatchStream s = loader.epoch(0);
          assertTrue(s.hasNext());
          s.next();
          s.next();
          DatasetException e = assertThrows(DatasetException.class, s::next);
          assertSame(boom, e.getCause());
          assertTrue(e.getMessage().contains("batch 2 of epoch 0"), e.getMessage());
          assertFalse(s.workerAlive());
          assertFalse(s.hasNext());
        });
  }

  @Test
  void aStreamIsIteratedOnce() {
    DataLoader loader = new DataLoader(DATA, List.of(), LoaderOptions.evaluation(50));
    try (BatchStream s = loader.epoch(0)) {
      s.iterator();
      assertThrows(IllegalStateException.class, s::iterator);
    }
  }

  @Test
  void badOptionsAreRejected() {
    assertThrows(KronetException.class, () -> LoaderOptions.training(0, 1));
    assertThrows(KronetException.class, () -> LoaderOptions.training(4, 1).withPrefetch(0));
    assertNotEquals(LoaderOptions.training(4, 1), LoaderOptions.training(4, 2));
  }
}
