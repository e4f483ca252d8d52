package dev.egress.bench.jmh;

import dev.egress.policy.EffectivePolicy;
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
 * Policy (re)load: parse the JSON text, compile the engine, select this JVM's policy. Warm
 * (AverageTime after warm-up iterations), which is what a periodic re-read costs; the first load at
 * start-up runs cold and costs more (run with {@code -bm ss -wi 0 -i 1 -f 5} for cold single
 * shots).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class PolicyLoadBenchmark {
  @Param({"100000"})
  public int destinations;

  private String json;

  @Setup
  public void setup() {
    json = Policies.json(destinations);
  }

  @Benchmark
  public EffectivePolicy parseCompileSelect() {
    return Policies.load(json);
  }
}
