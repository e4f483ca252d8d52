package dev.egress.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Host names that the policy set ties to workspaces, seen from one workspace: its own deployment
 * hosts, those of workspaces it may call, its Unity Catalog connection hosts (all allowed) and the
 * deployment hosts of every other workspace (cross-workspace).
 */
final class WorkspaceHosts {
  static final WorkspaceHosts NONE = new WorkspaceHosts(NameTable.empty());

  /** Why a host is known; {@code allowed} false means it is another workspace's API. */
  record Rule(boolean allowed, long workspaceId, String why) {}

  private final NameTable<Rule> rules;

  private WorkspaceHosts(NameTable<Rule> rules) {
    this.rules = rules;
  }

  static WorkspaceHosts build(PolicyDocument doc, Long ownId, CompiledPolicy policy) {
    Map<String, Rule> map = new HashMap<>();
    for (WorkspaceBinding w : doc.workspaces()) {
      boolean own = ownId != null && ownId == w.workspaceId();
      boolean allowed = own || policy.allowsWorkspace(w.workspaceId());
      for (String h : w.deploymentHosts()) {
        String why =
            own
                ? "a deployment host of this workspace (" + w.workspaceId() + ")"
                : "a deployment host of workspace " + w.workspaceId();
        Rule r = new Rule(allowed, w.workspaceId(), why);
        // An allowing rule wins when two workspaces list the same host.
        map.merge(h, r, (a, b) -> a.allowed() ? a : b);
      }
      if (own) {
        for (UcConnection c : w.connections()) {
          if (c.host() != null) {
            map.put(
                c.host(),
                new Rule(
                    true,
                    w.workspaceId(),
                    "the host of Unity Catalog connection \"" + c.name() + "\""));
          }
        }
      }
    }
    return new WorkspaceHosts(NameTable.of(map));
  }

  Rule get(String name) {
    return rules.get(name);
  }
}
