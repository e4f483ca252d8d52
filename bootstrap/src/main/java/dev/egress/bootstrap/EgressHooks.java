package dev.egress.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * What the agent implements for the instrumented JDK code. Every method either returns (allowed, or
 * allowed and recorded in dry-run) or throws one of the {@link EgressDenial} exceptions.
 */
public interface EgressHooks {
  /**
   * A TCP connect to {@code address:port} is about to be made (sun.nio.ch.Net.connect call sites).
   */
  void tcpConnect(InetAddress address, int port) throws IOException;

  /**
   * A connect or send names an unresolved address ({@code InetSocketAddress.createUnresolved}, or a
   * name whose lookup failed or was denied): the name is all there is to judge. Through a SOCKS
   * proxy the proxy resolves it; otherwise the JDK fails the call right after this hook.
   */
  void unresolvedConnect(String host, int port) throws IOException;

  /** A socket is connecting through a SOCKS proxy to {@code target} (resolved or not). */
  void proxiedConnect(InetSocketAddress target) throws IOException;

  /** A Unix domain socket is about to be connected to {@code path}. */
  void unixConnect(String path) throws IOException;

  /** A reverse lookup (address to name) is about to query the resolver. */
  void reverseLookup(byte[] address) throws UnknownHostException;

  /**
   * The context a thread about to be started by the current thread should inherit: the one the
   * current thread carries or the requester on its stack; null for none (or for an event loop).
   */
  Object contextForThread(Thread thread);

  /** A child process is about to start ({@code ProcessBuilder}): the agent follows into JVMs. */
  void processStart(Object processBuilder);

  /** A UDP socket is about to be connected to {@code address:port}. */
  void udpConnect(InetAddress address, int port) throws IOException;

  /** A datagram is about to be sent to {@code target} on an unconnected UDP socket. */
  void udpSend(InetSocketAddress target) throws IOException;

  /** A host name (never a literal address) is about to be looked up. */
  void lookup(String host) throws UnknownHostException;

  /**
   * A lookup of {@code host} answered {@code addresses}; the agent learns the name-address binding.
   */
  void resolved(String host, InetAddress[] addresses);

  /**
   * Captures who is making a request on the current thread (an HTTP client call), for the threads
   * that will connect on its behalf; null when there is nothing to carry.
   */
  Object captureRequester();

  /**
   * The context to carry with a task submitted to an event loop or a pool from the current thread:
   * the one the thread already carries, else the requester on its stack; null when there is none.
   */
  Object contextForTask();

  /**
   * An HTTP request is about to be sent ({@code java.net.http.HttpRequest}, {@code
   * java.net.URLConnection}, or a client library's request object): the path is visible here, and
   * with it the bucket of a path-style storage request. Returns the denial to throw, or null.
   */
  IOException checkHttpRequest(Object request);

  /**
   * A message is about to enter Netty's HTTP encoder ({@code HttpObjectEncoder.write}): a request
   * is judged as by {@link #checkHttpRequest}; a denied one, and the content that follows it on the
   * same encoder, never reach the encoder (the agent releases them). Returns the denial to throw,
   * or null.
   */
  IOException checkHttpWrite(Object encoder, Object message);

  /**
   * The bridge caught a throwable from the agent that is not a deliberate denial (a bug in the
   * agent). Returns the exception to throw instead (fail closed), or null to let the call proceed.
   */
  IOException internalError(Throwable error, String hookPoint, SocketAddress target);
}
