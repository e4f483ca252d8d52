package dev.egress.collector.cli;

import dev.egress.policy.PolicyDocument;
import dev.egress.policy.PolicyEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code validate}: checks policy files exactly as the agent and the collector will read them. An
 * error is printed as {@code file:line:column: at $.json.path: problem} (the form editors and CI
 * annotate); the parser stops at a file's first error, so fix and re-run. Exit 1 when any file is
 * invalid.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Check policy files; prints each error with its line and column; exit 1 on any error.")
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "POLICY.json",
      description = "Policy documents to check.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int invalid = 0;
    for (Path f : files) {
      try {
        PolicyEngine engine = PolicyFiles.load(f);
        PolicyDocument doc = engine.document();
        out.println(
            f
                + ": OK ("
                + (doc.policySet() ? "policy set" : "single policy")
                + ", "
                + doc.networkPolicies().size()
                + " network policies, "
                + doc.workspaces().size()
                + " workspaces)");
      } catch (PolicyFiles.Invalid e) {
        err.println(e.getMessage());
        invalid++;
      }
    }
    out.flush();
    err.flush();
    return invalid == 0 ? 0 : 1;
  }
}
