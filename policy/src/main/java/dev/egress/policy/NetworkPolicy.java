package dev.egress.policy;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One AccountNetworkPolicy. Internet destinations are canonical names or {@code *.}-wildcards, as
 * written after canonicalisation; the Databricks workspace ids are the union of all {@code
 * workspace_ids} lists.
 */
public record NetworkPolicy(
    String networkPolicyId,
    RestrictionMode restrictionMode,
    List<String> allowedInternetDestinations,
    List<String> blockedInternetDestinations,
    List<StorageDestination> allowedStorageDestinations,
    Set<Long> allowedDatabricksWorkspaceIds,
    EnforcementMode enforcementMode,
    Set<Product> dryRunProductFilter) {

  public NetworkPolicy {
    Objects.requireNonNull(restrictionMode, "restrictionMode");
    allowedInternetDestinations = List.copyOf(allowedInternetDestinations);
    blockedInternetDestinations = List.copyOf(blockedInternetDestinations);
    allowedStorageDestinations = List.copyOf(allowedStorageDestinations);
    allowedDatabricksWorkspaceIds = Set.copyOf(allowedDatabricksWorkspaceIds);
    enforcementMode = enforcementMode == null ? EnforcementMode.ENFORCED : enforcementMode;
    dryRunProductFilter = Set.copyOf(dryRunProductFilter);
  }

  /** Whether this policy, on its own, puts {@code product} in dry run. */
  public boolean dryRunFor(Product product) {
    return enforcementMode == EnforcementMode.DRY_RUN
        && (dryRunProductFilter.isEmpty() || dryRunProductFilter.contains(product));
  }
}
