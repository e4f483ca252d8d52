package dev.egress.collector.cli;

import dev.egress.collector.record.ViolationRow;
import dev.egress.policy.CallerKind;
import dev.egress.policy.Decision;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Replays a recorded violation against a policy: what would the engine decide now for the same
 * destination, workspace, product and caller? Who asked is read from the record: {@code
 * direct-storage-access} and {@code caller.user_code} mean user code; otherwise the platform's data
 * layer.
 */
final class RecordDecider {
  private final PolicyEngine engine;

  RecordDecider(PolicyEngine engine) {
    this.engine = engine;
  }

  /**
   * The decision, or null when the record cannot be replayed (an IP record whose address is not a
   * literal).
   */
  Decision decide(ViolationRow r) {
    EffectivePolicy p =
        engine.select(
            PolicyFiles.selection(r.workspaceId(), PolicyFiles.product(r.networkSourceType())));
    CallerKind kind =
        r.reason().equals("direct-storage-access") || Boolean.TRUE.equals(r.callerUserCode())
            ? CallerKind.USER_DIRECT
            : CallerKind.PLATFORM_MEDIATED;
    int port = r.port() == null ? 443 : r.port();
    Protocol protocol = r.protocol() == null ? Protocol.TCP : Protocol.valueOf(r.protocol());
    switch (r.destinationType()) {
      case "IP":
        String literal = r.ipAddress() != null ? r.ipAddress() : r.destination();
        InetAddress a = literalAddress(literal);
        return a == null
            ? null
            : p.decideAddress(a, new String[0], null, port, protocol, () -> kind);
      case "STORAGE":
        String host = r.storageHostname() != null ? r.storageHostname() : r.destination();
        return p.decideName(host, port, protocol, () -> kind);
      default:
        return p.decideName(r.destination(), port, protocol, () -> kind);
    }
  }

  /** Parses an address literal without ever asking DNS (a name is not an address here). */
  private static InetAddress literalAddress(String s) {
    if (s == null || !(s.indexOf(':') >= 0 || s.matches("[0-9.]+"))) {
      return null;
    }
    try {
      return InetAddress.getByName(s); // a literal: no lookup is made
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
