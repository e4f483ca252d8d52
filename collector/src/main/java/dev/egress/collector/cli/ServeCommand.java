package dev.egress.collector.cli;

import dev.egress.collector.http.CollectorConfig;
import dev.egress.collector.http.CollectorServer;
import dev.egress.collector.store.Database;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the collector until it is stopped (SIGTERM commits what is queued first). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the collector: ingest violation batches, answer queries, serve policy documents.")
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8470",
      description = "TCP port (default ${DEFAULT-VALUE}; 0: any).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 127.0.0.1 for local only).")
  String bind;

  @Option(
      names = "--db",
      required = true,
      description = "SQLite database file (created if absent).")
  Path db;

  @Option(
      names = "--policies",
      required = true,
      description = "Directory of policy-set JSON files.")
  Path policies;

  @Option(
      names = "--tokens",
      required = true,
      description = "Tokens file: {\"<token>\": [workspace ids] | \"*\"}.")
  Path tokens;

  @Option(
      names = "--synchronous",
      defaultValue = "FULL",
      description =
          "SQLite synchronous mode: FULL (fsync every commit; survives power loss) or NORMAL"
              + " (survives a process crash only). Default ${DEFAULT-VALUE}.")
  Database.Sync sync;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "8388608",
      description = "Largest request body on the wire.")
  long maxBody;

  @Option(
      names = "--max-decoded-bytes",
      defaultValue = "33554432",
      description = "Largest body after gzip decompression.")
  long maxDecoded;

  @Option(
      names = "--max-records",
      defaultValue = "10000",
      description = "Most records in one batch.")
  int maxRecords;

  @Option(
      names = "--threads",
      defaultValue = "16",
      description =
          "HTTP worker threads; a batch holds one until it is committed, and more batches waiting"
              + " make bigger group commits. Default ${DEFAULT-VALUE}.")
  int threads;

  @Option(
      names = "--policy-rescan-seconds",
      defaultValue = "30",
      description =
          "Periodic rescan of the policy directory and tokens file, besides the file watcher.")
  long rescanSeconds;

  @Override
  public Integer call() throws Exception {
    CollectorConfig config =
        new CollectorConfig(
            InetAddress.getByName(bind),
            port,
            db,
            policies,
            tokens,
            sync,
            maxBody,
            maxDecoded,
            maxRecords,
            threads,
            rescanSeconds * 1000);
    CollectorServer server = CollectorServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "collector-shutdown"));
    System.out.println("egress collector listening on " + bind + ":" + server.port());
    new CountDownLatch(1).await(); // until SIGTERM/SIGINT: the shutdown hook then closes the server
    return 0;
  }
}
