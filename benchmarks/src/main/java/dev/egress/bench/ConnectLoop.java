package dev.egress.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Child-JVM workload: connect+close to a loopback server, in a loop, by a name the policy allows.
 * Prints one line {@code RESULT <kind> <ns per connect>} for the harness and, with the agent
 * attached, {@code HOOKS <kind> <ns>}: the agent's own work per connect, timed in a loop.
 *
 * <p>Arguments: kind (socket | channel), host, port, warm-up count, measured count.
 */
public final class ConnectLoop {
  public static void main(String[] args) throws Throwable {
    String kind = args[0];
    InetAddress address = InetAddress.getByName(args[1]);
    InetSocketAddress target = new InetSocketAddress(address, Integer.parseInt(args[2]));
    int warmup = Integer.parseInt(args[3]);
    int measured = Integer.parseInt(args[4]);
    run(kind, target, warmup);
    long start = System.nanoTime();
    run(kind, target, measured);
    long elapsed = System.nanoTime() - start;
    // The agent's own work per connect, measured where it runs (the real hooks, policy and address
    // book of this JVM), without the kernel's noise: the two hooks every such connect passes.
    Class<?> bridge = agentBridge();
    if (bridge != null) {
      System.out.println("HOOKS " + kind + " " + hookNanos(bridge, kind, target));
    }
    System.out.println("RESULT " + kind + " " + (elapsed / measured));
  }

  /** The agent's bridge, defined in the boot loader when the agent is attached; null without it. */
  private static Class<?> agentBridge() {
    try {
      return Class.forName("dev.egress.bootstrap.EgressBridge", false, null);
    } catch (ClassNotFoundException noAgent) {
      return null;
    }
  }

  /**
   * Nanoseconds per connect spent in the hooks a Socket or SocketChannel connect calls: the
   * unresolved-address check at Socket.connect / Net.checkAddress, the SOCKS layer's judgment (a
   * Socket only) and the decision at Net.connect.
   */
  private static double hookNanos(Class<?> bridge, String kind, InetSocketAddress target)
      throws Throwable {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodHandle unresolved =
        lookup.findStatic(
            bridge, "unresolvedConnect", MethodType.methodType(void.class, SocketAddress.class));
    MethodHandle connect =
        lookup.findStatic(
            bridge, "tcpConnect", MethodType.methodType(void.class, InetAddress.class, int.class));
    // A plain Socket also passes SocksSocketImpl.connect, whose hook judges the target too.
    MethodHandle socks =
        kind.equals("socket")
            ? lookup.findStatic(
                bridge, "proxiedConnect", MethodType.methodType(void.class, SocketAddress.class))
            : MethodHandles.empty(MethodType.methodType(void.class, SocketAddress.class));
    InetAddress address = target.getAddress();
    int port = target.getPort();
    int n = 2_000_000;
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        unresolved.invokeExact((SocketAddress) target);
        socks.invokeExact((SocketAddress) target);
        connect.invokeExact(address, port);
      }
      if (round == 1) {
        return (System.nanoTime() - start) / (double) n;
      }
    }
    throw new AssertionError();
  }

  /**
   * Each socket is closed with SO_LINGER 0 (a reset): an orderly close would leave one TIME_WAIT
   * entry per connect, and with hundreds of thousands of them on loopback the kernel's search for a
   * free ephemeral port, not the connect, sets the pace, and differently from one run to the next
   * (measured: 55 to 88 us per connect between runs of the same side).
   */
  private static void run(String kind, InetSocketAddress target, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      if (kind.equals("channel")) {
        try (SocketChannel ch = SocketChannel.open()) {
          ch.setOption(StandardSocketOptions.SO_LINGER, 0);
          ch.connect(target);
        }
      } else {
        try (Socket s = new Socket()) {
          s.setSoLinger(true, 0);
          s.connect(target);
        }
      }
    }
  }
}
