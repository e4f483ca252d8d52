package dev.egress.collector;

import dev.egress.collector.http.CollectorConfig;
import dev.egress.collector.http.CollectorServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * A real collector on an ephemeral loopback port, with its files in a temporary directory, and a
 * client.
 */
public final class CollectorFixture implements AutoCloseable {
  public static final String ADMIN = "admin-token-0123456789";
  public static final String WS1234 = "ws1234-token-0123456789";
  public static final String WS5678 = "ws5678-token-0123456789";

  public final Path dir;
  public final Path db;
  public final Path policies;
  public final Path tokens;
  public final CollectorServer server;
  public final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public CollectorFixture(Path dir) throws Exception {
    this(dir, c -> c);
  }

  public CollectorFixture(Path dir, UnaryOperator<CollectorConfig> tweak) throws Exception {
    this.dir = dir;
    this.db = dir.resolve("data/collector.db");
    this.policies = Files.createDirectories(dir.resolve("policies"));
    this.tokens = writeTokens(dir);
    CollectorConfig config =
        CollectorConfig.of(InetAddress.getLoopbackAddress(), 0, db, policies, tokens);
    server = CollectorServer.start(tweak.apply(config));
  }

  public static Path writeTokens(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("tokens.json"),
        "{\""
            + ADMIN
            + "\": \"*\", \""
            + WS1234
            + "\": [1234],"
            + " \""
            + WS5678
            + "\": [5678, 9999]}");
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  public HttpResponse<String> post(String token, String body) throws Exception {
    return post(token, body.getBytes(StandardCharsets.UTF_8), false);
  }

  public HttpResponse<String> post(String token, byte[] body, boolean gzip) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/v1/violations"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzip ? gzip(body) : body));
    if (gzip) {
      b.header("Content-Encoding", "gzip");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String token, String pathAndQuery, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(body);
    }
    return out.toByteArray();
  }

  public long rows() throws Exception {
    return server.store().count();
  }

  @Override
  public void close() {
    server.close();
  }
}
