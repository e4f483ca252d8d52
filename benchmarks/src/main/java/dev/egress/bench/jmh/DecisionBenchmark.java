package dev.egress.bench.jmh;

import dev.egress.policy.CallerProbe;
import dev.egress.policy.Decision;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.Protocol;
import dev.egress.policy.Reason;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decision latency of the policy engine alone (no stack walk: none of these destinations is
 * storage, so the probe is never asked; it fails the benchmark if it is). Budget (issue 7): an
 * allowed decision at most 100 ns at 100,000 destinations, and flat in the number of destinations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DecisionBenchmark {
  /** Number of allowed internet destinations in the policy (nine exact names per wildcard). */
  @Param({"10", "1000", "100000"})
  public int destinations;

  private static final int ROTATION = 1024;

  private EffectivePolicy policy;
  private String exact;
  private String wildcard;
  private String denied;
  private InetAddress address;
  private String[] verified;
  private String[] rotating;
  private int next;

  /**
   * These destinations are not storage: asking who calls would be a bug in the engine (or the
   * benchmark).
   */
  private static final CallerProbe NEVER_ASKED =
      () -> {
        throw new AssertionError("caller probe asked for a non-storage destination");
      };

  @Setup
  public void setup() throws Exception {
    policy = Policies.load(Policies.json(destinations));
    exact = Policies.exactName(Policies.middleExact(destinations));
    wildcard = Policies.wildcardMatch(Policies.lastWildcard(destinations));
    denied = "evil.example.org";
    address =
        InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}); // TEST-NET-3, not internal
    verified = new String[] {exact};
    // Many different allowed names, each a distinct String with its hash cached, spread over the
    // table.
    rotating = new String[ROTATION];
    for (int k = 0; k < ROTATION; k++) {
      int i = (int) ((long) k * destinations / ROTATION);
      rotating[k] = Policies.exactName(Policies.isWildcard(i) ? i - 1 : Math.max(0, i));
    }
    check(allowedExact() == Decision.ALLOW, "exact name not allowed: " + exact);
    check(allowedWildcard() == Decision.ALLOW, "wildcard name not allowed: " + wildcard);
    check(allowedAddress() == Decision.ALLOW, "address with verified name not allowed");
    for (int k = 0; k < ROTATION; k++) {
      check(allowedExactRotating() == Decision.ALLOW, "rotating name not allowed");
    }
    Decision d = deniedName();
    check(
        d.denied() && d.reason() == Reason.NOT_ALLOWED, "denied name not denied NOT_ALLOWED: " + d);
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  /**
   * An allowed exact internet destination: one exact-table probe after the (empty-ish) blocked
   * tables.
   */
  @Benchmark
  public Decision allowedExact() {
    return policy.decideName(exact, 443, Protocol.TCP, NEVER_ASKED);
  }

  /** An allowed name by a {@code *.} entry: exact miss, storage check, then dot-suffix probes. */
  @Benchmark
  public Decision allowedWildcard() {
    return policy.decideName(wildcard, 443, Protocol.TCP, NEVER_ASKED);
  }

  /** A denied name: every table misses, then a Decision and its explanation are allocated. */
  @Benchmark
  public Decision deniedName() {
    return policy.decideName(denied, 443, Protocol.TCP, NEVER_ASKED);
  }

  /**
   * The path of a normal connect: an address, not internal, with one name the agent saw resolve to
   * it.
   */
  @Benchmark
  public Decision allowedAddress() {
    return policy.decideAddress(address, verified, null, 443, Protocol.TCP, NEVER_ASKED);
  }

  /**
   * Allowed exact names cycling over 1,024 different entries: the table is touched all over, as in
   * a JVM that talks to many hosts (cache misses at 100,000 destinations), instead of the one hot
   * slot above.
   */
  @Benchmark
  public Decision allowedExactRotating() {
    int k = next;
    next = (k + 1) & (ROTATION - 1);
    return policy.decideName(rotating[k], 443, Protocol.TCP, NEVER_ASKED);
  }
}
