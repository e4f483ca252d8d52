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
 * The hosts file gives allowed.example.com two addresses (127.0.0.2 and 127.0.0.21). The agent
 * decides on the address actually connected to: an address the allowed name resolved to is fine; an
 * address reached by another route is not allowed because some name is.
 */
class DnsRebindingTest {
  @TempDir Path dir;

  @Test
  void everyAddressTheAllowedNameResolvesToIsAllowed() {
    try (TcpServer first = TcpServer.start("127.0.0.2");
        TcpServer second = TcpServer.start(H.REBIND_ADDRESS)) {
      String lookup = a("lookup", Hosts.ALLOWED);
      // After the lookup, both instances the resolver returned are bound to the allowed name.
      String literalAfterLookup = a("socket", H.REBIND_ADDRESS, second.port());
      String byName = a("socket", Hosts.ALLOWED, first.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), lookup, byName, literalAfterLookup);
      assertAll(
          () -> H.ok(run, lookup),
          () -> assertTrue(run.result(lookup).detail.contains(H.REBIND_ADDRESS), run.describe()),
          () -> H.ok(run, byName),
          () -> H.ok(run, literalAfterLookup),
          () -> assertTrue(run.records().isEmpty(), run.describe()));
    }
  }

  /**
   * Before any lookup bound it to the allowed name, the second address is just an address: denied.
   */
  @Test
  void anAddressNoAllowedLookupReturnedIsDenied() {
    try (TcpServer second = TcpServer.start(H.REBIND_ADDRESS)) {
      String literal = a("socket", H.REBIND_ADDRESS, second.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), literal);
      assertAll(
          () -> H.denied(run, literal, "ConnectException"),
          () -> assertEquals(0, second.accepted()),
          () -> H.record(run, H.REBIND_ADDRESS, "not-allowed", "TCP"));
    }
  }

  /**
   * A denied name that resolves to an allowed address (shared hosting, a CDN): the lookup is denied
   * by name, and a forged instance carrying it is judged by the address's verified names only.
   */
  @Test
  void aDeniedNameOnAnAllowedAddressIsDeniedAtTheLookup() {
    try (TcpServer shared = TcpServer.start("127.0.0.2")) {
      String byName = a("socket", H.EVIL_ON_ALLOWED_ADDRESS, shared.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), byName);
      assertAll(
          () -> H.blocked(run, byName),
          () -> assertEquals(0, shared.accepted()),
          () -> H.record(run, H.EVIL_ON_ALLOWED_ADDRESS, "not-allowed", "DNS"));
    }
  }
}
