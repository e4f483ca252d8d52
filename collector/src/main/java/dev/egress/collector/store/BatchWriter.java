package dev.egress.collector.store;

import dev.egress.collector.record.ViolationRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to the database. HTTP threads hand it whole batches and wait; it
 * takes every batch that queued up while it was committing the previous group and stores them in
 * ONE transaction (group commit). SQLite allows one writer at a time and pays an fsync per commit,
 * so this is how it reaches tens of thousands of rows a second with {@code synchronous=FULL}: the
 * fsync is shared by all waiting batches. A batch's future completes only after its transaction
 * committed, which is when the collector may say 200.
 */
public final class BatchWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  /**
   * Stop adding batches to a transaction beyond this many rows, so that a commit never waits very
   * long.
   */
  private static final int MAX_ROWS_PER_TRANSACTION = 50_000;

  private static final String INSERT =
      "INSERT OR IGNORE INTO "
          + Database.TABLE
          + " ("
          + Database.COLUMNS
          + ") VALUES ("
          + "?,".repeat(Rows.COLUMN_COUNT - 1)
          + "?)";

  /** How many rows of a batch were new, and how many were already stored (a re-sent batch). */
  public record Result(int accepted, int duplicates) {}

  /** The queue is full: the disk cannot keep up. The sender should retry later (HTTP 503). */
  public static final class OverloadedException extends Exception {
    private static final long serialVersionUID = 1L;

    OverloadedException(String message) {
      super(message);
    }
  }

  private record Pending(List<ViolationRow> rows, CompletableFuture<Result> done) {}

  private final Connection connection;
  private final PreparedStatement insert;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  private volatile boolean closing;

  public BatchWriter(Database db, int queueCapacity) throws SQLException {
    this.connection = db.openWriter();
    this.insert = connection.prepareStatement(INSERT);
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.thread = new Thread(this::run, "collector-db-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a batch; the future completes when it is durably committed (or fails with the database's
   * error). Waits up to {@code waitMillis} for room in the queue.
   */
  public CompletableFuture<Result> submit(List<ViolationRow> rows, long waitMillis)
      throws OverloadedException, InterruptedException {
    if (closing) {
      throw new OverloadedException("the collector is shutting down");
    }
    Pending p = new Pending(rows, new CompletableFuture<>());
    if (!queue.offer(p, waitMillis, TimeUnit.MILLISECONDS)) {
      throw new OverloadedException("the database writer is " + queue.size() + " batches behind");
    }
    return p.done;
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (!closing || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        int rows = first.rows.size();
        Pending next;
        while (rows < MAX_ROWS_PER_TRANSACTION && (next = queue.poll()) != null) {
          group.add(next);
          rows += next.rows.size();
        }
        commit(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("database writer: unexpected error, failing {} batches", group.size(), e);
        group.forEach(p -> p.done.completeExceptionally(e));
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Pending> group) {
    List<Result> results = new ArrayList<>(group.size());
    try {
      connection.setAutoCommit(false);
      for (Pending p : group) {
        for (ViolationRow r : p.rows) {
          Rows.bind(insert, r);
          insert.addBatch();
        }
        // One JDBC batch per HTTP batch: the driver binds and steps every row under one lock, and
        // says per row
        // whether it was inserted (1) or ignored as already stored (0).
        int accepted = 0;
        for (int n : insert.executeBatch()) {
          accepted += n;
        }
        results.add(new Result(accepted, p.rows.size() - accepted));
      }
      connection.commit();
    } catch (SQLException e) {
      LOG.error(
          "database writer: transaction of {} batches failed; none of them is stored",
          group.size(),
          e);
      try {
        connection.rollback();
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      group.forEach(p -> p.done.completeExceptionally(e));
      return;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the next transaction will report the connection's state
      }
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done.complete(results.get(i));
    }
  }

  /** Stores what is queued, then stops. */
  @Override
  public void close() throws SQLException {
    closing = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    insert.close();
    connection.close();
  }
}
