package dev.egress.it.hostile;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A proxy on one loopback address that forwards nothing: it records what it was asked to reach (the
 * SOCKS target, or the HTTP request line / CONNECT authority) and answers as if it had connected.
 */
final class FakeProxy implements AutoCloseable {
  enum Kind {
    SOCKS,
    HTTP
  }

  private final ServerSocket server;
  private final Kind kind;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private FakeProxy(Kind kind, String address) throws IOException {
    this.kind = kind;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
    Thread t = new Thread(this::loop, "fake-" + kind + "-proxy");
    t.setDaemon(true);
    t.start();
  }

  static FakeProxy socks(String address) {
    try {
      return new FakeProxy(Kind.SOCKS, address);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  static FakeProxy http(String address) {
    try {
      return new FakeProxy(Kind.HTTP, address);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** What the proxy was asked, after a short quiet period. */
  List<String> requests() {
    try {
      Thread.sleep(150);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(requests);
  }

  private void loop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "fake-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(5000);
      if (kind == Kind.SOCKS) {
        socks(new DataInputStream(s.getInputStream()), s.getOutputStream());
      } else {
        http(s.getInputStream(), s.getOutputStream());
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void socks(DataInputStream in, OutputStream out) throws IOException {
    int version = in.readUnsignedByte();
    if (version == 4) {
      in.readUnsignedByte(); // command
      int port = in.readUnsignedShort();
      byte[] ip = in.readNBytes(4);
      readZeroTerminated(in); // user id
      String host = InetAddress.getByAddress(ip).getHostAddress();
      if (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0) {
        host = readZeroTerminated(in); // SOCKS4a: the name follows
      }
      requests.add("SOCKS4 " + host + ":" + port);
      out.write(new byte[] {0, 90, 0, 0, 0, 0, 0, 0});
    } else {
      int methods = in.readUnsignedByte();
      in.readNBytes(methods);
      out.write(new byte[] {5, 0});
      out.flush();
      in.readUnsignedByte(); // version
      in.readUnsignedByte(); // command
      in.readUnsignedByte(); // reserved
      int atyp = in.readUnsignedByte();
      String host;
      if (atyp == 1) {
        host = InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
      } else if (atyp == 4) {
        host = InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
      } else {
        host = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
      }
      int port = in.readUnsignedShort();
      requests.add("SOCKS5 " + host + ":" + port);
      out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 80});
    }
    out.flush();
    byte[] data = in.readNBytes(Math.max(0, Math.min(64, in.available())));
    if (data.length > 0) {
      requests.add("DATA " + new String(data, StandardCharsets.UTF_8).trim());
    }
  }

  private static String readZeroTerminated(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) > 0; ) {
      b.write(c);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  private void http(InputStream in, OutputStream out) throws IOException {
    StringBuilder line = new StringBuilder();
    String first = null;
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') {
        String l = line.toString().trim();
        if (first == null) {
          first = l;
        } else if (l.isEmpty()) {
          break;
        }
        line.setLength(0);
      } else {
        line.append((char) c);
      }
    }
    if (first == null) {
      return;
    }
    requests.add(first);
    if (first.startsWith("CONNECT ")) {
      out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied")
              .getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    in.readNBytes(Math.max(0, in.available()));
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
