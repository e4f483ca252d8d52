package dev.egress.agent.decide;

import dev.egress.agent.AgentThread;
import dev.egress.bootstrap.EgressBridge;
import dev.egress.bootstrap.EgressConnectException;
import dev.egress.bootstrap.EgressContext;
import dev.egress.bootstrap.EgressHooks;
import dev.egress.bootstrap.EgressSocketException;
import dev.egress.bootstrap.EgressUnknownHostException;
import dev.egress.policy.Action;
import dev.egress.policy.Decision;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.HostNames;
import dev.egress.policy.MetadataEndpoints;
import dev.egress.policy.Protocol;
import dev.egress.policy.StorageHost;
import dev.egress.policy.StorageHosts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one decision path. Every hook of the bridge lands here: the destination is made precise
 * (which names the agent saw resolve to the address), the policy in force decides, and a denial is
 * recorded and, unless in dry run, thrown as the JDK exception type the caller already handles.
 *
 * <p>On the allowed path this class takes no lock, does no I/O, walks no stack and allocates
 * nothing: the internal-network check, one map read and the engine's decision.
 */
public final class Gate implements EgressHooks {
  private static final String[] NO_NAMES = new String[0];
  private static final int DNS_PORT = 53;

  /** How long a first decision waits for the agent's init thread to wire the gate. */
  private static final long MAX_WIRING_WAIT_MS = 30_000;

  private final PolicyHolder policies;
  private final AddressBook book;

  /**
   * Who asks: from the constructor on (its settings are read before the hooks exist), so that a
   * task submitted or a thread started before the wiring is complete carries its requester too.
   */
  private final CallerFinder callers;

  private final CallerKindProbe probe;
  private final CountDownLatch wired = new CountDownLatch(1);
  private volatile Wiring wiring;

  /** Hook points that fired on the self-test thread. */
  private final Set<String> selfTestFired = ConcurrentHashMap.newKeySet();

  private final AtomicLong internalErrors = new AtomicLong();

  /** Netty's HTTP encoder: denied requests and their content kept out of it. */
  private final NettyWrites nettyWrites = new NettyWrites();

  /**
   * The last lookup this thread was denied. The JDK swallows a failed lookup into an unresolved
   * address and fails the connect that follows with its own generic error; the unresolved-connect
   * hook then throws this denial's message instead, without recording the same attempt twice.
   */
  private final ThreadLocal<String[]> lastDeniedLookup = new ThreadLocal<>();

  /**
   * In dry run, one request can be judged twice on one thread: at the SOCKS or HTTP layer (which
   * sees the real target) and at the connect, in either order (a URL connection checks its request
   * before connecting, Apache HttpClient after). Whichever comes first records and leaves its
   * target here; the second, for the same target, records nothing more.
   */
  private final ThreadLocal<DryRunMark> lastDryRun = new ThreadLocal<>();

  /** Which check left a dry-run mark. */
  private enum Layer {
    REQUEST,
    SOCKS,
    NET
  }

  private record DryRunMark(Layer layer, String host, InetAddress address, int port) {
    boolean matches(InetAddress a, String[] names, int p) {
      if (p != port) {
        return false;
      }
      if (a.equals(address)) {
        return true;
      }
      if (host != null) {
        for (String n : names) {
          if (n.equals(host)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  public Gate(PolicyHolder policies, AddressBook book, CallerFinder callers) {
    this.policies = policies;
    this.book = book;
    this.callers = callers;
    this.probe = new CallerKindProbe(callers);
  }

  /** Completes the gate; decisions made before this wait for it. */
  public void wire(Wiring w) {
    wiring = w;
    wired.countDown();
  }

  private Wiring wiring() {
    Wiring w = wiring;
    return w != null ? w : awaitWiring();
  }

  private Wiring awaitWiring() {
    try {
      wired.await(MAX_WIRING_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Wiring w = wiring;
    if (w == null) {
      // Reaches the bridge as an internal error: the call is denied (fail closed) with this reason.
      throw new IllegalStateException("the agent did not finish starting within 30 s");
    }
    return w;
  }

  @Override
  public void tcpConnect(InetAddress address, int port) throws IOException {
    if (AgentThread.current()) {
      selfTestHit("tcp-connect", Protocol.TCP);
      return;
    }
    connect(address, port, Protocol.TCP);
  }

  @Override
  public void udpConnect(InetAddress address, int port) throws IOException {
    if (AgentThread.current()) {
      selfTestHit("udp-connect", Protocol.UDP);
      return;
    }
    connect(address, port, Protocol.UDP);
  }

  @Override
  public void udpSend(InetSocketAddress target) throws IOException {
    if (AgentThread.current()) {
      selfTestHit("udp-send", Protocol.UDP);
      return;
    }
    if (target != null && target.getAddress() != null) {
      connect(target.getAddress(), target.getPort(), Protocol.UDP);
    }
  }

  @Override
  public void lookup(String host) throws UnknownHostException {
    if (AgentThread.current()) {
      try {
        selfTestHit("lookup", Protocol.DNS);
      } catch (UnknownHostException e) {
        throw e;
      } catch (IOException e) {
        throw new EgressUnknownHostException(e.getMessage());
      }
      return;
    }
    wiring();
    EffectivePolicy policy = policies.current();
    Decision d = policy.decideName(host, DNS_PORT, Protocol.DNS, probe);
    if (d.action() == Action.ALLOW) {
      return;
    }
    Denial denial = deny(d, policy, Protocol.DNS, null, host, DNS_PORT);
    if (d.action() == Action.DROP) {
      String message = denial.message();
      lastDeniedLookup.set(new String[] {host, message});
      throw new EgressUnknownHostException(message);
    }
  }

  @Override
  public void unresolvedConnect(String host, int port) throws IOException {
    if (AgentThread.current() || host == null) {
      return;
    }
    wiring();
    EffectivePolicy policy = policies.current();
    Decision d = policy.decideName(host, port, Protocol.TCP, probe);
    if (d.action() == Action.ALLOW) {
      return;
    }
    String[] recent = lastDeniedLookup.get();
    if (recent != null && recent[0].equals(host) && d.action() == Action.DROP) {
      lastDeniedLookup.remove();
      throw new EgressConnectException(recent[1]);
    }
    Denial denial = deny(d, policy, Protocol.TCP, null, null, port);
    if (d.action() == Action.DROP) {
      throw new EgressConnectException(denial.message());
    }
  }

  @Override
  public void resolved(String host, InetAddress[] addresses) {
    book.learn(host, addresses, INET_ADDRESS_ONLY);
  }

  /** A new binding comes only from InetAddress itself, never from code calling the bridge. */
  private static final AddressBook.Witness INET_ADDRESS_ONLY =
      new AddressBook.Witness() {
        @Override
        public boolean trusted() {
          return EgressBridge.calledByInetAddress();
        }
      };

  @Override
  public void proxiedConnect(InetSocketAddress target) throws IOException {
    if (AgentThread.current()) {
      return;
    }
    if (target.isUnresolved()) {
      unresolvedConnect(target.getHostString(), target.getPort()); // the proxy resolves the name
    } else if (!target.getAddress().isAnyLocalAddress()) {
      // Every plain Socket goes through SocksSocketImpl, proxy or not. The any-address is left to
      // the connect itself, where the JDK has turned it into this machine's own address.
      connect(target.getAddress(), target.getPort(), Protocol.TCP, Layer.SOCKS);
    }
  }

  @Override
  public void unixConnect(String path) throws IOException {
    if (AgentThread.current() || path == null) {
      return;
    }
    Wiring w = wiring();
    EffectivePolicy policy = policies.current();
    Decision d = policy.decideUnixSocket(path, w.unixSockets(), probe);
    if (d.action() == Action.ALLOW) {
      return;
    }
    Denial denial = deny(d, policy, Protocol.TCP, null, null, 0);
    if (d.action() == Action.DROP) {
      throw new EgressConnectException(denial.message());
    }
  }

  /**
   * A reverse lookup sends the address to the resolver (a PTR query), which leaks it to whoever
   * serves that reverse zone: it is judged like a connect to the address. Denied, the JDK answers
   * with the address literal, as it does for any failed reverse lookup.
   */
  @Override
  public void reverseLookup(byte[] address) throws UnknownHostException {
    if (AgentThread.current()) {
      return;
    }
    InetAddress a = InetAddress.getByAddress(address);
    try {
      connect(a, DNS_PORT, Protocol.DNS);
    } catch (UnknownHostException e) {
      throw e;
    } catch (IOException e) {
      throw new EgressUnknownHostException(e.getMessage());
    }
  }

  @Override
  public Object contextForThread(Thread thread) {
    if (thread instanceof AgentThread || EventLoopThreads.isEventLoop(thread)) {
      return null; // an event loop serves every requester: each task carries its own
    }
    if (AgentThread.current() || !callers.userCodePossible()) {
      return null; // no user class exists yet: nothing to carry, and no walk
    }
    // A pool's worker, started while serving one request, goes on to serve others: it must not
    // keep the first requester (its tasks carry theirs), also when the thread that submitted that
    // request carries a requester itself. Any other thread works for its starter.
    if (callers.startingPoolWorker()) {
      return null;
    }
    Object carried = EgressContext.current();
    return carried != null ? carried : callers.capture();
  }

  @Override
  public void processStart(Object processBuilder) {
    if (AgentThread.current()) {
      return;
    }
    Wiring w = wiring(); // a child started right at start-up must not escape: wait for the wiring
    if (w.childJvms() == null || !(processBuilder instanceof ProcessBuilder)) {
      return;
    }
    w.childJvms().prepare((ProcessBuilder) processBuilder);
  }

  @Override
  public Object captureRequester() {
    return AgentThread.current() ? null : callers.capture();
  }

  @Override
  public Object contextForTask() {
    if (AgentThread.current()) {
      return null;
    }
    Object carried = EgressContext.current();
    if (carried != null) {
      return carried;
    }
    Thread t = Thread.currentThread();
    return EventLoopThreads.isEventLoop(t) ? null : callers.capture();
  }

  /**
   * Path-style storage requests ({@code s3.<region>.amazonaws.com/<bucket>/key}, {@code
   * storage.googleapis.com/<bucket>/o}) name their bucket in the path: the connect could only judge
   * the host, so the request is checked here, where the path is visible.
   */
  @Override
  public IOException checkHttpRequest(Object request) {
    if (AgentThread.current() || nettyWrites.checkedByWrite(request)) {
      return null; // the encoder's write hook already judged this very request
    }
    return judgeRequest(request);
  }

  /**
   * Netty's HTTP encoder is about to get {@code message}: a request is judged here, before the
   * encoder, so that a denied one leaves the encoder untouched (see {@link NettyWrites}).
   */
  @Override
  public IOException checkHttpWrite(Object encoder, Object message) {
    if (AgentThread.current()) {
      return null;
    }
    if (!HttpTargets.isRequest(message)) {
      return nettyWrites.content(encoder, message);
    }
    return nettyWrites.request(encoder, message, judgeRequest(message));
  }

  private IOException judgeRequest(Object request) {
    HttpTargets.Target target = HttpTargets.of(request);
    if (target == null || target.host() == null) {
      return null;
    }
    wiring();
    EffectivePolicy policy = policies.current();
    int port = target.effectivePort();
    // The request's own host, judged by name where the request is made: through an HTTP proxy the
    // connect only ever sees the proxy, and here the requester is on the stack.
    String rawHost = target.host();
    if (rawHost.startsWith("[") && rawHost.endsWith("]")) {
      rawHost = rawHost.substring(1, rawHost.length() - 1);
    }
    Decision byName = policy.decideName(rawHost, port, Protocol.TCP, probe);
    if (byName.action() == Action.DROP) {
      Denial denial = deny(byName, policy, Protocol.TCP, null, null, port);
      return new EgressConnectException(denial.message());
    }
    if (byName.action() == Action.DRY_RUN_DENIAL) {
      String canonical = HostNames.canonical(rawHost);
      DryRunMark mark = lastDryRun.get();
      if (mark != null
          && mark.layer() != Layer.REQUEST
          && mark.port() == port
          && canonical != null
          && canonical.equals(mark.host())) {
        lastDryRun.remove(); // the connect of this same request recorded it
      } else {
        deny(byName, policy, Protocol.TCP, null, null, port);
        lastDryRun.set(new DryRunMark(Layer.REQUEST, canonical, null, port));
      }
    }
    String host = HostNames.canonical(rawHost);
    StorageHost storage = host == null ? null : StorageHosts.classify(host);
    if (storage == null || !storage.pathStyle()) {
      return null;
    }
    String bucket = firstSegment(target.path());
    if (bucket == null) {
      return null;
    }
    Decision d = policy.decideStorageBucket(host, bucket, probe);
    if (d.action() == Action.ALLOW) {
      return null;
    }
    d = d.withStoragePath(target.path());
    Denial denial = deny(d, policy, Protocol.TCP, null, null, port);
    return d.action() == Action.DROP ? new EgressConnectException(denial.message()) : null;
  }

  private static String firstSegment(String path) {
    if (path == null) {
      return null;
    }
    int start = path.startsWith("/") ? 1 : 0;
    int end = path.indexOf('/', start);
    String segment = end < 0 ? path.substring(start) : path.substring(start, end);
    return segment.isEmpty() ? null : segment;
  }

  @Override
  public IOException internalError(Throwable error, String hookPoint, SocketAddress target) {
    long n = internalErrors.incrementAndGet();
    if (n <= 3) {
      System.err.println(
          "[egress] internal error in the agent at "
              + hookPoint
              + (target == null ? "" : " for " + target)
              + ": "
              + error);
      if (n == 1) {
        error.printStackTrace();
      }
    }
    EffectivePolicy p = policies.loaded() ? policies.current() : null;
    if (p != null && p.dryRun()) {
      return null; // dry run enforces nothing, so an agent failure lets the call through
    }
    String message =
        "Egress denied: the egress agent failed while deciding on "
            + (target == null ? hookPoint : target.toString())
            + " ("
            + error
            + "); failing closed. Report this agent bug with the stack trace printed on stderr.";
    switch (hookPoint) {
      case "lookup":
        return new EgressUnknownHostException(message);
      case "udp-connect":
      case "udp-send":
        return new EgressSocketException(message);
      default:
        return new EgressConnectException(message);
    }
  }

  /** How many internal errors failed closed so far. */
  public long internalErrors() {
    return internalErrors.get();
  }

  /** Hook points that fired during the self-test. */
  public Set<String> selfTestFired() {
    return selfTestFired;
  }

  /**
   * Decides a connect to {@code address}; throws the denial, and returns true when it was a dry-run
   * denial (recorded, let through).
   */
  private boolean connect(InetAddress address, int port, Protocol protocol) throws IOException {
    return connect(address, port, protocol, Layer.NET);
  }

  /**
   * As above, from {@code layer}. In dry run a denial already recorded for this target by an
   * earlier layer of the same request (the HTTP request, then SOCKS, then the socket connect) is
   * not recorded again; a repeated plain connect is.
   */
  private boolean connect(InetAddress address, int port, Protocol protocol, Layer layer)
      throws IOException {
    if (address == null) {
      return false; // the JDK rejects it itself
    }
    // The hot path of cluster traffic (Spark RPC, shuffle): internal addresses are never judged.
    Wiring w = wiring();
    if (w.internal().contains(address) && !MetadataEndpoints.isMetadataAddress(address)) {
      return false;
    }
    EffectivePolicy policy = policies.current();
    String[] names;
    String carried = null;
    AddressBook.Entry entry = book.get(address);
    String[] own = entry == null ? null : entry.namesOfInstance(address);
    if (own != null) {
      names = own; // the very instance the resolver returned: judged by its own name
    } else {
      names = entry == null ? NO_NAMES : entry.allNames();
      carried = carriedName(address);
    }
    Decision d = policy.decideAddress(address, names, carried, port, protocol, probe);
    if (d.action() == Action.ALLOW) {
      return false;
    }
    if (d.action() == Action.DRY_RUN_DENIAL && protocol == Protocol.TCP) {
      DryRunMark mark = lastDryRun.get();
      boolean sameRequest =
          mark != null
              && (mark.layer() == Layer.REQUEST
                  || (mark.layer() == Layer.SOCKS && layer == Layer.NET))
              && mark.matches(address, names, port);
      lastDryRun.set(new DryRunMark(layer, names.length > 0 ? names[0] : null, address, port));
      if (sameRequest) {
        return true; // already recorded by an earlier layer of this same request
      }
    }
    Denial denial = deny(d, policy, protocol, address, null, port);
    if (d.action() == Action.DROP) {
      if (protocol == Protocol.DNS) {
        throw new EgressUnknownHostException(denial.message());
      }
      throw protocol == Protocol.UDP
          ? new EgressSocketException(denial.message())
          : new EgressConnectException(denial.message());
    }
    return true;
  }

  private Denial deny(
      Decision d,
      EffectivePolicy policy,
      Protocol protocol,
      InetAddress address,
      String lookedUpName,
      int port) {
    Wiring w = wiring();
    CallerFrame caller = callers.callerFrame().orElse(null);
    Denial denial = new Denial(d, policy, protocol, address, lookedUpName, port, caller);
    w.recorder().record(denial);
    return denial;
  }

  /**
   * The host name an InetAddress carries without a reverse lookup ({@code toString()} is
   * "name/literal"; {@code getHostName()} could query DNS). Null for a bare literal.
   */
  static String carriedName(InetAddress address) {
    String s = address.toString();
    int slash = s.indexOf('/');
    return slash <= 0 ? null : s.substring(0, slash);
  }

  private void selfTestHit(String hookPoint, Protocol protocol) throws IOException {
    Thread t = Thread.currentThread();
    if (t instanceof AgentThread && ((AgentThread) t).selfTest()) {
      selfTestFired.add(hookPoint);
      String message = "egress self-test: " + hookPoint + " hook fired (nothing was sent)";
      if (protocol == Protocol.DNS) {
        throw new EgressUnknownHostException(message);
      }
      throw protocol == Protocol.UDP
          ? new EgressSocketException(message)
          : new EgressConnectException(message);
    }
  }
}
