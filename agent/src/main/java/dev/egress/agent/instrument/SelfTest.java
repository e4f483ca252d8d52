package dev.egress.agent.instrument;

import dev.egress.agent.AgentThread;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves, right after installation, that the hooks fire: on a self-test thread each hook throws
 * before anything is sent, so the probes below never reach the network (and if a hook is missing,
 * the probe goes to the loopback discard port, nowhere else).
 */
public final class SelfTest {
  private static final InetSocketAddress DISCARD =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

  private SelfTest() {}

  /**
   * Runs the probes on the current thread, which must be an {@link AgentThread}, and returns the
   * problems found (empty when every hook fired).
   */
  public static List<String> run(HookInstaller installer, Set<String> fired) {
    AgentThread self = (AgentThread) Thread.currentThread();
    self.selfTest(true);
    try {
      probe(
          () -> {
            try (Socket s = new Socket()) {
              s.connect(DISCARD, 1000);
            }
          });
      boolean socketFired = fired.contains("tcp-connect");
      probe(
          () -> {
            try (SocketChannel ch = SocketChannel.open()) {
              ch.connect(DISCARD);
            }
          });
      probe(() -> InetAddress.getAllByName("egress-self-test.invalid"));
      probe(
          () -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
              ch.send(ByteBuffer.allocate(1), DISCARD);
            }
          });
      probe(
          () -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
              ch.connect(DISCARD);
            }
          });
      List<String> problems = new ArrayList<>();
      if (!socketFired) {
        problems.add("java.net.Socket connect did not reach the tcp-connect hook");
      }
      for (String hook : List.of("tcp-connect", "lookup", "udp-send", "udp-connect")) {
        if (!fired.contains(hook)) {
          problems.add("the " + hook + " hook did not fire");
        }
      }
      for (Map.Entry<String, String> f : installer.failures().entrySet()) {
        problems.add("instrumenting " + f.getKey() + " failed: " + f.getValue());
      }
      for (String c : installer.loadedWithoutHooks()) {
        problems.add(c + " is loaded but carries no hooks");
      }
      return problems;
    } finally {
      self.selfTest(false);
    }
  }

  private interface Probe {
    void run() throws IOException;
  }

  private static void probe(Probe p) {
    try {
      p.run();
    } catch (IOException | RuntimeException expected) {
      // The hook throws on the self-test thread; anything else is judged by what fired.
    }
  }
}
