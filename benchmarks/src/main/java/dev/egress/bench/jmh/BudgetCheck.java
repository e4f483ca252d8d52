package dev.egress.bench.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks that issue 7 puts a budget on, with short settings, prints each figure next
 * to its budget, and exits 1 when one is missed (2 when the run itself failed). The verdict is on
 * the JMH mean; the best iteration is printed beside it because on a shared machine the mean
 * carries the other processes' load.
 *
 * <ul>
 *   <li>an allowed decision (exact name, wildcard name, address with one verified name) at 100,000
 *       destinations: at most 100 ns;
 *   <li>a storage decision with its caller walk at stack depth 100 (user code and gateway at the
 *       bottom): at most 5 us.
 * </ul>
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.egress.bench.jmh.BudgetCheck [JMH
 * options]}: the defaults are {@code -f 1 -wi 2 -i 3 -w 1s -r 1s}; any of these given on the
 * command line wins.
 */
public final class BudgetCheck {
  private static final double DECISION_BUDGET_NS = 100;
  private static final double STORAGE_WALK_BUDGET_NS = 5_000;

  public static void main(String[] args) throws Exception {
    CommandLineOptions cmd = new CommandLineOptions(args);
    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            "allowed exact name, 100,000 destinations",
            DECISION_BUDGET_NS,
            DecisionBenchmark.class,
            "allowedExact",
            "destinations",
            "100000"));
    checks.add(
        new Check(
            "allowed wildcard name, 100,000 destinations",
            DECISION_BUDGET_NS,
            DecisionBenchmark.class,
            "allowedWildcard",
            "destinations",
            "100000"));
    checks.add(
        new Check(
            "allowed address + 1 verified name, 100,000 dest.",
            DECISION_BUDGET_NS,
            DecisionBenchmark.class,
            "allowedAddress",
            "destinations",
            "100000"));
    checks.add(
        new Check(
            "storage decision + walk, depth 100, user code",
            STORAGE_WALK_BUDGET_NS,
            CallerWalkBenchmark.class,
            "storageDecision",
            "depth",
            "100",
            "caller",
            "user"));
    checks.add(
        new Check(
            "storage decision + walk, depth 100, gateway",
            STORAGE_WALK_BUDGET_NS,
            CallerWalkBenchmark.class,
            "storageDecision",
            "depth",
            "100",
            "caller",
            "gateway"));

    boolean missed = false;
    List<String> lines = new ArrayList<>();
    for (Check c : checks) {
      ChainedOptionsBuilder b =
          new OptionsBuilder()
              .parent(cmd)
              .include("^" + c.type.getName().replace(".", "\\.") + "\\." + c.method + "$")
              .timeUnit(TimeUnit.NANOSECONDS)
              .shouldFailOnError(true);
      for (int i = 0; i < c.params.length; i += 2) {
        b.param(c.params[i], c.params[i + 1]);
      }
      if (!cmd.getForkCount().hasValue()) {
        b.forks(1);
      }
      if (!cmd.getWarmupIterations().hasValue()) {
        b.warmupIterations(2);
      }
      if (!cmd.getMeasurementIterations().hasValue()) {
        b.measurementIterations(3);
      }
      if (!cmd.getWarmupTime().hasValue()) {
        b.warmupTime(TimeValue.seconds(1));
      }
      if (!cmd.getMeasurementTime().hasValue()) {
        b.measurementTime(TimeValue.seconds(1));
      }
      Options opts = b.build();
      Collection<RunResult> results;
      try {
        results = new Runner(opts).run();
      } catch (Exception e) {
        System.err.println("BudgetCheck: " + c.what + ": the run failed: " + e);
        System.exit(2);
        return;
      }
      if (results.size() != 1) {
        System.err.println(
            "BudgetCheck: " + c.what + ": expected one result, got " + results.size());
        System.exit(2);
      }
      RunResult r = results.iterator().next();
      double score = r.getPrimaryResult().getScore();
      double error = r.getPrimaryResult().getScoreError();
      // The best measurement iteration: on a shared machine the one least disturbed by other
      // processes.
      double best =
          r.getBenchmarkResults().stream()
              .flatMap(br -> br.getIterationResults().stream())
              .mapToDouble(ir -> ir.getPrimaryResult().getScore())
              .min()
              .orElse(Double.NaN);
      boolean ok = score <= c.budgetNs;
      missed |= !ok;
      lines.add(
          String.format(
              Locale.ROOT,
              "%-50s mean %9.1f ns/op (± %.1f), best iteration %9.1f   budget %6.0f ns" + "   %s%s",
              c.what,
              score,
              Double.isNaN(error) ? 0.0 : error,
              best,
              c.budgetNs,
              ok ? "MET" : "MISSED",
              !ok && best <= c.budgetNs ? " (best iteration within budget: noise?)" : ""));
    }
    System.out.println();
    System.out.println(
        "Budgets (issue 7), java "
            + Runtime.version()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores:");
    lines.forEach(System.out::println);
    System.out.println(missed ? "BUDGET MISSED" : "all budgets met");
    System.exit(missed ? 1 : 0);
  }

  private static final class Check {
    final String what;
    final double budgetNs;
    final Class<?> type;
    final String method;
    final String[] params;

    Check(String what, double budgetNs, Class<?> type, String method, String... params) {
      this.what = what;
      this.budgetNs = budgetNs;
      this.type = type;
      this.method = method;
      this.params = params;
    }
  }
}
