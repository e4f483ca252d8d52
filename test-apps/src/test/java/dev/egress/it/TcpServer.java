package dev.egress.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** Accepts connections on one loopback address and closes them at once, counting them. */
public final class TcpServer implements AutoCloseable {
  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread thread;

  private TcpServer(String address) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 1000);
    thread = new Thread(this::loop, "tcp-server-" + address);
    thread.setDaemon(true);
    thread.start();
  }

  public static TcpServer start(String address) {
    try {
      return new TcpServer(address);
    } catch (IOException e) {
      throw new RuntimeException("cannot bind " + address, e);
    }
  }

  private void loop() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        accepted.incrementAndGet();
      } catch (IOException e) {
        // closed
      }
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String address() {
    return server.getInetAddress().getHostAddress();
  }

  /**
   * Connections accepted so far, after a short quiet period so that a connection the kernel already
   * completed but this server's thread has not yet accepted is counted too.
   */
  public int accepted() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return accepted.get();
  }

  /** Waits up to 2 s for at least {@code n} accepted connections, then returns the count. */
  public int awaitAccepted(int n) throws InterruptedException {
    long end = System.currentTimeMillis() + 2000;
    while (accepted.get() < n && System.currentTimeMillis() < end) {
      Thread.sleep(20);
    }
    return accepted.get();
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
