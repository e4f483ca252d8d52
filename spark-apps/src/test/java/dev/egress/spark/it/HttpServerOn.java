package dev.egress.spark.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** An HTTP server on one loopback address (in the test JVM, not under the agent); records paths. */
final class HttpServerOn implements AutoCloseable {
  final HttpServer server;
  final List<String> paths = new CopyOnWriteArrayList<>();

  HttpServerOn(String address) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String path = ex.getRequestURI().getPath();
            paths.add(path);
            byte[] body = ("object " + path).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
        });
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

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
