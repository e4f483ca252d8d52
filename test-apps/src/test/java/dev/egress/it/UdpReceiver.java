package dev.egress.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Receives datagrams on one loopback address and keeps their payloads. */
public final class UdpReceiver implements AutoCloseable {
  private final DatagramSocket socket;
  private final List<String> payloads = new CopyOnWriteArrayList<>();

  private UdpReceiver(String address) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
    Thread t = new Thread(this::loop, "udp-" + address);
    t.setDaemon(true);
    t.start();
  }

  public static UdpReceiver start(String address) {
    try {
      return new UdpReceiver(address);
    } catch (IOException e) {
      throw new RuntimeException("cannot bind " + address, e);
    }
  }

  private void loop() {
    byte[] buf = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        payloads.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        // closed
      }
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Payloads received so far, after waiting up to {@code waitMs} for at least {@code n}. */
  public List<String> payloads(int n, long waitMs) throws InterruptedException {
    long end = System.currentTimeMillis() + waitMs;
    while (payloads.size() < n && System.currentTimeMillis() < end) {
      Thread.sleep(20);
    }
    return List.copyOf(payloads);
  }

  @Override
  public void close() {
    socket.close();
  }
}
