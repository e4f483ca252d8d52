package dev.egress.collector.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few read-only connections shared by the query threads. A SQLite connection must not be used by
 * two threads at once, and opening one per request would cost more than most queries.
 */
public final class ReadPool implements AutoCloseable {
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final BlockingQueue<Connection> idle;

  public ReadPool(Database db, int size) throws SQLException {
    idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      idle.add(db.openReader());
    }
  }

  public <T> T with(Work<T> work) throws SQLException {
    Connection c;
    try {
      c = idle.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", e);
    }
    if (c == null) {
      throw new SQLException("no database connection free for 30 s: too many concurrent queries");
    }
    try {
      return work.run(c);
    } finally {
      idle.add(c);
    }
  }

  @Override
  public void close() throws SQLException {
    Connection c;
    while ((c = idle.poll()) != null) {
      c.close();
    }
  }
}
