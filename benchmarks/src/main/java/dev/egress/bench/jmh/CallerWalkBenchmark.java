package dev.egress.bench.jmh;

import dev.egress.agent.decide.CallerFinder;
import dev.egress.bench.walk.Entry;
import dev.egress.bench.walk.Task;
import dev.egress.bench.walk.UserLoader;
import dev.egress.policy.CallerKind;
import dev.egress.policy.CallerProbe;
import dev.egress.policy.Decision;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.Protocol;
import dev.egress.policy.Reason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.BenchGatewayFileSystem;
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
 * A storage destination: the one decision that asks who calls, so it pays for a stack walk ({@link
 * CallerFinder}, the agent's real class, with the gateway prefix {@code org.apache.hadoop.fs.}).
 * The stack under the decision is built to {@code depth} frames of platform-library code ({@code
 * PlatformFrames}, application class loader: passed over by the walk) above the frame that decides:
 *
 * <ul>
 *   <li>{@code user}: a user-code class (defined by its own class loader) at the bottom: the walk
 *       crosses all {@code depth} frames, answers USER_DIRECT, and the storage connect is denied
 *       (direct-storage-access; the denial allocates its Decision);
 *   <li>{@code gateway}: a gateway class ({@code org.apache.hadoop.fs.*}) at the bottom: the walk
 *       crosses all frames, answers PLATFORM_MEDIATED, and the allowed storage connect is {@link
 *       Decision#ALLOW};
 *   <li>{@code userRecursion}: the {@code depth} frames are themselves user code: the walk stops at
 *       the first one (USER_DIRECT), the cheap case.
 * </ul>
 *
 * Budget (issue 7): a storage decision with its walk at most 5 us at depth 100.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CallerWalkBenchmark {
  @Param({"10", "100", "300"})
  public int depth;

  @Param({"user", "gateway", "userRecursion"})
  public String caller;

  private Entry entry;
  private Task decide;
  private Task walk;
  private Task nothing;

  @Setup
  public void setup() {
    EffectivePolicy policy = Policies.load(Policies.json(10));
    CallerFinder finder = new CallerFinder(List.of("org.apache.hadoop.fs."), List.of());
    CallerProbe probe = finder::kind;
    CallerKind expectedKind;
    switch (caller) {
      case "user":
        entry = UserLoader.userEntry("dev.egress.bench.walk.user.UserCell");
        expectedKind = CallerKind.USER_DIRECT;
        break;
      case "userRecursion":
        entry = UserLoader.userEntry("dev.egress.bench.walk.user.UserRecursion");
        expectedKind = CallerKind.USER_DIRECT;
        break;
      case "gateway":
        entry = new BenchGatewayFileSystem();
        expectedKind = CallerKind.PLATFORM_MEDIATED;
        break;
      default:
        throw new IllegalArgumentException("caller: user | gateway | userRecursion, not " + caller);
    }
    String host = Policies.STORAGE_HOST;
    decide = () -> policy.decideName(host, 443, Protocol.TCP, probe);
    walk = finder::kind;
    nothing = () -> Decision.ALLOW;

    // The stack really is as described: the kind the walk finds, and the frames between top and
    // bottom.
    Object kind = entry.enter(depth, walk);
    check(
        kind == expectedKind,
        caller + " at depth " + depth + ": kind() " + kind + ", expected " + expectedKind);
    Object frames = entry.enter(depth, CallerWalkBenchmark::framesAboveEntry);
    check(
        (Integer) frames >= depth,
        "only " + frames + " frames above the entry frame, expected " + depth);
    Decision d = (Decision) entry.enter(depth, decide);
    if (expectedKind == CallerKind.USER_DIRECT) {
      check(
          d.denied() && d.reason() == Reason.DIRECT_STORAGE_ACCESS,
          "user storage access not denied: " + d);
    } else {
      check(d == Decision.ALLOW, "gateway storage access not allowed: " + d);
    }
  }

  private static Object framesAboveEntry() {
    return StackWalker.getInstance()
        .walk(
            s ->
                (int)
                    s.takeWhile(
                            f ->
                                !f.getMethodName().equals("enter")
                                    || f.getClassName().endsWith("UserRecursion"))
                        .count());
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  /** The decision on a storage host, with the caller walk it asks for. */
  @Benchmark
  public Object storageDecision() {
    return entry.enter(depth, decide);
  }

  /** The walk alone ({@code CallerFinder.kind()}), without the engine. */
  @Benchmark
  public Object walkOnly() {
    return entry.enter(depth, walk);
  }

  /** Baseline: building the stack and returning, with neither walk nor decision. */
  @Benchmark
  public Object stackOnly() {
    return entry.enter(depth, nothing);
  }
}
