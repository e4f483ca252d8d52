package dev.egress.agent.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.bootstrap.EgressBridge;
import dev.egress.bootstrap.EgressConnectException;
import dev.egress.bootstrap.EgressHooks;
import dev.egress.bootstrap.EgressSocketException;
import dev.egress.bootstrap.EgressUnknownHostException;
import dev.egress.policy.CidrSet;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.Selection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failure inside the decision path (a bug, an exhausted resource) denies the one call it hit,
 * with a message that says so, and the next call is decided normally: enforcement fails closed,
 * the application keeps running. Exercised through the bridge, as instrumented JDK code calls it.
 */
class FailClosedTest {
  private final PolicyHolder holder = new PolicyHolder(1_000);
  private final Gate gate = new Gate(holder, new AddressBook());

  @AfterEach
  void uninstall() {
    EgressBridge.install(null);
  }

  private void wire(boolean failing) {
    CallerFinder finder = new CallerFinder(List.of(), List.of());
    DenialRecorder recorder =
        d -> {
          if (failing) {
            throw new OutOfMemoryError("injected: the recorder failed");
          }
        };
    gate.wire(new Wiring(CidrSet.parse(List.of("127.0.0.1/32")), finder, recorder));
  }

  private static EffectivePolicy nothingAllowed() {
    return PolicyEngine.unavailable("test").select(Selection.of(null));
  }

  @Test
  void aFailureWhileDecidingDeniesWithAClearMessage() throws Exception {
    wire(true);
    holder.set(nothingAllowed());
    EgressBridge.install(gate);
    InetAddress external = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 9});
    EgressConnectException e =
        assertThrows(EgressConnectException.class, () -> EgressBridge.tcpConnect(external, 443));
    assertTrue(e.getMessage().startsWith("Egress denied: the egress agent failed"), e.getMessage());
    assertTrue(e.getMessage().contains("failing closed"), e.getMessage());
    assertEquals(1, gate.internalErrors());
    assertThrows(EgressSocketException.class, () -> EgressBridge.udpSend(new InetSocketAddress(external, 53)));
    assertThrows(EgressUnknownHostException.class, () -> EgressBridge.lookup("evil.example.net"));
    // The internal network is still decided without touching the failing part.
    EgressBridge.tcpConnect(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 80);
  }

  @Test
  void hooksThatThrowSomethingUnexpectedStillFailClosed() {
    EgressBridge.install(new ThrowingHooks());
    EgressConnectException e =
        assertThrows(
            EgressConnectException.class,
            () -> EgressBridge.tcpConnect(InetAddress.getLoopbackAddress(), 1));
    assertTrue(e.getMessage().contains("failing closed"), e.getMessage());
  }

  /** Hooks whose every method, even the error handler, throws. */
  private static final class ThrowingHooks implements EgressHooks {
    @Override
    public void tcpConnect(InetAddress address, int port) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void unresolvedConnect(String host, int port) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void udpConnect(InetAddress address, int port) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void udpSend(InetSocketAddress target) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void lookup(String host) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void resolved(String host, InetAddress[] addresses) {
      throw new IllegalStateException("injected");
    }

    @Override
    public Object captureRequester() {
      throw new IllegalStateException("injected");
    }

    @Override
    public Object contextForTask() {
      throw new IllegalStateException("injected");
    }

    @Override
    public java.io.IOException checkHttpRequest(Object request) {
      throw new IllegalStateException("injected");
    }

    @Override
    public java.io.IOException internalError(Throwable error, String hookPoint, java.net.SocketAddress target) {
      throw new IllegalStateException("the error handler failed too");
    }
  }
}
