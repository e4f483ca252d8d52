package dev.egress.spark.bench;

import dev.egress.spark.launch.SparkDriverJvm;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the shuffle-heavy job (a groupBy over generated rows, about one key per three rows, so
 * nearly every row crosses the shuffle) in local-cluster[2,1,1024] without and with the agent on
 * the driver and both executors, alternating, and prints the times and the ratio.
 *
 * <pre>
 *   java -cp "spark-apps/target/spark-home/jars/*:spark-apps/target/classes" \
 *     dev.egress.spark.bench.OverheadHarness [rows=3000000] [rounds=2] [agent-jar] [work-dir]
 * </pre>
 *
 * Per driver JVM the job runs three times; the first (cold) run and the best of the two warm runs
 * are reported, and the whole driver JVM's wall time (start, two executors, three jobs, stop).
 */
public final class OverheadHarness {
  private OverheadHarness() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path agent =
        Path.of(args.length > 2 ? args[2] : "agent/target/egress-agent.jar").toAbsolutePath();
    Path work = Path.of(args.length > 3 ? args[3] : "spark-apps/target/bench").toAbsolutePath();
    Files.createDirectories(work);
    Path policy = work.resolve("policy.json");
    Files.writeString(
        policy,
        """
        { "network_policy_id": "restricted",
          "egress": { "network_access": { "restriction_mode": "RESTRICTED_ACCESS" } } }
        """);
    long[][] sums = new long[2][3];
    for (int round = 0; round < rounds; round++) {
      for (int withAgent = 0; withAgent < 2; withAgent++) {
        SparkDriverJvm jvm =
            new SparkDriverJvm(work.resolve("r" + round + (withAgent == 1 ? "-agent" : "-plain")))
                .agent(withAgent == 1 ? agent : null, withAgent == 1 ? policy : null)
                .args("shuffle", Long.toString(rows), "3")
                .timeoutSeconds(600);
        SparkDriverJvm.Result r = jvm.run();
        if (r.exitCode != 0 || r.get("shuffle.0.ms") == null) {
          throw new IllegalStateException("driver failed: " + r);
        }
        long cold = Long.parseLong(r.get("shuffle.0.ms"));
        long warm =
            Math.min(Long.parseLong(r.get("shuffle.1.ms")), Long.parseLong(r.get("shuffle.2.ms")));
        sums[withAgent][0] += cold;
        sums[withAgent][1] += warm;
        sums[withAgent][2] += r.elapsedMs;
        System.out.printf(
            "round %d %-8s cold job %6d ms, warm job %6d ms, driver JVM %6d ms, groups %s%n",
            round,
            withAgent == 1 ? "agent" : "no-agent",
            cold,
            warm,
            r.elapsedMs,
            r.get("shuffle.0.groups"));
      }
    }
    String[] what = {"cold job", "warm job", "driver JVM wall"};
    System.out.printf(
        "%d rows, %d rounds, java %s%n",
        rows, rounds, System.getProperty("it.java.home", System.getProperty("java.home")));
    for (int i = 0; i < 3; i++) {
      System.out.printf(
          "%-16s no-agent %7.0f ms  agent %7.0f ms  ratio %.3f%n",
          what[i],
          sums[0][i] / (double) rounds,
          sums[1][i] / (double) rounds,
          sums[1][i] / (double) sums[0][i]);
    }
  }
}
