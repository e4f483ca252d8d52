package dev.egress.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A compiled policy document: built once per policy version, immutable and thread-safe. {@link
 * #select} gives the policy of one JVM (its workspace and product).
 */
public final class PolicyEngine {
  public static final String DEFAULT_POLICY_ID = "default-policy";

  private final PolicyDocument doc;
  private final Map<String, CompiledPolicy> policies;
  private final Map<Long, WorkspaceBinding> workspaces;
  private final String unavailableReason;

  private PolicyEngine(
      PolicyDocument doc,
      Map<String, CompiledPolicy> policies,
      Map<Long, WorkspaceBinding> workspaces,
      String unavailableReason) {
    this.doc = doc;
    this.policies = policies;
    this.workspaces = workspaces;
    this.unavailableReason = unavailableReason;
  }

  /**
   * Validates {@code doc} (also when it was not built by {@link PolicyParser}) and builds its
   * matchers.
   *
   * @throws IllegalArgumentException on a duplicate policy or workspace id, a binding to an unknown
   *     policy, or an invalid host name
   */
  public static PolicyEngine compile(PolicyDocument doc) {
    Objects.requireNonNull(doc, "doc");
    Map<String, CompiledPolicy> policies = new HashMap<>();
    for (NetworkPolicy p : doc.networkPolicies()) {
      if (doc.policySet() && p.networkPolicyId() == null) {
        throw new IllegalArgumentException(
            "a network policy of a policy set has no network_policy_id");
      }
      if (policies.put(p.networkPolicyId(), new CompiledPolicy(p)) != null) {
        throw new IllegalArgumentException(
            "duplicate network_policy_id \"" + p.networkPolicyId() + "\"");
      }
    }
    if (!doc.policySet() && doc.networkPolicies().size() != 1) {
      throw new IllegalArgumentException(
          "a bare AccountNetworkPolicy document holds exactly one policy");
    }
    Map<Long, WorkspaceBinding> workspaces = new HashMap<>();
    for (WorkspaceBinding w : doc.workspaces()) {
      if (workspaces.put(w.workspaceId(), w) != null) {
        throw new IllegalArgumentException("duplicate workspace_id " + w.workspaceId());
      }
      if (w.networkPolicyId() != null && !policies.containsKey(w.networkPolicyId())) {
        throw new IllegalArgumentException(
            "workspace "
                + w.workspaceId()
                + " is bound to unknown network policy \""
                + w.networkPolicyId()
                + "\"");
      }
      for (String h : w.deploymentHosts()) {
        if (!h.equals(HostNames.canonical(h))) {
          throw new IllegalArgumentException(
              "invalid or non-canonical deployment host \"" + HostNames.sanitize(h) + "\"");
        }
      }
    }
    return new PolicyEngine(doc, Map.copyOf(policies), Map.copyOf(workspaces), null);
  }

  /**
   * Fail closed: RESTRICTED, nothing allowed, every denial has reason POLICY_UNAVAILABLE and is a
   * DROP.
   */
  public static PolicyEngine unavailable(String why) {
    return new PolicyEngine(null, Map.of(), Map.of(), Objects.requireNonNullElse(why, "no policy"));
  }

  /** The document this engine was compiled from; null for {@link #unavailable}. */
  public PolicyDocument document() {
    return doc;
  }

  /** The policy one JVM uses. */
  public EffectivePolicy select(Selection sel) {
    Objects.requireNonNull(sel, "sel");
    if (unavailableReason != null) {
      return new EffectivePolicy(
          null,
          sel.workspaceId(),
          CompiledPolicy.NOTHING_ALLOWED,
          false,
          unavailableReason,
          sel.internalCidrs(),
          sel.internalHosts(),
          WorkspaceHosts.NONE,
          StorageMatcher.NONE,
          Set.of());
    }
    WorkspaceBinding binding = sel.workspaceId() == null ? null : workspaces.get(sel.workspaceId());
    CompiledPolicy policy;
    if (!doc.policySet()) {
      policy = policies.values().iterator().next(); // a bare policy applies to every workspace
    } else if (binding != null && binding.networkPolicyId() != null) {
      policy = policies.get(binding.networkPolicyId());
    } else {
      policy = policies.getOrDefault(DEFAULT_POLICY_ID, CompiledPolicy.NOTHING_ALLOWED);
    }
    boolean dryRun;
    switch (sel.modeOverride()) {
      case DRY_RUN:
        dryRun = true;
        break;
      case ENFORCE:
        dryRun = false;
        break;
      default:
        dryRun = policy.dryRunFor(sel.product());
    }
    if (policy == CompiledPolicy.NOTHING_ALLOWED) {
      return new EffectivePolicy(
          doc.accountId(),
          sel.workspaceId(),
          policy,
          dryRun,
          null,
          sel.internalCidrs(),
          sel.internalHosts(),
          WorkspaceHosts.NONE,
          StorageMatcher.NONE,
          Set.of());
    }
    List<List<StorageDestination>> storage = new ArrayList<>();
    storage.add(policy.policy.allowedStorageDestinations());
    storage.add(doc.platform().systemTablesStorage());
    storage.add(doc.platform().sampleDatasetsStorage());
    Set<InetAddress> addresses = new HashSet<>(policy.allowedAddresses);
    if (binding != null) {
      storage.add(binding.workspaceStorage());
      List<StorageDestination> locations = new ArrayList<>();
      binding.externalLocations().forEach(l -> locations.add(l.storage()));
      storage.add(locations);
      for (UcConnection c : binding.connections()) {
        InetAddress literal = c.host() == null ? null : IpLiterals.parse(c.host());
        if (literal != null) {
          addresses.add(literal); // a connection to a database by address
        }
      }
    }
    return new EffectivePolicy(
        doc.accountId(),
        sel.workspaceId(),
        policy,
        dryRun,
        null,
        sel.internalCidrs(),
        sel.internalHosts(),
        WorkspaceHosts.build(doc, sel.workspaceId(), policy),
        StorageMatcher.of(storage),
        Set.copyOf(addresses));
  }
}
