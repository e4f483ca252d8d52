package dev.egress.policy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workspace-independent part of one network policy, compiled once per policy version: hash
 * tables of exact names and of wildcard suffixes, so that a decision costs a few lookups whatever
 * the number of destinations.
 */
final class CompiledPolicy {
  /**
   * RESTRICTED_ACCESS with nothing allowed: for an unbound workspace when there is no {@code
   * default-policy}.
   */
  static final CompiledPolicy NOTHING_ALLOWED = new CompiledPolicy(null);

  final NetworkPolicy policy; // null for NOTHING_ALLOWED
  final String id;
  final boolean fullAccess;
  final NameTable<String> exactAllowed;
  final NameTable<String>
      wildcardAllowed; // key: the suffix after "*."; value: the entry as written
  final NameTable<String> exactBlocked;
  final NameTable<String> wildcardBlocked;

  /** IPv4 literals listed as internet destinations: they allow a connect to that address. */
  final Set<InetAddress> allowedAddresses;

  final long[] allowedWorkspaceIds; // sorted, for binary search

  CompiledPolicy(NetworkPolicy policy) {
    this.policy = policy;
    this.id = policy == null ? null : policy.networkPolicyId();
    this.fullAccess = policy != null && policy.restrictionMode() == RestrictionMode.FULL_ACCESS;
    List<String> allowed = policy == null ? List.of() : policy.allowedInternetDestinations();
    List<String> blocked = policy == null ? List.of() : policy.blockedInternetDestinations();
    Map<String, String> exact = new HashMap<>();
    Map<String, String> wild = new HashMap<>();
    split(allowed, exact, wild);
    exactAllowed = NameTable.of(exact);
    wildcardAllowed = NameTable.of(wild);
    Set<InetAddress> addresses = new HashSet<>();
    for (String name : exact.keySet()) {
      long v4 = IpLiterals.parseJavaV4(name);
      if (v4 != IpLiterals.NONE) {
        addresses.add(IpLiterals.v4Address((int) v4));
      }
    }
    exact = new HashMap<>();
    wild = new HashMap<>();
    split(blocked, exact, wild);
    exactBlocked = NameTable.of(exact);
    wildcardBlocked = NameTable.of(wild);
    for (String name : exact.keySet()) {
      long v4 = IpLiterals.parseJavaV4(name);
      if (v4 != IpLiterals.NONE) {
        addresses.remove(IpLiterals.v4Address((int) v4)); // blocked wins over allowed
      }
    }
    allowedAddresses = Set.copyOf(addresses);
    allowedWorkspaceIds =
        policy == null
            ? new long[0]
            : policy.allowedDatabricksWorkspaceIds().stream()
                .mapToLong(Long::longValue)
                .sorted()
                .toArray();
  }

  private static void split(
      List<String> entries, Map<String, String> exact, Map<String, String> wild) {
    for (String e : entries) {
      String c = HostNames.canonicalPattern(e);
      if (c == null) {
        throw new IllegalArgumentException("invalid host name \"" + HostNames.sanitize(e) + "\"");
      }
      if (c.startsWith("*.")) {
        wild.putIfAbsent(c.substring(2), c);
      } else {
        exact.putIfAbsent(c, c);
      }
    }
  }

  boolean allowsWorkspace(long workspaceId) {
    return Arrays.binarySearch(allowedWorkspaceIds, workspaceId) >= 0;
  }

  /** The blocked entry matching {@code name}, or null. */
  String blockedEntry(String name) {
    String e = exactBlocked.get(name);
    return e != null ? e : wildcardBlocked.findDotSuffix(name);
  }

  boolean dryRunFor(Product product) {
    return policy != null && policy.dryRunFor(product);
  }
}
