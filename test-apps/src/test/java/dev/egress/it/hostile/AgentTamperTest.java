package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User code reaches the agent's own state. The bridge {@code dev.egress.bootstrap.EgressBridge} is defined
 * in the boot loader's unnamed module, which is open to everyone: its public methods can be called and its
 * private fields set with plain reflection, no --add-opens needed. After each attempt, the connect to the
 * denied server must still be denied.
 */
class AgentTamperTest {
  @TempDir Path dir;

  private void tamperThenConnect(String tamper) {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String literal = a("socket", "127.0.0.3", evil.port());
      String byName = a("socket", Hosts.EVIL, evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), tamper, literal, byName);
      assertAll(
          () -> H.denied(run, literal, "ConnectException"),
          () -> H.blocked(run, byName),
          () -> assertEquals(0, evil.accepted(), "after '" + tamper + "' user code reached the denied server: "
              + run.result(tamper)),
          () -> H.record(run, "127.0.0.3", null, "TCP"));
    }
  }

  /** BYPASS today: {@code EgressBridge.install(null)} is public. */
  @Test
  void bypass_publicBridgeInstallNullDoesNotDisableEnforcement() {
    tamperThenConnect("bridge-install-null");
  }

  /** BYPASS today: {@code setAccessible} on the private static {@code hooks} field, set to null. */
  @Test
  void bypass_reflectiveNullingOfTheHooksFieldDoesNotDisableEnforcement() {
    tamperThenConnect("bridge-field-null");
  }

  /** BYPASS today: an allow-all {@code EgressHooks} proxy installed through the public method. */
  @Test
  void bypass_allowAllHooksCannotReplaceTheAgent() {
    tamperThenConnect("bridge-hooks-proxy");
  }

  /**
   * BYPASS today: {@code EgressBridge.resolved(addresses, host)} is public: user code tells the agent that
   * allowed.example.com resolved to 127.0.0.3, and the literal 127.0.0.3 is then allowed.
   */
  @Test
  void bypass_addressBookCannotBePoisonedThroughThePublicBridge() {
    tamperThenConnect(a("bridge-poison", Hosts.ALLOWED, "127.0.0.3"));
  }
}
