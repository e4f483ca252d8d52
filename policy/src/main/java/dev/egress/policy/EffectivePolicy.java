package dev.egress.policy;

import java.net.InetAddress;
import java.util.Set;

/**
 * The policy one JVM enforces: a network policy seen from one workspace and product. Immutable and
 * thread-safe.
 *
 * <p>Allowed decisions return {@link Decision#ALLOW} and allocate nothing: names already in
 * canonical form are used as they are, and every table is probed with regions of the name. The
 * caller probe is asked only for metadata endpoints under FULL_ACCESS and for storage hosts, the
 * two rules that depend on who asks.
 */
public final class EffectivePolicy {
  private static final String[] NO_NAMES = new String[0];

  /** How many allowed names each policy remembers (see {@link #allowedNames}). */
  private static final int MAX_REMEMBERED = 10_000;

  private final String accountId;
  private final Long workspaceId;
  private final CompiledPolicy policy;
  private final boolean dryRun;
  private final String unavailableReason; // non-null: fail closed
  private final CidrSet internalCidrs;
  private final Set<String> internalHosts;
  private final WorkspaceHosts workspaceHosts;
  private final StorageMatcher storage;
  private final Set<InetAddress> allowedAddresses;

  /**
   * Names (as given, before canonicalization) this policy has allowed by name alone, without asking
   * who calls: a repeated connect or lookup of the same host (the common case: a client talking to
   * one service) is then one hash lookup. A policy is immutable, so its answer for a name never
   * changes; a reload brings a new policy with an empty memory. Storage and metadata names, whose
   * answer depends on the caller, are never remembered. Bounded: past the limit nothing is added.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Boolean> allowedNames =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Storage denials this policy has built, by canonical name and caller kind: a denial's text
   * depends only on the name, the kind and the (immutable) policy, and building it (an explanation
   * of a few hundred characters) costs more than the rest of the decision. Bounded like {@link
   * #allowedNames}: past the limit each denial is built anew.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Decision> userStorageDenials =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.concurrent.ConcurrentHashMap<String, Decision> platformStorageDenials =
      new java.util.concurrent.ConcurrentHashMap<>();

  EffectivePolicy(
      String accountId,
      Long workspaceId,
      CompiledPolicy policy,
      boolean dryRun,
      String unavailableReason,
      CidrSet internalCidrs,
      Set<String> internalHosts,
      WorkspaceHosts workspaceHosts,
      StorageMatcher storage,
      Set<InetAddress> allowedAddresses) {
    this.accountId = accountId;
    this.workspaceId = workspaceId;
    this.policy = policy;
    this.dryRun = dryRun;
    this.unavailableReason = unavailableReason;
    this.internalCidrs = internalCidrs;
    this.internalHosts = internalHosts;
    this.workspaceHosts = workspaceHosts;
    this.storage = storage;
    this.allowedAddresses = allowedAddresses;
  }

  public String accountId() {
    return accountId;
  }

  /**
   * Null when the workspace got RESTRICTED_ACCESS with nothing allowed, or no policy is available.
   */
  public String networkPolicyId() {
    return policy.id;
  }

  public Long workspaceId() {
    return workspaceId;
  }

  public boolean fullAccess() {
    return unavailableReason == null && policy.fullAccess;
  }

  /** Whether denials are only recorded ({@link Action#DRY_RUN_DENIAL}) instead of enforced. */
  public boolean dryRun() {
    return dryRun;
  }

  public boolean unavailable() {
    return unavailableReason != null;
  }

  public String unavailableReason() {
    return unavailableReason;
  }

  /**
   * The network policy this JVM enforces, or null for "nothing allowed" and an unavailable policy.
   */
  public NetworkPolicy networkPolicy() {
    return policy.policy;
  }

  // ----------------------------------------------------------------------------------------------
  // names

  /**
   * A name lookup (DNS), or a connect whose name the agent verified. {@code name} is as the app
   * gave it.
   */
  public Decision decideName(String name, int port, Protocol protocol, CallerProbe caller) {
    if (name != null && allowedNames.get(name) != null) {
      return Decision.ALLOW;
    }
    String c = HostNames.canonical(name);
    if (c == null) {
      // "[::1]" and "::ffff:10.0.0.1" are not host names but addresses: judge the address.
      InetAddress literal = name == null || name.indexOf(':') < 0 ? null : IpLiterals.parseV6(name);
      if (literal != null) {
        return decideAddress(literal, NO_NAMES, null, port, protocol, caller);
      }
      if (unavailableReason == null && policy.fullAccess) {
        return Decision
            .ALLOW; // FULL_ACCESS blocks nothing but metadata; an invalid name cannot be one
      }
      String raw = HostNames.sanitize(name);
      return Decision.dns(
          action(true),
          unavailableReason != null ? Reason.POLICY_UNAVAILABLE : Reason.NOT_ALLOWED,
          raw,
          unavailableReason != null
              ? Explanations.unavailable(unavailableReason)
              : Explanations.invalidName(raw, policy.id, workspaceId));
    }
    if (MetadataEndpoints.isMetadataName(c)) {
      return metadata(c, DestinationType.DNS, caller);
    }
    if (internalHosts.contains(c)) {
      return remember(name, c);
    }
    if (c.charAt(0) <= '9' && IpLiterals.parseJavaV4(c) != IpLiterals.NONE) {
      // Java connects to "10.1.2.3" (and "167838211") without a lookup: an address, not a name.
      return decideAddress(
          IpLiterals.v4Address((int) IpLiterals.parseJavaV4(c)),
          NO_NAMES,
          null,
          port,
          protocol,
          caller);
    }
    if (unavailableReason != null) {
      return Decision.dns(
          Action.DROP, Reason.POLICY_UNAVAILABLE, c, Explanations.unavailable(unavailableReason));
    }
    if (policy.fullAccess) {
      return remember(name, c);
    }
    Decision d = nameRules(c, caller);
    return d == Decision.ALLOW ? remember(name, c) : d;
  }

  /**
   * A connect to a Unix domain socket ({@code /var/run/docker.sock} is a way out of the container).
   * Platform code may connect to any; user code only to a path under one of {@code allowedPrefixes}
   * (the {@code unix.sockets} setting). Denied: reason not-allowed, destination {@code
   * unix:<path>}, destination type IP (the record has no type of its own for a socket file).
   */
  public Decision decideUnixSocket(
      String path, java.util.List<String> allowedPrefixes, CallerProbe caller) {
    for (String prefix : allowedPrefixes) {
      if (path.startsWith(prefix)) {
        return Decision.ALLOW;
      }
    }
    if (kindOf(caller) != CallerKind.USER_DIRECT) {
      return Decision.ALLOW;
    }
    String destination = "unix:" + path;
    return Decision.ip(
        action(true),
        Reason.NOT_ALLOWED,
        destination,
        "user code may not connect to the Unix domain socket "
            + path
            + ": list its path (or a directory prefix) in the agent setting unix.sockets to allow it");
  }

  /** Remembers that {@code raw} is allowed, unless the answer could depend on the caller. */
  private Decision remember(String raw, String canonical) {
    if (allowedNames.size() < MAX_REMEMBERED && StorageHosts.parse(canonical) == 0) {
      allowedNames.put(raw, Boolean.TRUE);
    }
    return Decision.ALLOW;
  }

  /**
   * A connect to an address. {@code verifiedNames}: canonical names the agent itself saw resolve to
   * this address (may be empty, never null). {@code carriedName}: the host name the InetAddress
   * carried that was NOT verified (null if none).
   */
  public Decision decideAddress(
      InetAddress address,
      String[] verifiedNames,
      String carriedName,
      int port,
      Protocol protocol,
      CallerProbe caller) {
    if (MetadataEndpoints.isMetadataAddress(address)) {
      return metadata(address.getHostAddress(), DestinationType.IP, caller);
    }
    if (internalCidrs.contains(address)) {
      return Decision.ALLOW;
    }
    if (unavailableReason != null) {
      String lit = address.getHostAddress();
      return Decision.ip(
          Action.DROP, Reason.POLICY_UNAVAILABLE, lit, Explanations.unavailable(unavailableReason));
    }
    if (policy.fullAccess || allowedAddresses.contains(address)) {
      return Decision.ALLOW;
    }
    Decision firstDenial = null;
    if (verifiedNames != null) {
      for (String raw : verifiedNames) {
        if (allowedNames.get(raw) != null) {
          return Decision.ALLOW;
        }
        String c = HostNames.canonical(raw);
        if (c == null) {
          continue; // the agent passes names it resolved; an invalid one allows nothing
        }
        Decision d;
        if (MetadataEndpoints.isMetadataName(c)) {
          d = metadata(c, DestinationType.DNS, caller);
        } else if (internalHosts.contains(c)) {
          d = Decision.ALLOW;
        } else {
          d = nameRules(c, caller);
        }
        if (d == Decision.ALLOW) {
          return MetadataEndpoints.isMetadataName(c) ? d : remember(raw, c);
        }
        if (firstDenial == null) {
          firstDenial = d;
        }
      }
    }
    if (firstDenial != null) {
      return firstDenial;
    }
    String lit = address.getHostAddress();
    if (carriedName != null) {
      return Decision.ip(
          action(true),
          Reason.UNVERIFIED_NAME,
          lit,
          Explanations.unverifiedName(
              lit, HostNames.sanitize(carriedName), policy.id, workspaceId));
    }
    return Decision.ip(
        action(true),
        Reason.NOT_ALLOWED,
        lit,
        Explanations.bareAddress(lit, policy.id, workspaceId));
  }

  /**
   * A request to a path-style storage host ({@code s3.<region>.amazonaws.com/bucket/...}, {@code
   * storage.googleapis.com/bucket/...}), once the agent has read the bucket from the request path.
   * {@code canonicalHost} must already have been allowed by {@link #decideName}.
   */
  public Decision decideStorageBucket(String canonicalHost, String bucket, CallerProbe caller) {
    if (unavailableReason != null || policy.fullAccess || canonicalHost == null || bucket == null) {
      return Decision.ALLOW; // host-level decision already made; nothing more to check
    }
    long p = StorageHosts.parse(canonicalHost);
    if (p == 0
        || policy.exactAllowed.get(canonicalHost) != null
        || storage.allowsBucket(canonicalHost, p, bucket)) {
      return Decision.ALLOW;
    }
    StorageHost host = StorageHosts.classify(canonicalHost);
    StorageHost withBucket =
        new StorageHost(host.provider(), host.hostname(), bucket, host.service(), host.region());
    return Decision.storage(
        action(true),
        Reason.STORAGE_NOT_ALLOWED,
        withBucket.location(),
        canonicalHost,
        Explanations.storageNotAllowed(withBucket, policy.id, workspaceId));
  }

  // ----------------------------------------------------------------------------------------------
  // rules

  /** The RESTRICTED_ACCESS rules for a canonical name, in the order SPEC section 4 gives them. */
  private Decision nameRules(String name, CallerProbe caller) {
    String blocked = policy.blockedEntry(name);
    if (blocked != null) {
      return Decision.dns(
          action(true),
          Reason.BLOCKED_DESTINATION,
          name,
          Explanations.blocked(name, blocked, policy.id, workspaceId));
    }
    if (policy.exactAllowed.get(name) != null) {
      return Decision
          .ALLOW; // an exact entry allows storage hosts too, even to user code (SPEC section 5)
    }
    long storageHost = StorageHosts.parse(name);
    if (storageHost != 0) {
      // Wildcards never open storage: direct access needs the exact FQDN, platform access the
      // storage rules.
      return storageRules(name, storageHost, caller);
    }
    if (policy.wildcardAllowed.findDotSuffix(name) != null) {
      return Decision.ALLOW;
    }
    WorkspaceHosts.Rule rule = workspaceHosts.get(name);
    if (rule != null && rule.allowed()) {
      return Decision.ALLOW;
    }
    long ws = DatabricksHosts.workspaceOf(name);
    // "Nothing allowed" (no policy) does not even allow the workspace's own API host.
    boolean own =
        workspaceId != null && ws == workspaceId && policy != CompiledPolicy.NOTHING_ALLOWED;
    if (ws >= 0 && (own || policy.allowsWorkspace(ws))) {
      return Decision.ALLOW;
    }
    if (rule != null) {
      return Decision.dns(
          action(true),
          Reason.CROSS_WORKSPACE,
          name,
          Explanations.crossWorkspace(
              name, rule.workspaceId(), rule.why(), policy.id, workspaceId));
    }
    if (ws != DatabricksHosts.NOT_DATABRICKS) {
      return Decision.dns(
          action(true),
          Reason.CROSS_WORKSPACE,
          name,
          Explanations.crossWorkspace(name, ws, null, policy.id, workspaceId));
    }
    return Decision.dns(
        action(true),
        Reason.NOT_ALLOWED,
        name,
        Explanations.notAllowed(name, policy.id, workspaceId));
  }

  private Decision storageRules(String name, long p, CallerProbe caller) {
    if (kindOf(caller) == CallerKind.USER_DIRECT) {
      Decision known = userStorageDenials.get(name);
      if (known != null) {
        return known;
      }
      StorageHost sh = StorageHosts.classify(name);
      return memo(
          userStorageDenials,
          name,
          Decision.storage(
              action(true),
              Reason.DIRECT_STORAGE_ACCESS,
              sh.location(),
              name,
              Explanations.directStorage(sh.location(), name, policy.id, workspaceId)));
    }
    if (storage.allows(name, p)) {
      return Decision.ALLOW;
    }
    Decision known = platformStorageDenials.get(name);
    if (known != null) {
      return known;
    }
    StorageHost sh = StorageHosts.classify(name);
    return memo(
        platformStorageDenials,
        name,
        Decision.storage(
            action(true),
            Reason.STORAGE_NOT_ALLOWED,
            sh.location(),
            name,
            Explanations.storageNotAllowed(sh, policy.id, workspaceId)));
  }

  private static Decision memo(java.util.Map<String, Decision> memory, String name, Decision d) {
    if (memory.size() < MAX_REMEMBERED) {
      memory.put(name, d);
    }
    return d;
  }

  /**
   * Metadata endpoints: only platform code under FULL_ACCESS may reach them; never a dry-run
   * denial.
   */
  private Decision metadata(String destination, DestinationType type, CallerProbe caller) {
    if (unavailableReason == null
        && policy.fullAccess
        && kindOf(caller) != CallerKind.USER_DIRECT) {
      return Decision.ALLOW;
    }
    String why = Explanations.metadata(destination);
    return type == DestinationType.DNS
        ? Decision.dns(Action.DROP, Reason.METADATA_ENDPOINT, destination, why)
        : Decision.ip(Action.DROP, Reason.METADATA_ENDPOINT, destination, why);
  }

  /** A missing probe counts as user code: the engine fails closed. */
  private static CallerKind kindOf(CallerProbe caller) {
    CallerKind k = caller == null ? null : caller.kind();
    return k == null ? CallerKind.USER_DIRECT : k;
  }

  private Action action(boolean denied) {
    return !denied ? Action.ALLOW : dryRun ? Action.DRY_RUN_DENIAL : Action.DROP;
  }

  @Override
  public String toString() {
    return "EffectivePolicy[account="
        + accountId
        + ", workspace="
        + workspaceId
        + ", policy="
        + policy.id
        + (unavailableReason != null
            ? ", unavailable: " + unavailableReason
            : policy.fullAccess ? ", FULL_ACCESS" : ", RESTRICTED_ACCESS")
        + (dryRun ? ", dry run" : "")
        + "]";
  }
}
