package dev.egress.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP server on one loopback address: {@code /} answers 200 {@code hello from <address>};
 * {@code /redirect?to=<url>} answers 302 to that URL. Counts the requests it served.
 */
public final class HttpTestServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final String address;

  private HttpTestServer(String address) throws IOException {
    this.address = address;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
    server.createContext("/", this::handle);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "http-" + address);
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  public static HttpTestServer start(String address) {
    try {
      return new HttpTestServer(address);
    } catch (IOException e) {
      throw new RuntimeException("cannot bind " + address, e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getRawQuery();
      if (path.equals("/redirect") && query != null && query.startsWith("to=")) {
        ex.getResponseHeaders()
            .add("Location", URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8));
        ex.getResponseHeaders().add("Connection", "close");
        ex.sendResponseHeaders(302, -1);
        return;
      }
      byte[] body = ("hello from " + address).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Connection", "close");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port/path} with {@code host} as given (a name or an address). */
  public String url(String host, String path) {
    return "http://" + host + ":" + port() + path;
  }

  /** Requests served so far, after a short quiet period for requests still in flight. */
  public int requests() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
