package dev.egress.collector.auth;

import java.util.Set;

/**
 * What one token may do: write and read the records, and read the policy, of these workspaces, or
 * all.
 */
public record TokenScope(String name, boolean admin, Set<Long> workspaces) {
  public TokenScope {
    workspaces = Set.copyOf(workspaces);
  }

  public boolean allows(Long workspaceId) {
    // A record of an unknown workspace (the agent had no workspace id) belongs to no one's scope
    // but an admin's.
    return admin || (workspaceId != null && workspaces.contains(workspaceId));
  }

  /** The workspaces a query is limited to; null for an admin (no limit). */
  public Set<Long> readScope() {
    return admin ? null : workspaces;
  }
}
