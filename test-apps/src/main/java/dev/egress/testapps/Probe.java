package dev.egress.testapps;

import static dev.egress.testapps.ResultLines.attempt;
import static dev.egress.testapps.ResultLines.oneLine;
import static dev.egress.testapps.ResultLines.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A plain client program: performs the network actions named by its arguments, in order, and prints
 * exactly one machine-readable line per attempted operation:
 *
 * <pre>
 * RESULT &lt;label&gt; OK &lt;detail&gt;
 * RESULT &lt;label&gt; DENIED top=&lt;class&gt; egress=&lt;class&gt; types=&lt;JDK types&gt; msg=&lt;message&gt;
 * RESULT &lt;label&gt; ERROR top=&lt;class&gt; egress=- types=&lt;JDK types&gt; msg=&lt;message&gt;
 * </pre>
 *
 * DENIED means the throwable or one of its causes has a message starting with {@code Egress
 * denied}; {@code egress} is the class of the deepest such throwable, {@code types} the JDK
 * exception types it (or, for ERROR, the top-level throwable) is an instance of, and {@code msg}
 * its message.
 *
 * <p>Actions ({@code host} may be a name, an IP literal or {@code [v6]}): socket, socket-ctor,
 * channel, async, udp-send, udp-channel-send, udp-connect, udp-channel-connect (all {@code
 * :host:port}); httpclient, httpclient-async, urlconn ({@code :url}); lookup ({@code :name});
 * forged ({@code :name:ip:port}); sleep ({@code :millis}).
 */
public final class Probe {
  private static final int TIMEOUT_MS = 3000;

  private Probe() {}

  public static void main(String[] args) {
    for (String arg : args) {
      try {
        dispatch(arg);
      } catch (Throwable t) {
        report(arg, t);
      }
    }
    System.out.flush();
  }

  private static void dispatch(String arg) throws Throwable {
    int colon = arg.indexOf(':');
    String kind = colon < 0 ? arg : arg.substring(0, colon);
    String rest = colon < 0 ? "" : arg.substring(colon + 1);
    switch (kind) {
      case "socket":
        attempt(arg, () -> socket(hostOf(rest), portOf(rest)));
        break;
      case "socket-ctor":
        socketConstructors(arg, hostOf(rest), portOf(rest));
        break;
      case "channel":
        attempt("channel-open:" + rest, () -> channelOpen(hostOf(rest), portOf(rest)));
        attempt("channel-connect:" + rest, () -> channelConnect(hostOf(rest), portOf(rest)));
        break;
      case "async":
        attempt("async-future:" + rest, () -> asyncFuture(hostOf(rest), portOf(rest)));
        attempt("async-handler:" + rest, () -> asyncHandler(hostOf(rest), portOf(rest)));
        break;
      case "httpclient":
        attempt(arg, () -> httpClient(rest, false));
        break;
      case "httpclient-async":
        attempt(arg, () -> httpClient(rest, true));
        break;
      case "urlconn":
        attempt(arg, () -> urlConnection(rest));
        break;
      case "udp-send":
        attempt(arg, () -> udpSend(arg, hostOf(rest), portOf(rest)));
        break;
      case "udp-channel-send":
        attempt(arg, () -> udpChannelSend(arg, hostOf(rest), portOf(rest)));
        break;
      case "udp-connect":
        attempt(arg, () -> udpConnect(arg, hostOf(rest), portOf(rest)));
        break;
      case "udp-channel-connect":
        attempt(arg, () -> udpChannelConnect(arg, hostOf(rest), portOf(rest)));
        break;
      case "lookup":
        attempt(arg, () -> lookup(rest));
        break;
      case "forged":
        {
          int c = rest.indexOf(':');
          String name = rest.substring(0, c);
          String ipAndPort = rest.substring(c + 1);
          attempt(arg, () -> forged(name, hostOf(ipAndPort), portOf(ipAndPort)));
        }
        break;
      case "sleep":
        Thread.sleep(Long.parseLong(rest));
        break;
      default:
        System.out.println(
            "RESULT "
                + arg
                + " ERROR top=IllegalArgumentException egress=- types=- msg=unknown action");
    }
  }

  // --- TCP ---------------------------------------------------------------------------------------

  static String socket(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      return "connected " + s.getInetAddress().getHostAddress() + ":" + s.getPort();
    }
  }

  /** Every connecting constructor of java.net.Socket, one RESULT line each. */
  static void socketConstructors(String arg, String host, int port) {
    String rest = arg.substring(arg.indexOf(':') + 1);
    attempt(
        "socket-ctor[String,int]:" + rest,
        () -> {
          try (Socket s = new Socket(host, port)) {
            return "connected " + s.getInetAddress().getHostAddress();
          }
        });
    attempt(
        "socket-ctor[InetAddress,int]:" + rest,
        () -> {
          InetAddress a = InetAddress.getByName(host);
          try (Socket s = new Socket(a, port)) {
            return "connected " + s.getInetAddress().getHostAddress();
          }
        });
    attempt(
        "socket-ctor[String,int,InetAddress,int]:" + rest,
        () -> {
          try (Socket s = new Socket(host, port, InetAddress.getLoopbackAddress(), 0)) {
            return "connected " + s.getInetAddress().getHostAddress();
          }
        });
    attempt(
        "socket-ctor[InetAddress,int,InetAddress,int]:" + rest,
        () -> {
          InetAddress a = InetAddress.getByName(host);
          try (Socket s = new Socket(a, port, InetAddress.getLoopbackAddress(), 0)) {
            return "connected " + s.getInetAddress().getHostAddress();
          }
        });
  }

  static String channelOpen(String host, int port) throws IOException {
    try (SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port))) {
      return "connected " + ch.getRemoteAddress();
    }
  }

  static String channelConnect(String host, int port) throws IOException {
    try (SocketChannel ch = SocketChannel.open()) {
      ch.connect(new InetSocketAddress(host, port));
      return "connected " + ch.getRemoteAddress();
    }
  }

  static String asyncFuture(String host, int port) throws Throwable {
    try (AsynchronousSocketChannel ch = AsynchronousSocketChannel.open()) {
      try {
        ch.connect(new InetSocketAddress(host, port)).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() == null ? e : e.getCause();
      }
      return "connected " + ch.getRemoteAddress();
    }
  }

  static String asyncHandler(String host, int port) throws Throwable {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try (AsynchronousSocketChannel ch = AsynchronousSocketChannel.open()) {
      ch.connect(
          new InetSocketAddress(host, port),
          null,
          new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
              done.complete(null);
            }

            @Override
            public void failed(Throwable exc, Void attachment) {
              done.completeExceptionally(exc);
            }
          });
      try {
        done.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() == null ? e : e.getCause();
      }
      return "connected " + ch.getRemoteAddress();
    }
  }

  static String forged(String name, String ip, int port) throws IOException {
    byte[] bytes = InetAddress.getByName(ip).getAddress(); // an IP literal: no lookup
    InetAddress forged = InetAddress.getByAddress(name, bytes);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(forged, port), TIMEOUT_MS);
      return "connected " + s.getInetAddress().getHostAddress();
    }
  }

  // --- HTTP --------------------------------------------------------------------------------------

  static String httpClient(String url, boolean async) throws Throwable {
    // A new client per request: a new connection each time.
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(TIMEOUT_MS))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMillis(TIMEOUT_MS))
            .GET()
            .build();
    HttpResponse<String> response;
    if (async) {
      try {
        response =
            client
                .sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .get(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() == null ? e : e.getCause();
      }
    } else {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    }
    return "status=" + response.statusCode() + " body=" + oneLine(response.body());
  }

  static String urlConnection(String url) throws IOException {
    return urlConnection(url, null);
  }

  /** A GET through HttpURLConnection (through {@code proxy} unless null), redirects followed. */
  public static String urlConnection(String url, Proxy proxy) throws IOException {
    URL u = new URL(url);
    HttpURLConnection c =
        (HttpURLConnection) (proxy == null ? u.openConnection() : u.openConnection(proxy));
    c.setInstanceFollowRedirects(true);
    c.setUseCaches(false);
    c.setConnectTimeout(TIMEOUT_MS);
    c.setReadTimeout(TIMEOUT_MS);
    try {
      int code = c.getResponseCode();
      String body;
      try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
        body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return "status=" + code + " url=" + c.getURL() + " body=" + oneLine(body);
    } finally {
      c.disconnect();
    }
  }

  // --- UDP ---------------------------------------------------------------------------------------

  private static byte[] payload(String label) {
    return label.getBytes(StandardCharsets.UTF_8);
  }

  static String udpSend(String label, String host, int port) throws IOException {
    byte[] p = payload(label);
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.send(new DatagramPacket(p, p.length, new InetSocketAddress(host, port)));
      return "sent " + p.length;
    }
  }

  static String udpChannelSend(String label, String host, int port) throws IOException {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int n = ch.send(ByteBuffer.wrap(payload(label)), new InetSocketAddress(host, port));
      return "sent " + n;
    }
  }

  static String udpConnect(String label, String host, int port) throws IOException {
    byte[] p = payload(label);
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.connect(new InetSocketAddress(host, port));
      s.send(new DatagramPacket(p, p.length));
      return "sent " + p.length;
    }
  }

  static String udpChannelConnect(String label, String host, int port) throws IOException {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      ch.connect(new InetSocketAddress(host, port));
      int n = ch.write(ByteBuffer.wrap(payload(label)));
      return "sent " + n;
    }
  }

  // --- DNS ---------------------------------------------------------------------------------------

  static String lookup(String name) throws IOException {
    InetAddress[] all = InetAddress.getAllByName(name);
    List<String> out = new ArrayList<>();
    for (InetAddress a : all) {
      out.add(a.getHostAddress());
    }
    return String.join(",", out);
  }

  // --- reporting ---------------------------------------------------------------------------------

  // --- argument parsing --------------------------------------------------------------------------

  /** host part of {@code host:port} or {@code [v6]:port}. */
  static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      return hostPort.substring(1, hostPort.indexOf(']'));
    }
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  static int portOf(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
