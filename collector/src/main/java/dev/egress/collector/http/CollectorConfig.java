package dev.egress.collector.http;

import dev.egress.collector.store.Database;
import java.net.InetAddress;
import java.nio.file.Path;

/** Everything {@code serve} is started with. */
public record CollectorConfig(
    InetAddress bind,
    int port,
    Path db,
    Path policies,
    Path tokens,
    Database.Sync sync,
    long maxBodyBytes,
    long maxDecodedBytes,
    int maxRecords,
    int threads,
    long rescanMillis) {

  public static final long DEFAULT_MAX_BODY = 8L * 1024 * 1024;
  public static final long DEFAULT_MAX_DECODED = 32L * 1024 * 1024;
  public static final int DEFAULT_MAX_RECORDS = 10_000;

  /** Defaults for everything but the addresses and files. */
  public static CollectorConfig of(
      InetAddress bind, int port, Path db, Path policies, Path tokens) {
    return new CollectorConfig(
        bind,
        port,
        db,
        policies,
        tokens,
        Database.Sync.FULL,
        DEFAULT_MAX_BODY,
        DEFAULT_MAX_DECODED,
        DEFAULT_MAX_RECORDS,
        16,
        30_000);
  }

  public CollectorConfig withRescanMillis(long millis) {
    return new CollectorConfig(
        bind,
        port,
        db,
        policies,
        tokens,
        sync,
        maxBodyBytes,
        maxDecodedBytes,
        maxRecords,
        threads,
        millis);
  }

  public CollectorConfig withSync(Database.Sync s) {
    return new CollectorConfig(
        bind,
        port,
        db,
        policies,
        tokens,
        s,
        maxBodyBytes,
        maxDecodedBytes,
        maxRecords,
        threads,
        rescanMillis);
  }

  public CollectorConfig withLimits(long maxBody, long maxDecoded, int records) {
    return new CollectorConfig(
        bind,
        port,
        db,
        policies,
        tokens,
        sync,
        maxBody,
        maxDecoded,
        records,
        threads,
        rescanMillis);
  }
}
