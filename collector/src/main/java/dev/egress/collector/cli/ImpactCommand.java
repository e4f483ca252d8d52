package dev.egress.collector.cli;

import dev.egress.collector.record.ViolationRow;
import dev.egress.policy.Action;
import dev.egress.policy.Decision;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code impact}: replays a log against a candidate policy and says what would change for the
 * traffic it recorded. Today's verdict is the record's: a {@code DRY_RUN_DENIAL} went through, a
 * {@code DROP} did not. The candidate's verdict is the engine's: DROP blocks, ALLOW and
 * DRY_RUN_DENIAL let through.
 *
 * <ul>
 *   <li>newly blocked: flows today, the candidate would block it;
 *   <li>newly allowed: blocked today, the candidate would let it through.
 * </ul>
 *
 * A log holds only denials, so destinations today's policy allows silently are not in it and cannot
 * be judged: run the current policy in dry-run mode for a while to record them.
 */
@Command(
    name = "impact",
    mixinStandardHelpOptions = true,
    description =
        "Which recorded destinations a candidate policy would newly block or newly allow.")
public final class ImpactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "The candidate policy document.")
  Path policy;

  @Mixin RecordSource source;

  /** One destination of one workspace: how many violations, and what the candidate says. */
  private static final class Change {
    long count;
    String now;
    String candidate;
    String explanation;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    source.check();
    RecordDecider decider;
    try {
      decider = new RecordDecider(PolicyFiles.load(policy));
    } catch (PolicyFiles.Invalid e) {
      err.println(e.getMessage());
      return 1;
    }
    List<ViolationRow> rows = new ArrayList<>();
    if (source.isLog()) {
      rows.addAll(source.readLog(err));
    } else {
      source.queryCollector(Map.of(), rows::add, err);
    }
    Map<String, Change> newlyBlocked = new TreeMap<>();
    Map<String, Change> newlyAllowed = new TreeMap<>();
    long unchanged = 0;
    long unjudged = 0;
    for (ViolationRow r : rows) {
      Decision d = decider.decide(r);
      if (d == null) {
        unjudged += r.count();
        continue;
      }
      boolean flowsNow = r.accessType().equals("DRY_RUN_DENIAL");
      boolean flowsThen = d.action() != Action.DROP;
      Map<String, Change> bucket =
          flowsNow == flowsThen ? null : flowsNow ? newlyBlocked : newlyAllowed;
      if (bucket == null) {
        unchanged += r.count();
        continue;
      }
      String key =
          "workspace "
              + (r.workspaceId() == null ? "-" : r.workspaceId())
              + "  "
              + r.destination()
              + (r.port() == null ? "" : ":" + r.port());
      Change c = bucket.computeIfAbsent(key, k -> new Change());
      c.count += r.count();
      c.now = r.accessType() + " " + r.reason();
      c.candidate = d.action() + (d.reason() == null ? "" : " " + d.reason().code());
      c.explanation = d.explanation();
    }
    print(out, "newly blocked by the candidate (flows today)", newlyBlocked);
    print(out, "newly allowed by the candidate (blocked today)", newlyAllowed);
    out.println();
    out.println(
        "unchanged: "
            + unchanged
            + " violations"
            + (unjudged > 0 ? "; not judged (address not a literal): " + unjudged : ""));
    out.flush();
    err.flush();
    return 0;
  }

  private static void print(PrintWriter out, String title, Map<String, Change> changes) {
    long total = changes.values().stream().mapToLong(c -> c.count).sum();
    out.println(
        title
            + ": "
            + changes.size()
            + (changes.size() == 1 ? " destination, " : " destinations, ")
            + total
            + (total == 1 ? " violation" : " violations"));
    changes.forEach(
        (k, c) ->
            out.println(
                "  " + k + "  (" + c.count + ")  now: " + c.now + "  candidate: " + c.candidate));
  }
}
