package dev.egress.policy;

import java.util.List;

/**
 * One entry of {@code workspaces}: the policy a workspace is bound to (null: the default policy)
 * and the workspace's implicit destinations.
 */
public record WorkspaceBinding(
    long workspaceId,
    String networkPolicyId,
    List<String> deploymentHosts,
    List<StorageDestination> workspaceStorage,
    List<ExternalLocation> externalLocations,
    List<UcConnection> connections) {

  public WorkspaceBinding {
    deploymentHosts = List.copyOf(deploymentHosts);
    workspaceStorage = List.copyOf(workspaceStorage);
    externalLocations = List.copyOf(externalLocations);
    connections = List.copyOf(connections);
  }
}
