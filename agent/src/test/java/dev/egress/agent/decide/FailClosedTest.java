package dev.egress.agent.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.bootstrap.EgressConnectException;
import dev.egress.bootstrap.EgressHooks;
import dev.egress.bootstrap.EgressSocketException;
import dev.egress.bootstrap.EgressUnknownHostException;
import dev.egress.bootstrap.HookCalls;
import dev.egress.policy.CidrSet;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.Selection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failure inside the decision path (a bug, an exhausted resource) denies the one call it hit,
 * with a message that says so, and the next call is decided normally: enforcement fails closed, the
 * application keeps running. Exercised through the bridge's logic ({@link HookCalls}), as
 * instrumented JDK code reaches it.
 */
class FailClosedTest {
  private final PolicyHolder holder = new PolicyHolder(1_000);
  private final Gate gate =
      new Gate(holder, new AddressBook(), new CallerFinder(List.of(), List.of()));

  private void wire(boolean failing) {
    DenialRecorder recorder =
        d -> {
          if (failing) {
            throw new OutOfMemoryError("injected: the recorder failed");
          }
        };
    gate.wire(new Wiring(CidrSet.parse(List.of("127.0.0.1/32")), recorder, List.of(), null));
  }

  private static EffectivePolicy nothingAllowed() {
    return PolicyEngine.unavailable("test").select(Selection.of(null));
  }

  @Test
  void aFailureWhileDecidingDeniesWithAClearMessage() throws Exception {
    wire(true);
    holder.set(nothingAllowed());
    InetAddress external = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 9});
    EgressConnectException e =
        assertThrows(EgressConnectException.class, () -> HookCalls.tcpConnect(gate, external, 443));
    assertTrue(e.getMessage().startsWith("Egress denied: the egress agent failed"), e.getMessage());
    assertTrue(e.getMessage().contains("failing closed"), e.getMessage());
    assertEquals(1, gate.internalErrors());
    assertThrows(
        EgressSocketException.class,
        () -> HookCalls.udpSend(gate, new InetSocketAddress(external, 53)));
    assertThrows(
        EgressUnknownHostException.class, () -> HookCalls.lookup(gate, "evil.example.net"));
    // The internal network is still decided without touching the failing part.
    HookCalls.tcpConnect(gate, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 80);
  }

  @Test
  void hooksThatThrowSomethingUnexpectedStillFailClosed() {
    EgressConnectException e =
        assertThrows(
            EgressConnectException.class,
            () -> HookCalls.tcpConnect(new ThrowingHooks(), InetAddress.getLoopbackAddress(), 1));
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
    public void proxiedConnect(InetSocketAddress target) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void unixConnect(String path) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void reverseLookup(byte[] address) {
      throw new IllegalStateException("injected");
    }

    @Override
    public Object contextForThread(Thread thread) {
      throw new IllegalStateException("injected");
    }

    @Override
    public void processStart(Object processBuilder) {
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
    public java.io.IOException checkHttpWrite(Object encoder, Object message) {
      throw new IllegalStateException("injected");
    }

    @Override
    public java.io.IOException internalError(
        Throwable error, String hookPoint, java.net.SocketAddress target) {
      throw new IllegalStateException("the error handler failed too");
    }
  }
}
