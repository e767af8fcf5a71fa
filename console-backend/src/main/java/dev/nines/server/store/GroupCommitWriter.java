package dev.nines.server.store;

import dev.nines.protocol.AgentReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes reports. Requests queue their report and get a future; the thread
 * takes everything waiting (up to a batch limit), stores it in one transaction (group commit) and
 * completes each future only after COMMIT, so every acknowledged report is durable. The queue is
 * bounded: when it is full, {@link #submit} refuses at once and nothing is queued.
 *
 * <p>After each commit, and before its reports are acknowledged, the listener is told about the
 * batch, in commit order, on the one acknowledging thread, while the writer thread already writes
 * the next batch (so judging a batch and storing the next one overlap). It must not throw. At most
 * {@link #MAX_BATCHES_IN_FLIGHT} committed batches wait for that thread; beyond that the writer
 * waits too, so memory stays bounded when listeners fall behind.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** What the writer needs from a batch: for tests and for the metrics. */
  public interface Listener {
    /** Called after each commit with the batch's results. */
    void committed(List<WriteResult> results, long commitNanos);

    /**
     * Called after each commit with the batch's results and the reports as their submitters
     * parsed them (same order; null where a submitter gave none), so that a listener need not
     * parse the stored JSON again. By default, {@link #committed(List, long)}.
     */
    default void committed(List<WriteResult> results, List<AgentReport> parsed, long commitNanos) {
      committed(results, commitNanos);
    }

    /**
     * Called on the writer thread just before a batch's transaction begins (for a replica's report
     * tail, {@code replica.ReportTail#skipLocal}, which must know of a local write before its rows
     * can be read). By default nothing. Must not throw.
     */
    default void writing(List<ReportRecord> batch) {}

    /** Called on the writer thread when a batch could not be stored (nothing of it was). By default nothing. */
    default void failed(List<ReportRecord> batch) {}
  }

  /** Committed batches that may wait for the acknowledging thread before the writer waits too. */
  static final int MAX_BATCHES_IN_FLIGHT = 4;

  private record Pending(ReportRecord report, AgentReport parsed, CompletableFuture<WriteResult> done) {}

  private final Store store;
  private final int capacity;
  private final int maxBatch;
  private final BlockingQueue<Pending> queue;
  private final Listener listener;
  private final Thread thread;
  private final ExecutorService completer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "nines-report-acks");
            t.setDaemon(true);
            return t;
          });
  private final Semaphore inFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);
  private volatile boolean closing;

  /**
   * @param store where to write
   * @param capacity how many reports may wait; beyond that {@link #submit} throws
   * @param maxBatch the most reports in one transaction
   * @param listener told after each commit
   */
  public GroupCommitWriter(Store store, int capacity, int maxBatch, Listener listener) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1 (was " + capacity + ")");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1 (was " + maxBatch + ")");
    }
    this.store = store;
    this.capacity = capacity;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.listener = listener;
    this.thread = new Thread(this::run, "nines-report-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** A convenience listener that ignores everything. */
  public static Listener ignore() {
    return (results, nanos) -> {};
  }

  /**
   * Queues a report. The future completes after the transaction holding it committed, or fails
   * with a {@link StoreException} when it did not.
   *
   * @throws QueueFullException when {@code capacity} reports are already waiting
   */
  public CompletableFuture<WriteResult> submit(ReportRecord report) {
    return submit(report, null);
  }

  /**
   * As {@link #submit(ReportRecord)}, handing the listener the report as already parsed.
   *
   * @param parsed the report that {@code report} stores, or null
   */
  public CompletableFuture<WriteResult> submit(ReportRecord report, AgentReport parsed) {
    if (closing) {
      return CompletableFuture.failedFuture(new StoreException("the server is shutting down"));
    }
    Pending p = new Pending(report, parsed, new CompletableFuture<>());
    if (!queue.offer(p)) {
      throw new QueueFullException(capacity);
    }
    return p.done();
  }

  /** Reports waiting to be written. */
  public int queued() {
    return queue.size();
  }

  public int capacity() {
    return capacity;
  }

  /** True while the writer thread runs. */
  public boolean alive() {
    return thread.isAlive();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (true) {
      Pending first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (first == null) {
        if (closing) {
          break;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      write(batch);
      batch.clear();
    }
    // Anything queued in the race with close() is refused, never left hanging.
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending p : left) {
      p.done().completeExceptionally(new StoreException("the server is shutting down"));
    }
  }

  private void write(List<Pending> batch) {
    List<ReportRecord> reports = new ArrayList<>(batch.size());
    AgentReport[] parsed = new AgentReport[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      reports.add(batch.get(i).report());
      parsed[i] = batch.get(i).parsed();
    }
    List<Pending> done = List.copyOf(batch);
    long start = System.nanoTime();
    List<WriteResult> results;
    try {
      listener.writing(reports);
    } catch (RuntimeException e) {
      LOG.warn("a commit listener failed before a write: {}", e.getMessage(), e);
    }
    try {
      results = store.writeReports(reports);
    } catch (RuntimeException e) {
      LOG.error("could not store a batch of {} reports: {}", batch.size(), e.getMessage(), e);
      try {
        listener.failed(reports);
      } catch (RuntimeException suppressed) {
        LOG.warn("a commit listener failed after a failed write: {}", suppressed.getMessage(), suppressed);
      }
      StoreException failure =
          e instanceof StoreException ? (StoreException) e : new StoreException(e.getMessage(), e);
      acknowledge(
          () -> {
            for (Pending p : done) {
              p.done().completeExceptionally(failure);
            }
          });
      return;
    }
    long nanos = System.nanoTime() - start;
    // The listener hears of a commit before any of its reports is acknowledged, both on the
    // acknowledging thread (in commit order), so the writer thread starts the next batch now.
    List<AgentReport> parsedList = Arrays.asList(parsed);
    acknowledge(
        () -> {
          try {
            listener.committed(results, parsedList, nanos);
          } catch (RuntimeException e) {
            LOG.warn("a commit listener failed: {}", e.getMessage(), e);
          }
          for (int i = 0; i < done.size(); i++) {
            done.get(i).done().complete(results.get(i));
          }
        });
  }

  /** Runs this on the acknowledging thread, waiting while too many batches are in flight there. */
  private void acknowledge(Runnable task) {
    inFlight.acquireUninterruptibly();
    try {
      completer.execute(
          () -> {
            try {
              task.run();
            } finally {
              inFlight.release();
            }
          });
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  /** Writes everything already queued, then stops the thread (waits up to 30 s). */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(30_000);
      completer.shutdown();
      completer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
