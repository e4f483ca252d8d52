package dev.egress.collector.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/**
 * The SQLite file: its schema and how connections to it are opened.
 *
 * <p>Durability: {@code journal_mode=WAL} with {@code synchronous=FULL} by default, so every commit
 * fsyncs the WAL before the collector answers 200: an acknowledged batch survives a crash of the
 * process and of the machine. The cost (one fsync per transaction) is paid once per group of
 * batches because a single writer thread commits everything that queued up while the previous fsync
 * ran (see {@link BatchWriter}). {@code NORMAL} is offered for disks where fsync is slow: in WAL
 * mode it still survives {@code kill -9} of the collector (the WAL is in the OS page cache), only a
 * power loss can lose the last transactions.
 */
public final class Database {
  public enum Sync {
    FULL,
    NORMAL
  }

  static final String TABLE = "outbound_network";

  /** Column order of inserts and selects; {@link Rows} binds and reads in this order. */
  static final String COLUMNS =
      "event_id, event_time, event_time_ms, account_id, workspace_id, network_policy_id,"
          + " destination_type, destination, dns_event_domain_name, dns_event_rcode, ip_event_ip_address,"
          + " storage_event_hostname, storage_event_path, storage_event_rejection_reason, access_type,"
          + " network_source_type, port, protocol, reason, caller_class, caller_method, caller_line,"
          + " caller_code_source, caller_user_code, process_pid, process_host, process_jvm_role,"
          + " process_spark_app_id, process_spark_executor_id, count, received_at";

  /*
   * Why the key is (event_time_ms, event_id) and not event_id alone: event ids are random UUIDs, and a unique
   * index on a random key dirties about one index page per inserted row once the table is larger than a
   * transaction, so every row costs a 4 KiB page write to the WAL and again at checkpoint. Measured on the
   * development machine: 25-40 us per row and falling as the table grows, against a flat 7 us with the key
   * prefixed by the event time, which is nearly append-only. Deduplication is unchanged: a re-sent record
   * carries the same event_id AND the same event_time (the agent spools whole records), so it hits the key
   * and is ignored. The same index serves the keyset paging of admin queries.
   */
  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS "
        + TABLE
        + " ("
        + " event_id TEXT NOT NULL,"
        + " event_time TEXT NOT NULL,"
        + " event_time_ms INTEGER NOT NULL,"
        + " account_id TEXT, workspace_id INTEGER, network_policy_id TEXT,"
        + " destination_type TEXT NOT NULL, destination TEXT NOT NULL,"
        + " dns_event_domain_name TEXT, dns_event_rcode INTEGER, ip_event_ip_address TEXT,"
        + " storage_event_hostname TEXT, storage_event_path TEXT, storage_event_rejection_reason TEXT,"
        + " access_type TEXT NOT NULL, network_source_type TEXT, port INTEGER, protocol TEXT, reason TEXT NOT NULL,"
        + " caller_class TEXT, caller_method TEXT, caller_line INTEGER, caller_code_source TEXT,"
        + " caller_user_code INTEGER,"
        + " process_pid INTEGER, process_host TEXT, process_jvm_role TEXT, process_spark_app_id TEXT,"
        + " process_spark_executor_id TEXT,"
        + " count INTEGER NOT NULL, received_at INTEGER NOT NULL,"
        + " PRIMARY KEY (event_time_ms, event_id))", // INSERT OR IGNORE: a re-sent record is not
    // stored twice
    // Keyset paging of one workspace: the common query, and every query of a scoped token.
    "CREATE INDEX IF NOT EXISTS outbound_network_ws_time ON "
        + TABLE
        + " (workspace_id, event_time_ms, event_id)",
    // No index by destination: one costs as much as the rest of an insert (a random key again).
    // Destination
    // filters and summaries scan the time window the other indexes select; give from/to on large
    // tables.
  };

  private final Path file;
  private final Sync sync;

  public Database(Path file, Sync sync) throws SQLException {
    this.file = file.toAbsolutePath();
    this.sync = sync;
    try {
      Path parent = this.file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new SQLException(
          "cannot create the directory of " + this.file + ": " + e.getMessage(), e);
    }
    try (Connection c = openWriter();
        Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
    }
  }

  public Path file() {
    return file;
  }

  /** The one connection that writes; see the class comment for the pragmas. */
  Connection openWriter() throws SQLException {
    Connection c = open();
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=" + sync.name().toUpperCase(Locale.ROOT));
      s.execute("PRAGMA cache_size=-65536"); // 64 MiB: the indexes of recent rows stay in memory
      s.execute("PRAGMA temp_store=MEMORY");
      // Checkpoint every 64 MiB of WAL instead of 4 MiB: a page changed by many commits is copied
      // into the
      // database once per checkpoint, and each checkpoint costs an fsync of the database file.
      s.execute("PRAGMA wal_autocheckpoint=16384");
    }
    return c;
  }

  /** A connection for queries: in WAL mode readers never block the writer, nor it them. */
  Connection openReader() throws SQLException {
    Connection c = open();
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA query_only=1");
    }
    return c;
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("busy_timeout", "10000");
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, p);
    return c;
  }
}
