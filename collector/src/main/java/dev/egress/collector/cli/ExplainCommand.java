package dev.egress.collector.cli;

import dev.egress.policy.CallerKind;
import dev.egress.policy.Decision;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.Product;
import dev.egress.policy.Protocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code explain}: what the agent would decide for one connection, using the policy engine itself,
 * and why. Exit 0 whatever the decision (1 only when the policy cannot be read), so that it can run
 * in a loop.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = "Show the decision, reason and explanation of the policy for one destination.")
public final class ExplainCommand implements Callable<Integer> {
  /**
   * Who makes the connection: user code directly, or the platform (its own code or its data layer).
   */
  enum As {
    user,
    platform,
    gateway
  }

  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "The policy document.")
  Path policy;

  @Option(
      names = "--workspace",
      description = "The workspace id of the JVM (absent: an unbound workspace).")
  Long workspace;

  @Option(names = "--host", required = true, description = "The host name or address connected to.")
  String host;

  @Option(names = "--port", defaultValue = "443", description = "Default ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--protocol",
      defaultValue = "TCP",
      description = "TCP, UDP or DNS. Default ${DEFAULT-VALUE}.")
  Protocol protocol;

  @Option(
      names = "--as",
      defaultValue = "user",
      description =
          "Who connects: user (notebook/UDF code), platform (the platform's own code) or gateway"
              + " (user code through the platform's data layer). Default ${DEFAULT-VALUE}.")
  As as;

  @Option(
      names = "--product",
      defaultValue = "GENERAL_COMPUTE",
      description = "The JVM's product (dry-run filters depend on it). Default ${DEFAULT-VALUE}.")
  Product product;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PolicyEngine engine;
    try {
      engine = PolicyFiles.load(policy);
    } catch (PolicyFiles.Invalid e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 1;
    }
    EffectivePolicy p = engine.select(PolicyFiles.selection(workspace, product));
    CallerKind kind =
        as == As.user
            ? CallerKind.USER_DIRECT
            : as == As.gateway ? CallerKind.PLATFORM_MEDIATED : CallerKind.PLATFORM;
    Decision d = p.decideName(host, port, protocol, () -> kind);
    out.println("destination: " + host + ":" + port + "/" + protocol + " (as " + as + ")");
    out.println("policy:      " + describe(p));
    out.println("decision:    " + d.action());
    out.println("reason:      " + (d.reason() == null ? "-" : d.reason().code()));
    out.println("explanation: " + d.explanation());
    out.flush();
    return 0;
  }

  static String describe(EffectivePolicy p) {
    String id =
        p.networkPolicyId() == null
            ? "(none: RESTRICTED_ACCESS, nothing allowed)"
            : p.networkPolicyId();
    String mode = p.fullAccess() ? "FULL_ACCESS" : "RESTRICTED_ACCESS";
    return id
        + " (workspace "
        + (p.workspaceId() == null ? "unbound" : p.workspaceId())
        + ", "
        + mode
        + ", "
        + (p.dryRun() ? "dry run" : "enforced")
        + ")";
  }
}
