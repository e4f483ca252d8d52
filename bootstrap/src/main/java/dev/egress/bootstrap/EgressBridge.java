package dev.egress.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * The one class that instrumented JDK methods call. It lives on the boot class path, so it may only
 * use JDK types; it holds the agent's hooks in a volatile field and delegates every call to them.
 *
 * <p>Each entry point lets a deliberate denial ({@link EgressDenial}) through and turns any other
 * throwable from the agent into the exception the agent chooses ({@link
 * EgressHooks#internalError}), or into a fail-closed denial if even that fails: the application's
 * call never fails with an agent bug as such, and is never let through because of one.
 */
public final class EgressBridge {
  /** Null until the agent installs itself: until then every call passes untouched. */
  private static volatile EgressHooks hooks;

  private EgressBridge() {}

  public static void install(EgressHooks newHooks) {
    hooks = newHooks;
  }

  public static EgressHooks installed() {
    return hooks;
  }

  /** Inserted before each TCP {@code Net.connect(..., InetAddress, int)} call. */
  public static void tcpConnect(InetAddress address, int port) throws IOException {
    EgressHooks h = hooks;
    if (h == null) {
      return;
    }
    try {
      h.tcpConnect(address, port);
    } catch (Throwable t) {
      rethrow(failure(h, t, "tcp", address, port));
    }
  }

  /** Inserted before each TCP {@code Net.connect(..., SocketAddress)} call. */
  public static void tcpConnect(SocketAddress target) throws IOException {
    if (target instanceof InetSocketAddress) {
      InetSocketAddress isa = (InetSocketAddress) target;
      if (isa.getAddress() != null) {
        tcpConnect(isa.getAddress(), isa.getPort());
      }
    }
  }

  /**
   * Called at the entry of {@code Socket.connect(SocketAddress,int)} and of {@code
   * Net.checkAddress}: only an unresolved address goes further than one type check.
   */
  public static void unresolvedConnect(SocketAddress target) throws IOException {
    if (!(target instanceof InetSocketAddress)) {
      return;
    }
    InetSocketAddress isa = (InetSocketAddress) target;
    if (!isa.isUnresolved()) {
      return;
    }
    EgressHooks h = hooks;
    if (h == null) {
      return;
    }
    try {
      h.unresolvedConnect(isa.getHostString(), isa.getPort());
    } catch (Throwable t) {
      rethrow(failure(h, t, "tcp", null, 0));
    }
  }

  /** Inserted before each UDP {@code Net.connect(..., InetAddress, int)} call. */
  public static void udpConnect(InetAddress address, int port) throws IOException {
    EgressHooks h = hooks;
    if (h == null) {
      return;
    }
    try {
      h.udpConnect(address, port);
    } catch (Throwable t) {
      rethrow(failure(h, t, "udp-connect", address, port));
    }
  }

  /** Called at the entry of the datagram channel's unconnected send. */
  public static void udpSend(InetSocketAddress target) throws IOException {
    EgressHooks h = hooks;
    if (h == null) {
      return;
    }
    try {
      h.udpSend(target);
    } catch (Throwable t) {
      rethrow(failure(h, t, "udp-send", target == null ? null : target.getAddress(), target == null ? 0 : target.getPort()));
    }
  }

  /** Called at the entry of InetAddress's designated (cached) lookup method. */
  public static void lookup(String host) throws UnknownHostException {
    EgressHooks h = hooks;
    if (h == null || host == null) {
      return;
    }
    try {
      h.lookup(host);
    } catch (Throwable t) {
      IOException e = failure(h, t, "lookup", null, 0);
      if (e instanceof UnknownHostException) {
        throw (UnknownHostException) e;
      }
      if (e != null) {
        throw new EgressUnknownHostException(e.getMessage());
      }
    }
  }

  /** Called where the designated lookup method returns; returns its argument unchanged. */
  public static InetAddress[] resolved(InetAddress[] addresses, String host) {
    EgressHooks h = hooks;
    if (h != null && addresses != null) {
      try {
        h.resolved(host, addresses);
      } catch (Throwable ignored) {
        // Learning a binding is best effort: a missing binding can only deny, never allow.
      }
    }
    return addresses;
  }

  /**
   * Called at the entry of {@code HttpClientImpl.sendAsync(..., Executor)}: returns an executor that
   * carries the requester's context to the client's worker threads (or the argument unchanged).
   */
  public static java.util.concurrent.Executor requestExecutor(java.util.concurrent.Executor ex) {
    EgressHooks h = hooks;
    if (h == null || ex == null) {
      return ex;
    }
    try {
      Object context = h.captureRequester();
      return context == null ? ex : EgressContext.carrying(ex, context);
    } catch (Throwable t) {
      return ex; // attribution is best effort; the connect itself is still judged
    }
  }

  /**
   * Called at the entry of an event loop's {@code execute(Runnable)} (Netty): the task carries the
   * submitting requester's context to the loop thread, where the connect happens.
   */
  public static Runnable carry(Runnable task) {
    EgressHooks h = hooks;
    if (h == null || task == null) {
      return task;
    }
    try {
      Object context = h.contextForTask();
      return context == null ? task : EgressContext.wrap(task, context);
    } catch (Throwable t) {
      return task; // attribution is best effort; the connect itself is still judged
    }
  }

  /**
   * Called at the entry of the JDK HTTP client's {@code sendAsync}: the denial to complete the
   * returned future with, or null to proceed.
   */
  public static Throwable deniedRequest(Object request) {
    EgressHooks h = hooks;
    if (h == null || request == null) {
      return null;
    }
    try {
      return h.checkHttpRequest(request);
    } catch (Throwable t) {
      return failure(h, t, "tcp", null, 0);
    }
  }

  /** Called where an HTTP request is about to be sent: throws the denial, if any. */
  public static void httpRequest(Object request) throws IOException {
    EgressHooks h = hooks;
    if (h == null || request == null) {
      return;
    }
    IOException denial;
    try {
      denial = h.checkHttpRequest(request);
    } catch (Throwable t) {
      denial = failure(h, t, "tcp", null, 0);
    }
    rethrow(denial);
  }

  private static void rethrow(IOException e) throws IOException {
    if (e != null) {
      throw e;
    }
  }

  /** The exception to throw for {@code t}, or null when the agent chose to let the call proceed. */
  private static IOException failure(
      EgressHooks h, Throwable t, String hookPoint, InetAddress address, int port) {
    if (t instanceof EgressDenial && t instanceof IOException) {
      return (IOException) t;
    }
    try {
      SocketAddress target = address == null ? null : new InetSocketAddress(address, port);
      return h.internalError(t, hookPoint, target);
    } catch (Throwable second) {
      return new EgressConnectException(
          "Egress denied: the egress agent failed while deciding (" + t + "); failing closed");
    }
  }
}
