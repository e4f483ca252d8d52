package dev.egress.policy;

import java.util.List;
import java.util.Objects;

/**
 * A parsed policy document. {@code policySet} is false for a bare AccountNetworkPolicy, which then
 * is the only entry of {@code networkPolicies} and applies to every workspace.
 */
public record PolicyDocument(
    String accountId,
    List<NetworkPolicy> networkPolicies,
    List<WorkspaceBinding> workspaces,
    PlatformStorage platform,
    boolean policySet) {

  public PolicyDocument {
    networkPolicies = List.copyOf(networkPolicies);
    workspaces = List.copyOf(workspaces);
    platform = Objects.requireNonNullElse(platform, PlatformStorage.EMPTY);
  }
}
