package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.egress.it.AgentJvm;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix domain sockets. A socket file such as /var/run/docker.sock (or a container runtime's, or a
 * local proxy's) is a way out that no IP rule sees: the Docker API alone can start a container with
 * the host's network.
 *
 * <p>Policy chosen here (README leaves it open): user code may not connect a Unix domain socket
 * (denied with a ConnectException "Egress denied ..." and a record naming the socket path);
 * platform code may. A platform that needs user code to reach one socket would list it in a setting
 * (for example {@code unix.sockets.allowed}).
 */
class UnixSocketTest {
  @TempDir Path dir;

  /** Stand-in for /var/run/docker.sock: accepts and counts. */
  static final class UnixServer implements AutoCloseable {
    final ServerSocketChannel server;
    final AtomicInteger accepted = new AtomicInteger();

    UnixServer(Path path) throws IOException {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(path));
      Thread t =
          new Thread(
              () -> {
                while (server.isOpen()) {
                  try (SocketChannel c = server.accept()) {
                    accepted.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "unix-server");
      t.setDaemon(true);
      t.start();
    }

    int accepted() throws InterruptedException {
      Thread.sleep(150);
      return accepted.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** BYPASS today: Unix domain sockets are not hooked at all. */
  @Test
  void bypass_userCodeMayNotConnectAUnixDomainSocketButPlatformCodeMay() throws Exception {
    Path sock = dir.resolve("docker.sock");
    try (UnixServer docker = new UnixServer(sock)) {
      String attack = a("unix", sock);
      AgentJvm.Result user = H.runUser(H.jvm(dir.resolve("user")), attack);
      int reachedByUser = docker.accepted();
      AgentJvm.Result platform = H.jvm(dir.resolve("platform")).main(H.HOSTILE, attack).run();
      assertAll(
          () -> H.denied(user, attack, "ConnectException"),
          () -> assertEquals(0, reachedByUser, "user code reached the docker.sock stand-in"),
          () ->
              assertFalse(
                  H.records(user, r -> r.path("destination").asText().contains("docker.sock"))
                      .isEmpty(),
                  "a record names the socket path\n" + user.describe()),
          () -> H.ok(platform, attack));
    }
  }
}
