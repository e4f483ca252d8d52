package dev.egress.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinTask;

/**
 * The one class that instrumented JDK and library methods call. It lives in the boot loader, so it
 * may only use JDK types. The agent's hooks are a {@code static final} field taken once from {@link
 * HookHandoff} when this class initializes (the agent initializes it before installing a single
 * hook): user code cannot unset them, and the JIT treats them as a constant. The logic of each
 * entry point is in {@link HookCalls}.
 */
public final class EgressBridge {
  private static final EgressHooks HOOKS = HookHandoff.take();

  private static final StackWalker CALLER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private EgressBridge() {}

  /** True when this bridge forwards to the agent's hooks. */
  public static boolean active() {
    return HOOKS != null;
  }

  /** Inserted before each TCP {@code Net.connect(..., InetAddress, int)} call. */
  public static void tcpConnect(InetAddress address, int port) throws IOException {
    HookCalls.tcpConnect(HOOKS, address, port);
  }

  /**
   * Inserted before each TCP {@code Net.connect(..., SocketAddress)} call, and in Netty's native
   * connect.
   */
  public static void tcpConnect(SocketAddress target) throws IOException {
    HookCalls.tcpConnect(HOOKS, target);
  }

  /** At the entry of {@code Socket.connect(SocketAddress,int)} and {@code Net.checkAddress}. */
  public static void unresolvedConnect(SocketAddress target) throws IOException {
    HookCalls.unresolvedConnect(HOOKS, target);
  }

  /** At the entry of {@code SocksSocketImpl.connect(SocketAddress,int)}. */
  public static void proxiedConnect(SocketAddress target) throws IOException {
    HookCalls.proxiedConnect(HOOKS, target);
  }

  /** Before each {@code UnixDomainSockets.connect(fd, SocketAddress)} call of a socket channel. */
  public static void unixConnect(SocketAddress target) throws IOException {
    HookCalls.unixConnect(HOOKS, target);
  }

  /** Before InetAddress asks its resolver for the name of an address. */
  public static void reverseLookup(byte[] address) throws UnknownHostException {
    HookCalls.reverseLookup(HOOKS, address);
  }

  /** At the entry of {@code Thread.start()}. */
  public static void threadStart(Thread thread) {
    HookCalls.threadStart(HOOKS, thread);
  }

  /** At the entry of {@code ProcessBuilder.start()}. */
  public static void processStart(Object processBuilder) {
    HookCalls.processStart(HOOKS, processBuilder);
  }

  /** Inserted before each UDP {@code Net.connect(..., InetAddress, int)} call. */
  public static void udpConnect(InetAddress address, int port) throws IOException {
    HookCalls.udpConnect(HOOKS, address, port);
  }

  /** At the entry of the datagram channel's unconnected send. */
  public static void udpSend(InetSocketAddress target) throws IOException {
    HookCalls.udpSend(HOOKS, target);
  }

  /** At the entry of InetAddress's designated (cached) lookup method. */
  public static void lookup(String host) throws UnknownHostException {
    HookCalls.lookup(HOOKS, host);
  }

  /**
   * Where the designated lookup method returns; returns its argument unchanged. Only InetAddress
   * itself may teach the agent a binding: this method is public (instrumented code must reach it),
   * and a binding claimed by anyone else would let a forged name pass. The caller is checked only
   * when the binding is new to the agent (a cached answer, the common case, costs nothing more).
   */
  public static InetAddress[] resolved(InetAddress[] addresses, String host) {
    return HookCalls.resolved(HOOKS, addresses, host);
  }

  /** True when the code that called into the bridge is {@code InetAddress} (for new bindings). */
  public static boolean calledByInetAddress() {
    // Frames: this method, the agent's hook, HookCalls.resolved, EgressBridge.resolved, the caller.
    return callerOf("resolved") == InetAddress.class;
  }

  /**
   * The class whose code called this bridge's public method {@code bridgeMethod} (on the current
   * stack), or null. Some entry points are public only because JDK classes must reach them: they
   * check that the JDK class is the one calling.
   */
  static Class<?> callerOf(String bridgeMethod) {
    return CALLER.walk(
        frames ->
            frames
                .dropWhile(
                    f ->
                        f.getDeclaringClass() != EgressBridge.class
                            || !f.getMethodName().equals(bridgeMethod))
                .skip(1)
                .findFirst()
                .map(StackWalker.StackFrame::getDeclaringClass)
                .orElse(null));
  }

  /** At the entry of {@code HttpClientImpl.sendAsync(..., Executor)}. */
  public static Executor requestExecutor(Executor ex) {
    return HookCalls.requestExecutor(HOOKS, ex);
  }

  /**
   * At the entry of an event loop's {@code execute(Runnable)}, of {@code
   * ThreadPoolExecutor.execute}, in {@code ScheduledThreadPoolExecutor}'s task constructors and
   * {@code ForkJoinPool.schedule*}.
   */
  public static Runnable carry(Runnable task) {
    return HookCalls.carry(HOOKS, task);
  }

  /**
   * In {@code ScheduledThreadPoolExecutor}'s task constructors, {@code
   * ForkJoinPool.submit(Callable)}, {@code schedule*} and {@code submitWithTimeout}.
   */
  public static <V> Callable<V> carry(Callable<V> task) {
    return HookCalls.carry(HOOKS, task);
  }

  /** At the entry of {@code ForkJoinPool.execute(Runnable)}, {@code submit(Runnable[, T])}. */
  public static Runnable carryToPool(Runnable task) {
    return HookCalls.carryToPool(HOOKS, task);
  }

  /** At the entry of {@code ForkJoinPool.execute/submit/invoke(ForkJoinTask)}. */
  public static void carryToPool(ForkJoinTask<?> task) {
    HookCalls.carryToPool(HOOKS, task);
  }

  /** At the entry of {@code ForkJoinPool.invokeAll/invokeAny}. */
  public static Collection<?> carryTasks(Collection<?> tasks) {
    return HookCalls.carryTasks(HOOKS, tasks);
  }

  /** At the entry of {@code ForkJoinTask.fork()}. */
  public static void forked(ForkJoinTask<?> task) {
    HookCalls.forked(HOOKS, task);
  }

  /** At the entry of {@code ForkJoinTask.doExec()}. */
  public static void taskStarts(ForkJoinTask<?> task) {
    HookCalls.taskStarts(task);
  }

  /** At each return of {@code ForkJoinTask.doExec()}. */
  public static void taskEnds(ForkJoinTask<?> task) {
    // Public for the JDK's class: an end from anyone else must not undo the task's requester.
    if (EgressContext.endWouldUndo(task) && callerOf("taskEnds") != ForkJoinTask.class) {
      return;
    }
    HookCalls.taskEnds(task);
  }

  /**
   * At the entry of {@code HttpClientImpl.sendAsync}: the denial to fail the future with, or null.
   */
  public static Throwable deniedRequest(Object request) {
    return HookCalls.deniedRequest(HOOKS, request);
  }

  /** Where an HTTP request is about to be sent: throws the denial, if any. */
  public static void httpRequest(Object request) throws IOException {
    HookCalls.httpRequest(HOOKS, request);
  }

  /**
   * At the entry of Netty's {@code HttpObjectEncoder.write(ctx, msg, promise)}: throws the denial,
   * if any, before the encoder sees the message (Netty then fails the write's promise with it).
   */
  public static void httpWrite(Object encoder, Object message) throws IOException {
    HookCalls.httpWrite(HOOKS, encoder, message);
  }
}
