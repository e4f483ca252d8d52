package dev.egress.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real collector ({@code collector/target/egress-collector.jar}) as a separate process on a
 * loopback port, with its SQLite file, policy directory and tokens file in a test directory; it can
 * be killed with SIGKILL and started again on the same files.
 */
final class CollectorProcess implements AutoCloseable {
  static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
  static final String WS1234_TOKEN = "ws1234-token-0123456789abcdef";
  static final String WS5678_TOKEN = "ws5678-token-0123456789abcdef";

  private static final Path JAR =
      Path.of(
          System.getProperty("egress.collector.jar", "../collector/target/egress-collector.jar"));

  final Path dir;
  final Path policies;
  final int port;
  private Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private CollectorProcess(Path dir, int port) throws IOException {
    this.dir = dir;
    this.policies = Files.createDirectories(dir.resolve("policies"));
    this.port = port;
    Files.writeString(
        dir.resolve("tokens.json"),
        "{\""
            + ADMIN_TOKEN
            + "\": \"*\", \""
            + WS1234_TOKEN
            + "\": [1234], \""
            + WS5678_TOKEN
            + "\": [5678]}");
  }

  static CollectorProcess create(Path dir) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return new CollectorProcess(dir, s.getLocalPort());
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  CollectorProcess start() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(
        List.of(
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--db",
            dir.resolve("collector.db").toString(),
            "--policies",
            policies.toString(),
            "--tokens",
            dir.resolve("tokens.json").toString(),
            "--policy-rescan-seconds",
            "1"));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("collector.out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "collector exited: " + Files.readString(dir.resolve("collector.out")));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create(url() + "/healthz").toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "collector did not start: " + Files.readString(dir.resolve("collector.out")));
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** The event ids of every stored record (admin view). */
  List<String> eventIds() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + "/v1/violations?limit=10000&format=ndjson"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("query failed: " + r.statusCode() + " " + r.body());
    }
    List<String> ids = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        ids.add(AgentJvm.JSON.readTree(line).path("event_id").asText());
      }
    }
    return ids;
  }

  /** Waits until {@code n} records are stored, or the timeout passes; returns the ids. */
  List<String> awaitRecords(int n, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> ids = eventIds();
    while (ids.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(200);
      ids = eventIds();
    }
    return ids;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
