package dev.egress.policy;

import java.util.Objects;
import java.util.Set;

/**
 * What identifies one JVM to the engine: its workspace (null when unknown), product, mode setting,
 * internal networks and internal host names (canonical names never subject to policy, such as
 * {@code localhost}).
 */
public record Selection(
    Long workspaceId,
    Product product,
    ModeOverride modeOverride,
    CidrSet internalCidrs,
    Set<String> internalHosts) {

  public Selection {
    product = Objects.requireNonNullElse(product, Product.GENERAL_COMPUTE);
    modeOverride = Objects.requireNonNullElse(modeOverride, ModeOverride.NONE);
    internalCidrs = Objects.requireNonNullElse(internalCidrs, CidrSet.EMPTY);
    internalHosts = internalHosts == null ? Set.of() : Set.copyOf(internalHosts);
  }

  /** A workspace with the default product, the policy's mode and no internal networks. */
  public static Selection of(Long workspaceId) {
    return new Selection(
        workspaceId, Product.GENERAL_COMPUTE, ModeOverride.NONE, CidrSet.EMPTY, Set.of());
  }
}
