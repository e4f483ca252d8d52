package dev.egress.collector.cli;

import dev.egress.policy.CidrSet;
import dev.egress.policy.ModeOverride;
import dev.egress.policy.PolicyDocument;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.PolicyException;
import dev.egress.policy.PolicyParser;
import dev.egress.policy.Product;
import dev.egress.policy.Selection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Reading a policy file for the tools, with the agent's own parser and compiler. */
final class PolicyFiles {
  /**
   * The agent's defaults (SPEC section 3): loopback is the cluster's own network and never subject
   * to policy.
   */
  static final CidrSet INTERNAL = CidrSet.parse(List.of("127.0.0.0/8", "::1/128"));

  private PolicyFiles() {}

  /**
   * A file that could not be used, its message in {@code file:line:column: at path: problem} form.
   */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  static PolicyEngine load(Path file) throws Invalid {
    PolicyDocument doc;
    try (InputStream in = Files.newInputStream(file)) {
      doc = PolicyParser.parse(in);
    } catch (PolicyException e) {
      throw new Invalid(
          file + ":" + e.line() + ":" + e.column() + ": at " + e.jsonPath() + ": " + e.problem());
    } catch (IOException e) {
      throw new Invalid(file + ": cannot be read: " + e.getMessage());
    }
    try {
      return PolicyEngine.compile(doc);
    } catch (IllegalArgumentException e) {
      throw new Invalid(file + ": " + e.getMessage());
    }
  }

  static Selection selection(Long workspaceId, Product product) {
    return new Selection(workspaceId, product, ModeOverride.NONE, INTERNAL, Set.of("localhost"));
  }

  /**
   * The record's {@code network_source_type} as a product; the default product when it names none.
   */
  static Product product(String networkSourceType) {
    if (networkSourceType != null) {
      for (Product p : Product.values()) {
        if (p.name().equalsIgnoreCase(networkSourceType)) {
          return p;
        }
      }
    }
    return Product.GENERAL_COMPUTE;
  }
}
