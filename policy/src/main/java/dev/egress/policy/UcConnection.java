package dev.egress.policy;

import java.util.Map;

/**
 * A Unity Catalog connection; only {@code options.host} matters to the policy (its host is
 * allowed).
 */
public record UcConnection(String name, String connectionType, Map<String, String> options) {
  public UcConnection {
    options = Map.copyOf(options);
  }

  /** The canonical host of the connection, or null when the options name none. */
  public String host() {
    return options.get("host");
  }
}
