package dev.egress.agent.decide;

import dev.egress.policy.Decision;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.Protocol;
import java.net.InetAddress;

/**
 * One denied (or, in dry run, would-be denied) request: what the engine decided and about what. The
 * gate hands it to the {@link DenialRecorder}; it exists only off the allowed path.
 */
public record Denial(
    Decision decision,
    EffectivePolicy policy,
    Protocol protocol,
    InetAddress address,
    String lookedUpName,
    int port,
    CallerFrame caller) {

  /**
   * The exception message: starts with "Egress denied", says what, which policy, why, how to allow.
   */
  public String message() {
    StringBuilder m = new StringBuilder("Egress denied: ");
    switch (protocol) {
      case DNS:
        m.append(address != null ? "reverse lookup of " : "name lookup of ")
            .append(decision.destination());
        break;
      case UDP:
        m.append("UDP datagram to ").append(target());
        break;
      default:
        m.append("TCP connection to ").append(target());
        break;
    }
    m.append(" (reason ").append(decision.reason().code());
    m.append(", network policy ");
    m.append(policy.networkPolicyId() == null ? "none" : "\"" + policy.networkPolicyId() + "\"");
    if (policy.workspaceId() != null) {
      m.append(", workspace ").append(policy.workspaceId());
    }
    m.append(")");
    String why = decision.explanation();
    if (why != null && !why.isEmpty()) {
      m.append(". ").append(why);
    }
    return m.toString();
  }

  private String target() {
    StringBuilder t = new StringBuilder(decision.destination());
    if (port > 0) {
      t.append(':').append(port);
    }
    if (address != null && !decision.destination().equals(address.getHostAddress())) {
      t.append(" [").append(address.getHostAddress()).append(']');
    }
    return t.toString();
  }
}
