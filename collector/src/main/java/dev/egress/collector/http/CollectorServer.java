package dev.egress.collector.http;

import com.sun.net.httpserver.HttpServer;
import dev.egress.collector.auth.TokenFile;
import dev.egress.collector.policy.DirectoryWatcher;
import dev.egress.collector.policy.PolicyDirectory;
import dev.egress.collector.store.BatchWriter;
import dev.egress.collector.store.Database;
import dev.egress.collector.store.ReadPool;
import dev.egress.collector.store.ViolationStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The collector: the database, the policy directory and the HTTP endpoints, wired together. */
public final class CollectorServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorServer.class);

  private final HttpServer http;
  private final ExecutorService executor;
  private final BatchWriter writer;
  private final ReadPool readers;
  private final DirectoryWatcher watcher;
  private final ViolationStore store;
  private final PolicyDirectory policies;

  private CollectorServer(
      HttpServer http,
      ExecutorService executor,
      BatchWriter writer,
      ReadPool readers,
      DirectoryWatcher watcher,
      ViolationStore store,
      PolicyDirectory policies) {
    this.http = http;
    this.executor = executor;
    this.writer = writer;
    this.readers = readers;
    this.watcher = watcher;
    this.store = store;
    this.policies = policies;
  }

  public static CollectorServer start(CollectorConfig config) throws IOException, SQLException {
    if (!Files.isDirectory(config.policies())) {
      throw new IOException(
          "policy directory " + config.policies() + " does not exist or is not a directory");
    }
    TokenFile tokens = new TokenFile(config.tokens());
    Database db = new Database(config.db(), config.sync());
    BatchWriter writer = new BatchWriter(db, 256);
    ReadPool readers = new ReadPool(db, 4);
    ViolationStore store = new ViolationStore(readers);
    PolicyDirectory policies = new PolicyDirectory(config.policies());
    policies.rescan();
    DirectoryWatcher watcher =
        new DirectoryWatcher(
            config.policies(),
            () -> {
              policies.rescan();
              tokens.reloadIfChanged();
            },
            config.rescanMillis());

    Authenticator auth = new Authenticator(tokens);
    HttpServer http = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 1024);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            config.threads(),
            r -> {
              Thread t = new Thread(r, "collector-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(executor);
    BodyReader bodies = new BodyReader(config.maxBodyBytes(), config.maxDecodedBytes());
    http.createContext(
        "/v1/violations",
        new ViolationsEndpoint(
            new IngestHandler(auth, bodies, config.maxRecords(), writer),
            new QueryHandler(auth, store)));
    http.createContext("/v1/summary", new SummaryHandler(auth, store));
    PolicyHandler policy = new PolicyHandler(auth, policies);
    http.createContext("/v1/policy", policy);
    http.createContext("/v1/workspaces/", policy);
    http.createContext("/v1/policy/status", new PolicyStatusHandler(auth, policies));
    http.createContext("/healthz", new HealthHandler(store));
    http.createContext(
        "/",
        new ApiHandler() {
          @Override
          protected void serve(com.sun.net.httpserver.HttpExchange ex) throws ApiException {
            throw new ApiException(
                404, "not_found", "no such endpoint: " + ex.getRequestURI().getPath());
          }
        });
    http.start();
    LOG.info(
        "collector listening on {}:{}, database {} (synchronous={}), policies {}",
        config.bind().getHostAddress(),
        http.getAddress().getPort(),
        db.file(),
        config.sync(),
        config.policies());
    return new CollectorServer(http, executor, writer, readers, watcher, store, policies);
  }

  /** The port actually bound (for port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  public ViolationStore store() {
    return store;
  }

  public PolicyDirectory policies() {
    return policies;
  }

  /** Stops taking requests, lets running ones finish, then commits what is queued. */
  @Override
  public void close() {
    http.stop(1);
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      watcher.close();
    } catch (IOException e) {
      LOG.warn("closing the policy watcher: {}", e.toString());
    }
    try {
      writer.close();
      readers.close();
    } catch (SQLException e) {
      LOG.warn("closing the database: {}", e.toString());
    }
    LOG.info("collector stopped");
  }
}
