package dev.egress.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch acknowledged with 200 survives {@code kill -9} of the collector: the collector runs as a
 * separate JVM, batches are posted while it is killed, and after a restart every acknowledged
 * record is there.
 */
class KillDurabilityTest {
  @TempDir Path dir;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void acknowledgedBatchesSurviveKill9() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("account.json"), Policies.account(1234, true));
    CollectorFixture.writeTokens(dir);
    Path db = dir.resolve("collector.db");

    Process p = startCollector(db);
    int port = port(p);
    Set<String> acked = new HashSet<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread sender =
        new Thread(
            () -> {
              int i = 0;
              while (!stop.get()) {
                List<ObjectNode> batch = new ArrayList<>();
                for (int j = 0; j < 200; j++) {
                  batch.add(
                      TestRecords.dns(
                          1234, "h" + (i++) + ".example.com", "2025-01-31T10:00:00.000Z"));
                }
                try {
                  if (post(port, TestRecords.ndjson(batch)).statusCode() == 200) {
                    synchronized (acked) {
                      batch.forEach(r -> acked.add(r.get("event_id").asText()));
                    }
                  }
                } catch (Exception e) {
                  return; // the collector is gone
                }
              }
            });
    sender.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (size(acked) < 2_000 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
    stop.set(true);
    sender.join(30_000);
    int ackedCount = size(acked);
    assertTrue(ackedCount >= 2_000, "acked " + ackedCount);

    Process again = startCollector(db);
    try {
      int port2 = port(again);
      Set<String> stored = new HashSet<>();
      String token = null;
      do {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port2
                                + "/v1/violations?limit=10000"
                                + (token == null ? "" : "&page_token=" + token)))
                    .header("Authorization", "Bearer " + CollectorFixture.ADMIN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode n : TestRecords.JSON.readTree(r.body())) {
          stored.add(n.get("event_id").asText());
        }
        token = r.headers().firstValue("Next-Page-Token").orElse(null);
      } while (token != null);
      synchronized (acked) {
        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, lost.size() + " acknowledged records lost of " + acked.size());
      }
    } finally {
      again.destroy();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int size(Set<String> s) {
    synchronized (s) {
      return s.size();
    }
  }

  private HttpResponse<String> post(int port, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/violations"))
            .header("Authorization", "Bearer " + CollectorFixture.WS1234)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code java -jar target/egress-collector.jar serve ...} when the jar is built and up to date
   * (after {@code mvn package}); otherwise the same main class on the test class path ({@code mvn
   * test} runs before the jar is built).
   */
  private Process startCollector(Path db) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m"));
    Path jar = Paths.get("target", "egress-collector.jar");
    if (Files.exists(jar) && Files.getLastModifiedTime(jar).compareTo(newestClass()) >= 0) {
      cmd.addAll(List.of("-jar", jar.toString()));
    } else {
      cmd.addAll(
          List.of("-cp", System.getProperty("java.class.path"), "dev.egress.collector.Main"));
    }
    cmd.addAll(
        List.of(
            "serve",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            db.toString(),
            "--policies",
            dir.resolve("policies").toString(),
            "--tokens",
            dir.resolve("tokens.json").toString()));
    System.out.println(
        "kill -9 test starts the collector with: "
            + (cmd.contains("-jar")
                ? "java -jar " + jar
                : "java -cp <test class path> dev.egress.collector.Main"));
    return new ProcessBuilder(cmd)
        .redirectError(dir.resolve("collector-stderr.log").toFile())
        .directory(new File("."))
        .start();
  }

  /** The newest compiled class: a jar older than it is stale. */
  private static java.nio.file.attribute.FileTime newestClass() throws Exception {
    try (var files = Files.walk(Paths.get("target", "classes"))) {
      return files
          .filter(Files::isRegularFile)
          .map(
              f -> {
                try {
                  return Files.getLastModifiedTime(f);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .max(java.nio.file.attribute.FileTime::compareTo)
          .orElseThrow();
    }
  }

  /** The port from the collector's "listening on 127.0.0.1:PORT" line. */
  private int port(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      throw new AssertionError(
          "collector did not start: " + Files.readString(dir.resolve("collector-stderr.log")));
    }
    assertTrue(line.contains("listening on"), line);
    return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
  }
}
