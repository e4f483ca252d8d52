package dev.egress.agent.instrument;

import java.util.Map;
import java.util.Set;

/**
 * The JDK classes the agent instruments, named explicitly: discovery by name is what keeps start-up
 * cheap (no scan of every loaded class, no matcher DSL). Checked against the sources of JDK 17 and
 * JDK 25, where these classes and methods have the same shape.
 *
 * <p>TCP and UDP connects are caught at the call sites of {@code sun.nio.ch.Net.connect}: every JDK
 * socket (Socket via NioSocketImpl, SocketChannel, AsynchronousSocketChannel, and so HttpClient,
 * HttpURLConnection and every library built on them) ends there, and a check inserted just before
 * the call runs inside the caller's own error handling (an async channel fails its future, a socket
 * closes itself). The calling class tells TCP from UDP.
 */
final class HookPoints {
  static final String NET = "sun/nio/ch/Net";
  static final String BRIDGE = "dev/egress/bootstrap/EgressBridge";

  /** Classes whose {@code Net.connect} call sites open TCP connections. */
  static final Set<String> TCP_CONNECT_CALLERS =
      Set.of(
          "sun/nio/ch/NioSocketImpl",
          "sun/nio/ch/SocketChannelImpl",
          "sun/nio/ch/UnixAsynchronousSocketChannelImpl");

  /** The datagram channel: {@code Net.connect} call sites connect UDP; its private send sends. */
  static final String DATAGRAM_CHANNEL = "sun/nio/ch/DatagramChannelImpl";

  static final String DATAGRAM_SEND_NAME = "send";
  static final String DATAGRAM_SEND_DESC =
      "(Ljava/io/FileDescriptor;Ljava/nio/ByteBuffer;Ljava/net/InetSocketAddress;)I";

  /**
   * InetAddress's designated lookup method, the one that consults the cache and the resolver:
   * {@code private static getAllByName0(String host, InetAddress reqAddr, boolean check, boolean
   * useCache)} on JDK 17, {@code private static getAllByName0(String host, boolean useCache)} on
   * JDK 25. Both are private and end with the boolean {@code useCache}; the other overloads are
   * not.
   */
  static final String INET_ADDRESS = "java/net/InetAddress";

  static final String LOOKUP_NAME = "getAllByName0";
  static final String LOOKUP_DESC_SUFFIX = "Z)[Ljava/net/InetAddress;";

  /**
   * Where an unresolved address meets a connect: {@code Socket.connect(SocketAddress,int)} (plain
   * and SOCKS sockets) and {@code Net.checkAddress(SocketAddress[, ProtocolFamily])} (every NIO
   * channel). Without these the JDK turns a denied lookup into its own generic "unresolved" error
   * and the application never sees why.
   */
  static final String SOCKET = "java/net/Socket";

  static final String SOCKET_CONNECT_DESC = "(Ljava/net/SocketAddress;I)V";
  static final String CHECK_ADDRESS = "checkAddress";
  static final String CHECK_ADDRESS_DESC_PREFIX = "(Ljava/net/SocketAddress;";

  /**
   * The JDK HTTP client's asynchronous send, where the request is made on the requester's thread:
   * its exchange executor is replaced by one that carries the requester to the worker threads that
   * connect. A class of the platform loader (module java.net.http), not of the boot loader.
   */
  static final String HTTP_CLIENT = "jdk/internal/net/http/HttpClientImpl";

  static final String SEND_ASYNC_DESC_SUFFIX =
      "Ljava/util/concurrent/Executor;)Ljava/util/concurrent/CompletableFuture;";

  /** SOCKS sockets: the proxy is connected through Net.connect; the real target only shows here. */
  static final String SOCKS = "java/net/SocksSocketImpl";

  /** Child processes: a child JVM gets the agent too (JAVA_TOOL_OPTIONS). */
  static final String PROCESS_BUILDER = "java/lang/ProcessBuilder";

  /**
   * Thread pools: a task submitted by a requester carries it to the pool thread (OkHttp's task
   * runner, gRPC's executors, any client that connects on a pool thread).
   */
  static final String THREAD_POOL = "java/util/concurrent/ThreadPoolExecutor";

  /**
   * Scheduled pools (Reactor's schedulers): {@code schedule}, {@code scheduleAtFixedRate}, {@code
   * scheduleWithFixedDelay}, and {@code execute}/{@code submit}, which call {@code schedule}, never
   * {@code ThreadPoolExecutor.execute}. Each makes one of these tasks, on the submitting thread:
   * its three constructors (the outer pool, then the Runnable or Callable) are the one place all of
   * them pass, the same on JDK 17 and 25; {@code decorateTask} still sees the caller's own task.
   */
  static final String SCHEDULED_TASK =
      "java/util/concurrent/ScheduledThreadPoolExecutor$ScheduledFutureTask";

  static final String SCHEDULED_TASK_RUNNABLE =
      "(Ljava/util/concurrent/ScheduledThreadPoolExecutor;Ljava/lang/Runnable;";
  static final String SCHEDULED_TASK_CALLABLE =
      "(Ljava/util/concurrent/ScheduledThreadPoolExecutor;Ljava/util/concurrent/Callable;";

  /**
   * Fork/join pools ({@code CompletableFuture}'s default pool, Scala's global execution context):
   * the public submission methods, whose shapes JDK 17 and 25 share (the internal paths differ:
   * {@code externalPush}/{@code externalSubmit} on 17, {@code poolSubmit} and the queues' {@code
   * push} on 25). Plain Runnables and Callables are wrapped; a {@code ForkJoinTask} is recorded in
   * a side table and its requester installed by the {@link #FORK_JOIN_TASK} hook when it runs.
   */
  static final String FORK_JOIN_POOL = "java/util/concurrent/ForkJoinPool";

  /**
   * {@code fork()} (an external fork goes to the common pool) and {@code doExec()} (a task runs).
   */
  static final String FORK_JOIN_TASK = "java/util/concurrent/ForkJoinTask";

  /** Threads: a new thread inherits the requester that started it. */
  static final String THREAD = "java/lang/Thread";

  /** Unix domain socket connects of socket channels. */
  static final String UNIX_SOCKETS = "sun/nio/ch/UnixDomainSockets";

  /**
   * InetAddress's reverse lookup method, whose resolver call is hooked (17: NameService, 25:
   * resolver).
   */
  static final String REVERSE_LOOKUP_METHOD = "getHostFromNameService";

  /** The JDK's HttpURLConnection: each hop (redirects too) connects through plainConnect0. */
  static final String URL_CONNECTION = "sun/net/www/protocol/http/HttpURLConnection";

  /**
   * Library classes, matched by the end of their name so that shaded copies match too ({@code
   * io/grpc/netty/shaded/io/netty/...}). They are loaded by application class loaders.
   *
   * <ul>
   *   <li>Netty's native socket (epoll, kqueue): connects in native code, never through the JDK;
   *   <li>Netty's event-loop executor: tasks carry the submitting requester to the loop thread;
   *   <li>Netty's HTTP encoder ({@code HttpObjectEncoder.write}, before the encoder: a denied
   *       request and its content never reach it), its request encoder's {@code encodeInitialLine}
   *       (the fallback for Netty versions whose encoder has no {@code write} of its own), and
   *       Apache HttpClient 4's and 5's request executors: the request's path, for path-style
   *       storage buckets.
   * </ul>
   */
  static final String NETTY_SOCKET = "io/netty/channel/unix/Socket";

  static final String NETTY_EXECUTOR = "io/netty/util/concurrent/SingleThreadEventExecutor";
  static final String NETTY_HTTP_ENCODER = "io/netty/handler/codec/http/HttpRequestEncoder";
  static final String NETTY_HTTP_WRITE = "io/netty/handler/codec/http/HttpObjectEncoder";
  static final String APACHE_EXECUTOR = "org/apache/http/protocol/HttpRequestExecutor";
  static final String APACHE5_EXECUTOR = "org/apache/hc/core5/http/impl/io/HttpRequestExecutor";

  static final String[] LIBRARY_SUFFIXES = {
    NETTY_SOCKET,
    NETTY_EXECUTOR,
    NETTY_HTTP_WRITE,
    NETTY_HTTP_ENCODER,
    APACHE_EXECUTOR,
    APACHE5_EXECUTOR
  };

  /** Library classes that may lack their hook point in some versions (a fallback covers them). */
  static boolean optional(String library) {
    return NETTY_HTTP_WRITE.equals(library);
  }

  /** The library suffix {@code className} ends with (at a package boundary), or null. */
  static String librarySuffix(String className) {
    for (String suffix : LIBRARY_SUFFIXES) {
      if (className.endsWith(suffix)
          && (className.length() == suffix.length()
              || className.charAt(className.length() - suffix.length() - 1) == '/')) {
        return suffix;
      }
    }
    return null;
  }

  /** The hook points each class must end up with, for the install report and the self-test. */
  static final Map<String, String> EXPECTED =
      Map.ofEntries(
          Map.entry("sun/nio/ch/NioSocketImpl", "tcp-connect"),
          Map.entry("sun/nio/ch/SocketChannelImpl", "tcp-connect"),
          Map.entry("sun/nio/ch/UnixAsynchronousSocketChannelImpl", "tcp-connect"),
          Map.entry(DATAGRAM_CHANNEL, "udp-connect+udp-send"),
          Map.entry(INET_ADDRESS, "lookup"),
          Map.entry(SOCKET, "unresolved-connect"),
          Map.entry(NET, "unresolved-connect"),
          Map.entry(HTTP_CLIENT, "requester-context+path"),
          Map.entry(URL_CONNECTION, "path"),
          Map.entry(SOCKS, "socks-target"),
          Map.entry(PROCESS_BUILDER, "child-jvm"),
          Map.entry(THREAD, "thread-context"),
          Map.entry(THREAD_POOL, "task-context"),
          Map.entry(SCHEDULED_TASK, "task-context"),
          Map.entry(FORK_JOIN_POOL, "task-context"),
          Map.entry(FORK_JOIN_TASK, "fork-context+task-run"));

  private HookPoints() {}
}
