package dev.egress.bench.jmh;

import dev.egress.agent.decide.CallerFinder;
import dev.egress.bench.walk.Entry;
import dev.egress.bench.walk.PrototypeWalkers;
import dev.egress.bench.walk.Task;
import dev.egress.bench.walk.UserLoader;
import dev.egress.policy.CallerKind;
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
 * The agent's walk ({@code agentFinder}: CallerFinder.kind()) against candidate walking mechanisms
 * ({@link PrototypeWalkers}) on the same stacks as {@link CallerWalkBenchmark}: to size the fix for
 * the 5 us budget.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class WalkPrototypeBenchmark {
  @Param({"10", "100", "300"})
  public int depth;

  @Param({"user", "gateway"})
  public String caller;

  private Entry entry;
  private Task agent;
  private Task stackWalkerClassOnly;
  private Task classContext;

  @Setup
  public void setup() {
    CallerFinder finder = new CallerFinder(List.of("org.apache.hadoop.fs."), List.of());
    PrototypeWalkers proto = new PrototypeWalkers("org.apache.hadoop.fs.");
    CallerKind expected;
    if (caller.equals("user")) {
      entry = UserLoader.userEntry("dev.egress.bench.walk.user.UserCell");
      expected = CallerKind.USER_DIRECT;
    } else {
      entry = new BenchGatewayFileSystem();
      expected = CallerKind.PLATFORM_MEDIATED;
    }
    agent = finder::kind;
    stackWalkerClassOnly = proto::stackWalkerClassOnly;
    classContext = proto::classContext;
    for (Task t : List.of(agent, stackWalkerClassOnly, classContext)) {
      Object k = entry.enter(depth, t);
      if (k != expected) {
        throw new IllegalStateException(caller + ": " + k + " instead of " + expected);
      }
    }
    System.out.println(
        "\nDROP_METHOD_INFO available: "
            + proto.dropMethodInfo()
            + " (java "
            + Runtime.version()
            + ")");
  }

  @Benchmark
  public Object agentFinder() {
    return entry.enter(depth, agent);
  }

  @Benchmark
  public Object stackWalkerClassOnly() {
    return entry.enter(depth, stackWalkerClassOnly);
  }

  @Benchmark
  public Object classContext() {
    return entry.enter(depth, classContext);
  }
}
