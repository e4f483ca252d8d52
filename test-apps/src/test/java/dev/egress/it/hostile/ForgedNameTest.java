package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.ProbeResult;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An InetAddress can carry any name: {@code InetAddress.getByAddress(name, bytes)}, or (where the
 * platform opened java.net) a resolved instance whose address is rewritten by reflection. A name
 * counts only where the agent saw the resolver bind it to that address.
 */
class ForgedNameTest {
  @TempDir Path dir;

  @Test
  void allowedNamesForgedOntoADeniedAddressAreDenied() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String allowed = a("forged", Hosts.ALLOWED, "127.0.0.3", evil.port());
      String wildcard = a("forged", Hosts.WILD_ONE, "127.0.0.3", evil.port());
      String ownWorkspace = a("forged", Hosts.OWN_WORKSPACE, "127.0.0.3", evil.port());
      String localhost = a("forged", "localhost", "127.0.0.3", evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), allowed, wildcard, ownWorkspace, localhost);
      assertAll(
          () -> H.denied(run, allowed, "ConnectException"),
          () -> H.denied(run, wildcard, "ConnectException"),
          () -> H.denied(run, ownWorkspace, "ConnectException"),
          () -> H.denied(run, localhost, "ConnectException"),
          () -> assertEquals(0, evil.accepted()),
          () -> H.record(run, "127.0.0.3", "unverified-name", "TCP"));
    }
  }

  /**
   * Without --add-opens java.base/java.net the holder of an InetAddress cannot be reached at all.
   */
  @Test
  void reflectionOnTheAddressHolderIsRefusedWithoutAddOpens() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String attack = a("holder-address", Hosts.ALLOWED, "127.0.0.3", evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), attack);
      ProbeResult r = run.result(attack);
      assertEquals("ERROR", r.status, run.describe());
      assertTrue(r.topClass.endsWith("InaccessibleObjectException"), r.toString());
      assertEquals(0, evil.accepted());
    }
  }

  /**
   * Where the platform granted --add-opens java.base/java.net (it must not: THREAT-MODEL.md), the
   * very instance the resolver returned for the allowed name gets the denied address written into
   * it. The agent looks bindings up by address, so the rewritten instance is judged as 127.0.0.3
   * with an unverified name.
   */
  @Test
  void resolvedInstanceRewrittenByReflectionIsStillJudgedByItsAddress() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String attack = a("holder-address", Hosts.ALLOWED, "127.0.0.3", evil.port());
      AgentJvm.Result run =
          H.runUser(H.jvm(dir).jvmOption("--add-opens=java.base/java.net=ALL-UNNAMED"), attack);
      assertAll(
          () -> H.denied(run, attack, "ConnectException"),
          () ->
              assertEquals(
                  0, evil.accepted(), "the rewritten allowed instance reached the denied server"),
          () -> H.record(run, "127.0.0.3", null, "TCP"));
    }
  }
}
