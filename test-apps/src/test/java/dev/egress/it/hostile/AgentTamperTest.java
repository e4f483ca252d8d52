package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User code reaches the agent's own state. The bridge {@code dev.egress.bootstrap.EgressBridge} is
 * defined in the boot loader's unnamed module, which is open to everyone: its public methods can be
 * called and its private fields set with plain reflection, no --add-opens needed. After each
 * attempt, the connect to the denied server must still be denied.
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
          () ->
              assertEquals(
                  0,
                  evil.accepted(),
                  "after '"
                      + tamper
                      + "' user code reached the denied server: "
                      + run.result(tamper)),
          () -> H.record(run, "127.0.0.3", null, "TCP"));
    }
  }

  /**
   * Was a bypass before the hooks became static final (main ecf39ed): {@code
   * EgressBridge.install(null)}.
   */
  @Test
  void publicBridgeInstallNullDoesNotDisableEnforcement() {
    tamperThenConnect("bridge-install-null");
  }

  /**
   * The agent exports {@code jdk.internal.misc} (for {@code Unsafe.defineClass}) only to a loader
   * of its own: user code (and the class path) must not get {@code jdk.internal.misc.Unsafe}.
   */
  @Test
  void theAgentsExportOfInternalUnsafeIsNotVisibleToUserCode() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String literal = a("socket", "127.0.0.3", evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), "internal-unsafe", literal);
      assertAll(
          () -> H.notOk(run, "internal-unsafe"),
          () ->
              assertTrue(
                  run.result("internal-unsafe").toString().contains("IllegalAccess"),
                  run.describe()),
          () -> H.denied(run, literal, "ConnectException"));
    }
  }

  /**
   * Was a bypass before ecf39ed: {@code setAccessible} on the bridge's hooks field, set to null.
   */
  @Test
  void reflectiveNullingOfTheHooksFieldDoesNotDisableEnforcement() {
    tamperThenConnect("bridge-field-null");
  }

  /**
   * Was a bypass before ecf39ed: an allow-all {@code EgressHooks} proxy installed through the
   * public method.
   */
  @Test
  void allowAllHooksCannotReplaceTheAgent() {
    tamperThenConnect("bridge-hooks-proxy");
  }

  /**
   * BYPASS today: {@code EgressBridge.resolved(addresses, host)} is public: user code tells the
   * agent that allowed.example.com resolved to 127.0.0.3, and the literal 127.0.0.3 is then
   * allowed.
   */
  @Test
  void bypass_addressBookCannotBePoisonedThroughThePublicBridge() {
    tamperThenConnect(a("bridge-poison", Hosts.ALLOWED, "127.0.0.3"));
  }

  /**
   * OUT OF REACH in-process (documented, THREAT-MODEL.md): sun.misc.Unsafe (module jdk.unsupported,
   * open to every class) writes null into the static final hooks field; interpreted code reads the
   * field again and the bridge then forwards nothing. This test asserts that the attack still
   * works, so that the threat model stays honest; it fails (and should then be turned around) if
   * the agent ever stops it.
   */
  @Test
  void outOfReach_unsafeWriteOfTheStaticFinalHooksDisablesEnforcement() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String literal = a("socket", "127.0.0.3", evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), "unsafe-null-hooks", literal);
      H.ok(run, "unsafe-null-hooks");
      H.ok(run, literal);
      assertEquals(1, evil.accepted(), run.describe());
    }
  }
}
