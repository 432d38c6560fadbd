package dev.kronet.datasets.loader;

import dev.kronet.datasets.DatasetException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The batches of one epoch, produced ahead of time by one background thread into a bounded queue
 * (at most {@link LoaderOptions#prefetch()} waiting batches, plus the one being built).
 *
 * <p>A failure in that thread is rethrown by {@link #hasNext()}/{@link #next()} as a {@link
 * DatasetException} naming the batch, with the original as cause. {@link #close()} stops the thread
 * (also mid-epoch) and waits for it. Single use, single consumer: iterate it once.
 */
public final class BatchStream implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
  private static final Object END = new Object();
  private static final long JOIN_MILLIS = 10_000;

  private record Failure(int batch, Throwable cause) {}

  private final DataLoader loader;
  private final int epoch;
  private final BlockingQueue<Object> queue;
  private final Thread worker;
  private volatile boolean closed;
  private Object pending;
  private boolean finished;
  private boolean iterated;
  private long waitNanos;

  BatchStream(DataLoader loader, int epoch) {
    this.loader = loader;
    this.epoch = epoch;
    this.queue = new ArrayBlockingQueue<>(loader.options().prefetch());
    this.worker =
        Thread.ofPlatform().daemon().name("kronet-loader-epoch-" + epoch).unstarted(this::produce);
    worker.start();
  }

  private void produce() {
    int b = 0;
    try {
      int[] order = loader.orderOf(epoch);
      for (int total = loader.numBatches(); b < total && !closed; b++) {
        queue.put(loader.build(order, epoch, b));
      }
      queue.put(END);
    } catch (InterruptedException e) {
      // close() interrupts a producer blocked on a full queue: just stop.
    } catch (Throwable t) {
      if (!closed) {
        try {
          queue.put(new Failure(b, t));
        } catch (InterruptedException ignored) {
          // closed while handing over the failure: nobody is left to receive it
        }
      }
    }
  }

  @Override
  public Iterator<Batch> iterator() {
    if (iterated) {
      throw new IllegalStateException("BatchStream of epoch " + epoch + " can be iterated once");
    }
    iterated = true;
    return this;
  }

  @Override
  public boolean hasNext() {
    if (finished) {
      return false;
    }
    if (closed) {
      throw new DatasetException("BatchStream of epoch " + epoch + " is closed");
    }
    if (pending == null) {
      pending = take();
    }
    if (pending == END) {
      pending = null;
      finished = true;
      return false;
    }
    if (pending instanceof Failure f) {
      pending = null;
      finished = true;
      close();
      throw DataLoader.workerFailure(epoch, f.batch(), f.cause());
    }
    return true;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("epoch " + epoch + " has no more batches");
    }
    Batch b = (Batch) pending;
    pending = null;
    return b;
  }

  /** Total time the consumer spent blocked waiting for a batch; near 0 when the loader keeps up. */
  public long waitNanos() {
    return waitNanos;
  }

  private Object take() {
    long t0 = System.nanoTime();
    try {
      while (true) {
        Object item = queue.poll(100, TimeUnit.MILLISECONDS);
        if (item != null) {
          return item;
        }
        if (!worker.isAlive() && queue.isEmpty()) {
          // Cannot happen unless the thread died without reporting (e.g. killed): never hang.
          throw new DatasetException(
              "data loader thread of epoch " + epoch + " stopped without finishing the epoch");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatasetException("interrupted while waiting for a batch of epoch " + epoch, e);
    } finally {
      waitNanos += System.nanoTime() - t0;
    }
  }

  /** Stops the producer thread and waits for it to end; safe to call more than once. */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.clear();
    pending = null;
  }

  /** Whether the producer thread is still running (for tests and diagnostics). */
  boolean workerAlive() {
    return worker.isAlive();
  }
}
