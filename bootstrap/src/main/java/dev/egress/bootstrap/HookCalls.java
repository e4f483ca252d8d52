package dev.egress.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What the bridge does with the hooks, with the hooks passed in: the bridge passes the installed
 * ones; tests pass their own (which is harmless: a caller can only decide its own call this way).
 *
 * <p>Each entry point lets a deliberate denial ({@link EgressDenial}) through and turns any other
 * throwable from the agent into the exception the agent chooses ({@link
 * EgressHooks#internalError}), or into a fail-closed denial if even that fails: the application's
 * call never fails with an agent bug as such, and is never let through because of one.
 */
public final class HookCalls {
  private HookCalls() {}

  /** A connect through a SOCKS proxy: the real target is judged, not only the proxy. */
  public static void proxiedConnect(EgressHooks h, SocketAddress target) throws IOException {
    if (h == null || !(target instanceof InetSocketAddress)) {
      return;
    }
    try {
      h.proxiedConnect((InetSocketAddress) target);
    } catch (Throwable t) {
      rethrow(failure(h, t, "tcp", null, 0));
    }
  }

  /** A connect to a Unix domain socket. */
  public static void unixConnect(EgressHooks h, SocketAddress target) throws IOException {
    if (h == null || target == null) {
      return;
    }
    try {
      // UnixDomainSocketAddress is a JDK 16+ type: its path is all that is needed, as text.
      String s = target.toString();
      h.unixConnect(s);
    } catch (Throwable t) {
      rethrow(failure(h, t, "tcp", null, 0));
    }
  }

  /**
   * A reverse lookup: a denial makes the JDK answer with the address literal, as for any failure.
   */
  public static void reverseLookup(EgressHooks h, byte[] address) throws UnknownHostException {
    if (h == null || address == null) {
      return;
    }
    try {
      h.reverseLookup(address);
    } catch (UnknownHostException e) {
      throw e;
    } catch (Throwable t) {
      IOException e = failure(h, t, "lookup", null, 0);
      if (e != null) {
        throw new EgressUnknownHostException(e.getMessage());
      }
    }
  }

  /** A thread is about to start: it inherits its creator's requester. Never fails the start. */
  public static void threadStart(EgressHooks h, Thread thread) {
    if (h == null || thread == null) {
      return;
    }
    try {
      Object context = h.contextForThread(thread);
      if (context != null) {
        EgressContext.inherit(thread, context);
      }
    } catch (Throwable ignored) {
      // Attribution is best effort; the thread's connects are still judged.
    }
  }

  /** A child process is about to start: never fails the start because of the agent. */
  public static void processStart(EgressHooks h, Object processBuilder) {
    if (h == null || processBuilder == null) {
      return;
    }
    try {
      h.processStart(processBuilder);
    } catch (Throwable ignored) {
      // Following into a child JVM is best effort; the child is then uncontrolled, as without it.
    }
  }

  /** A TCP connect to an address. */
  public static void tcpConnect(EgressHooks h, InetAddress address, int port) throws IOException {
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
  public static void tcpConnect(EgressHooks h, SocketAddress target) throws IOException {
    if (target instanceof InetSocketAddress) {
      InetSocketAddress isa = (InetSocketAddress) target;
      if (isa.getAddress() != null) {
        tcpConnect(h, isa.getAddress(), isa.getPort());
      }
    }
  }

  /**
   * Called at the entry of {@code Socket.connect(SocketAddress,int)} and of {@code
   * Net.checkAddress}: only an unresolved address goes further than one type check.
   */
  public static void unresolvedConnect(EgressHooks h, SocketAddress target) throws IOException {
    if (!(target instanceof InetSocketAddress)) {
      return;
    }
    InetSocketAddress isa = (InetSocketAddress) target;
    if (!isa.isUnresolved()) {
      return;
    }
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
  public static void udpConnect(EgressHooks h, InetAddress address, int port) throws IOException {
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
  public static void udpSend(EgressHooks h, InetSocketAddress target) throws IOException {
    if (h == null) {
      return;
    }
    try {
      h.udpSend(target);
    } catch (Throwable t) {
      rethrow(
          failure(
              h,
              t,
              "udp-send",
              target == null ? null : target.getAddress(),
              target == null ? 0 : target.getPort()));
    }
  }

  /** Called at the entry of InetAddress's designated (cached) lookup method. */
  public static void lookup(EgressHooks h, String host) throws UnknownHostException {
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
  public static InetAddress[] resolved(EgressHooks h, InetAddress[] addresses, String host) {
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
   * Called at the entry of {@code HttpClientImpl.sendAsync(..., Executor)}: returns an executor
   * that carries the requester's context to the client's worker threads (or the argument
   * unchanged).
   */
  public static java.util.concurrent.Executor requestExecutor(
      EgressHooks h, java.util.concurrent.Executor ex) {
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
   * The JDK's own scheduling of virtual threads (continuations, timed unparks), which goes through
   * the same pools on every park and unpark: never a requester's task, and too frequent for a walk.
   */
  private static final ClassValue<Boolean> VIRTUAL_THREAD_SCHEDULING =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return type.getClassLoader() == null
              && type.getName().startsWith("java.lang.VirtualThread");
        }
      };

  /**
   * The requester to carry with {@code task}, submitted from the current thread: the one the thread
   * carries, else the one on its stack; null for none, for a task that already carries one, and for
   * the JDK's scheduling of virtual threads. Never throws: attribution is best effort (the connect
   * itself is judged anyway).
   */
  private static Object contextFor(EgressHooks h, Object task) {
    if (h == null
        || task == null
        || EgressContext.wrapped(task)
        || VIRTUAL_THREAD_SCHEDULING.get(task.getClass())) {
      return null;
    }
    try {
      return h.contextForTask();
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * A task handed to another thread: an event loop's {@code execute(Runnable)} (Netty), {@code
   * ThreadPoolExecutor.execute}, a {@code ScheduledThreadPoolExecutor}'s task, {@code
   * ForkJoinPool.schedule*} (JDK 19+). It runs there, later and maybe periodically, with the
   * submitting requester's context.
   */
  public static Runnable carry(EgressHooks h, Runnable task) {
    Object context = contextFor(h, task);
    return context == null ? task : EgressContext.wrap(task, context);
  }

  /** As {@link #carry(EgressHooks, Runnable)}, for a {@code Callable}. */
  public static <V> Callable<V> carry(EgressHooks h, Callable<V> task) {
    Object context = contextFor(h, task);
    return context == null ? task : EgressContext.wrap(task, context);
  }

  /**
   * A {@code Runnable} submitted to a {@code ForkJoinPool} ({@code execute}, {@code submit}): a
   * plain one is wrapped; a {@code ForkJoinTask} (a {@code CompletableFuture}'s async task) stays
   * itself and its requester is installed when it starts.
   */
  public static Runnable carryToPool(EgressHooks h, Runnable task) {
    if (task instanceof ForkJoinTask) {
      carryToPool(h, (ForkJoinTask<?>) task);
      return task;
    }
    return carry(h, task);
  }

  /** A {@code ForkJoinTask} submitted to a pool: its requester is installed when it starts. */
  public static void carryToPool(EgressHooks h, ForkJoinTask<?> task) {
    Object context = contextFor(h, task);
    if (context != null) {
      EgressContext.carry(task, context);
    }
  }

  /**
   * The tasks of {@code ForkJoinPool.invokeAll}/{@code invokeAny}: a list of the same tasks, each
   * wrapped, in the same order (or the argument itself when there is no requester to carry).
   */
  public static Collection<?> carryTasks(EgressHooks h, Collection<?> tasks) {
    Object context = contextFor(h, tasks);
    if (context == null) {
      return tasks;
    }
    List<Object> wrapped = new ArrayList<>(tasks.size());
    for (Object task : tasks) {
      wrapped.add(
          task instanceof Callable ? EgressContext.wrap((Callable<?>) task, context) : task);
    }
    return wrapped;
  }

  /**
   * At the entry of {@code ForkJoinTask.fork()}. From a thread outside any pool (the task goes to
   * the common pool) the submitter's context is captured as for any submission. From a pool's
   * worker only the requester of the task it runs now is carried, never a stack walk: forking is
   * the inner loop of fork/join code (parallel streams), and a worker's own stack is judged anyway
   * where it connects.
   */
  public static void forked(EgressHooks h, ForkJoinTask<?> task) {
    Object context =
        Thread.currentThread() instanceof ForkJoinWorkerThread
            ? EgressContext.installed()
            : contextFor(h, task);
    if (context != null) {
      EgressContext.carry(task, context);
    }
  }

  /** At the entry of {@code ForkJoinTask.doExec()}: the task's requester, if any, is installed. */
  public static void taskStarts(ForkJoinTask<?> task) {
    try {
      EgressContext.taskStarts(task);
    } catch (Throwable ignored) {
      // never fails the task
    }
  }

  /** At each return of {@code ForkJoinTask.doExec()}: what the thread carried before comes back. */
  static void taskEnds(ForkJoinTask<?> task) {
    try {
      EgressContext.taskEnds(task);
    } catch (Throwable ignored) {
      // never fails the task
    }
  }

  /**
   * Called at the entry of the JDK HTTP client's {@code sendAsync}: the denial to complete the
   * returned future with, or null to proceed.
   */
  public static Throwable deniedRequest(EgressHooks h, Object request) {
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
  public static void httpRequest(EgressHooks h, Object request) throws IOException {
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

  /**
   * Called at the entry of Netty's HTTP encoder's {@code write}: throws the denial, if any. Thrown
   * from a handler's {@code write}, it fails that write's promise (Netty's own contract), and the
   * encoder never sees the message.
   */
  public static void httpWrite(EgressHooks h, Object encoder, Object message) throws IOException {
    if (h == null || message == null) {
      return;
    }
    IOException denial;
    try {
      denial = h.checkHttpWrite(encoder, message);
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
