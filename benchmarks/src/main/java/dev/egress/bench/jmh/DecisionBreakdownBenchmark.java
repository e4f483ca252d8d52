package dev.egress.bench.jmh;

import dev.egress.policy.CallerProbe;
import dev.egress.policy.Decision;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.HostNames;
import dev.egress.policy.MetadataEndpoints;
import dev.egress.policy.Protocol;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of an allowed exact decision goes (100,000 destinations): the public steps of
 * {@code EffectivePolicy.decideName} measured alone, and the same decision under a policy without
 * blocked entries (so the blocked tables are empty and skipped). For reading {@link
 * DecisionBenchmark}, not a budget.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DecisionBreakdownBenchmark {
  private static final int N = 100_000;
  private static final CallerProbe NEVER_ASKED =
      () -> {
        throw new AssertionError("caller probe asked for a non-storage destination");
      };

  private EffectivePolicy withBlocked;
  private EffectivePolicy noBlocked;
  private String exact;
  private java.util.HashMap<String, String> map;

  @Setup
  public void setup() {
    withBlocked = Policies.load(Policies.json(N, true));
    noBlocked = Policies.load(Policies.json(N, false));
    exact = Policies.exactName(Policies.middleExact(N));
    map = new java.util.HashMap<>();
    for (int i = 0; i < N; i++) {
      String name = Policies.exactName(i);
      map.put(name, name);
    }
    if (withBlocked.decideName(exact, 443, Protocol.TCP, NEVER_ASKED) != Decision.ALLOW
        || noBlocked.decideName(exact, 443, Protocol.TCP, NEVER_ASKED) != Decision.ALLOW) {
      throw new IllegalStateException("not allowed: " + exact);
    }
  }

  /**
   * Calibration of the machine: a plain HashMap hit on the same name, 100,000 entries (a few ns on
   * a quiet CPU).
   */
  @Benchmark
  public String calibrationHashMapGet() {
    return map.get(exact);
  }

  /** Step 1: the canonical-form check (a scan of every character). */
  @Benchmark
  public String canonical() {
    return HostNames.canonical(exact);
  }

  /** Step 2: the metadata-name check (a set probe and an indexOf(':') scan). */
  @Benchmark
  public boolean metadataName() {
    return MetadataEndpoints.isMetadataName(exact);
  }

  /**
   * The whole decision, blocked list of one exact name and one wildcard (as in DecisionBenchmark).
   */
  @Benchmark
  public Decision allowedExactWithBlocked() {
    return withBlocked.decideName(exact, 443, Protocol.TCP, NEVER_ASKED);
  }

  /** The whole decision, no blocked entries: the difference is the blocked-wildcard suffix walk. */
  @Benchmark
  public Decision allowedExactNoBlocked() {
    return noBlocked.decideName(exact, 443, Protocol.TCP, NEVER_ASKED);
  }
}
