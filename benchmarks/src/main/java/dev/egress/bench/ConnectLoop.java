package dev.egress.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/**
 * Child-JVM workload: connect+close to a loopback server, in a loop, by a name the policy allows.
 * Prints one line {@code RESULT <kind> <ns per connect>} for the harness.
 *
 * <p>Arguments: kind (socket | channel), host, port, warm-up count, measured count.
 */
public final class ConnectLoop {
  public static void main(String[] args) throws Exception {
    String kind = args[0];
    InetAddress address = InetAddress.getByName(args[1]);
    InetSocketAddress target = new InetSocketAddress(address, Integer.parseInt(args[2]));
    int warmup = Integer.parseInt(args[3]);
    int measured = Integer.parseInt(args[4]);
    run(kind, target, warmup);
    long start = System.nanoTime();
    run(kind, target, measured);
    long elapsed = System.nanoTime() - start;
    System.out.println("RESULT " + kind + " " + (elapsed / measured));
  }

  private static void run(String kind, InetSocketAddress target, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      if (kind.equals("channel")) {
        try (SocketChannel ch = SocketChannel.open()) {
          ch.connect(target);
        }
      } else {
        try (Socket s = new Socket()) {
          s.connect(target);
        }
      }
    }
  }
}
