package dev.egress.testapps.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake cloud storage on loopback, plain HTTP, started inside the workload's own JVM.
 *
 * <p>Why in-process: the storage tests run their child JVM in a loopback-only network namespace
 * ({@code unshare --net}), whose loopback is not the test JVM's, so a server in the test JVM would
 * be out of reach. A server here accepts connections only (it never connects), so the agent is not
 * involved; it counts what it served and {@link #printServed()} prints one {@code SERVED} line per
 * host and path, which the tests read to prove that a denied request never arrived.
 *
 * <p>Every name of the hosts file ({@code -Djdk.net.hosts.file}) that ends in {@code
 * .core.windows.net} or {@code .amazonaws.com} gets a server on its address and {@link #port()}.
 * The protocol is only what the SDKs need to succeed:
 *
 * <ul>
 *   <li>Azure Blob ({@code <account>.blob|dfs.core.windows.net/<container>/<blob>}): GET (whole or
 *       {@code x-ms-range}/{@code Range}) answers the blob with {@code x-ms-blob-type: BlockBlob};
 *       PUT answers 201; HEAD answers the properties.
 *   <li>S3 (virtual-hosted {@code <bucket>.s3.us-west-2.amazonaws.com/<key>} and path-style {@code
 *       s3.us-west-2.amazonaws.com/<bucket>/<key>}): GET answers the object, PUT answers 200 with
 *       an ETag, HEAD the properties.
 * </ul>
 *
 * The content of every object is {@code hello from <host><path>}.
 */
public final class FakeStorage implements AutoCloseable {
  private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME;

  private final int port;
  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor;
  private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

  private FakeStorage(int port) {
    this.port = port;
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "fake-storage");
              t.setDaemon(true);
              return t;
            });
  }

  /** The port of every fake server: {@code -Dfake.storage.port}, default 80 (the netns is ours). */
  public static int configuredPort() {
    return Integer.getInteger("fake.storage.port", 80);
  }

  /** Starts one server per storage address of the hosts file. */
  public static FakeStorage start() throws IOException {
    FakeStorage s = new FakeStorage(configuredPort());
    for (Map.Entry<String, List<String>> e : storageAddresses().entrySet()) {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(e.getKey()), s.port), 50);
      server.createContext("/", s::handle);
      server.setExecutor(s.executor);
      server.start();
      s.servers.add(server);
    }
    return s;
  }

  /** address → storage names, from the hosts file the JVM resolves from. */
  static Map<String, List<String>> storageAddresses() throws IOException {
    String file = System.getProperty("jdk.net.hosts.file");
    Map<String, List<String>> map = new LinkedHashMap<>();
    if (file == null) {
      return map;
    }
    for (String line : Files.readAllLines(Path.of(file))) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+");
      for (int i = 1; i < parts.length; i++) {
        String n = parts[i].toLowerCase();
        if (n.endsWith(".core.windows.net") || n.endsWith(".amazonaws.com")) {
          map.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(n);
        }
      }
    }
    return map;
  }

  public int port() {
    return port;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String host = ex.getRequestHeaders().getFirst("Host");
      if (host == null) {
        host = ex.getLocalAddress().getAddress().getHostAddress();
      }
      int colon = host.lastIndexOf(':');
      if (colon > 0 && host.indexOf(']') < colon) {
        host = host.substring(0, colon);
      }
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      served
          .computeIfAbsent(method + " " + host + " " + path, k -> new AtomicInteger())
          .incrementAndGet();
      try (InputStream in = ex.getRequestBody()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      boolean azure = host.endsWith(".core.windows.net");
      byte[] body = ("hello from " + host + path).getBytes(StandardCharsets.UTF_8);
      var h = ex.getResponseHeaders();
      String now = RFC1123.format(ZonedDateTime.now(ZoneOffset.UTC));
      h.add("Date", now);
      h.add("ETag", "\"0x8D0FAKE" + Integer.toHexString(body.length) + "\"");
      h.add("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
      if (azure) {
        h.add("x-ms-request-id", UUID.randomUUID().toString());
        h.add("x-ms-version", "2025-01-05");
      } else {
        h.add("x-amz-request-id", "FAKE" + Long.toHexString(System.nanoTime()));
        h.add("x-amz-id-2", "fake");
      }
      switch (method) {
        case "PUT":
          if (azure) {
            h.add("x-ms-request-server-encrypted", "true");
            ex.sendResponseHeaders(201, -1);
          } else {
            ex.sendResponseHeaders(200, -1);
          }
          return;
        case "HEAD":
          h.add("Content-Type", "application/octet-stream");
          h.add("Content-Length", Integer.toString(body.length));
          if (azure) {
            h.add("x-ms-blob-type", "BlockBlob");
          }
          ex.sendResponseHeaders(200, -1);
          return;
        case "GET":
          h.add("Content-Type", "application/octet-stream");
          if (azure) {
            h.add("x-ms-blob-type", "BlockBlob");
            h.add("x-ms-creation-time", "Mon, 01 Jan 2024 00:00:00 GMT");
          }
          String range = ex.getRequestHeaders().getFirst("x-ms-range");
          if (range == null) {
            range = ex.getRequestHeaders().getFirst("Range");
          }
          if (range != null && range.startsWith("bytes=")) {
            String[] se = range.substring(6).split("-", -1);
            int start = Integer.parseInt(se[0]);
            int end =
                se.length > 1 && !se[1].isEmpty()
                    ? Math.min(Integer.parseInt(se[1]), body.length - 1)
                    : body.length - 1;
            byte[] part = java.util.Arrays.copyOfRange(body, start, end + 1);
            h.add("Content-Range", "bytes " + start + "-" + end + "/" + body.length);
            ex.sendResponseHeaders(206, part.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(part);
            }
            return;
          }
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
          return;
        default:
          ex.sendResponseHeaders(200, -1);
      }
    }
  }

  /** One {@code SERVED <method> <host> <path> <count>} line per request kind served. */
  public void printServed() {
    new TreeMap<>(served).forEach((k, v) -> System.out.println("SERVED " + k + " " + v.get()));
    // which transports ran (reactor-http-epoll, aws-java-sdk-NettyEventLoop, …), numbers stripped
    System.out.println(
        "THREADS "
            + Thread.getAllStackTraces().keySet().stream()
                .map(t -> t.getName().replaceAll("[-_]?\\d+", ""))
                .distinct()
                .sorted()
                .collect(java.util.stream.Collectors.joining(",")));
    System.out.flush();
  }

  @Override
  public void close() {
    for (HttpServer s : servers) {
      s.stop(0);
    }
    executor.shutdownNow();
  }
}
