package dev.egress.agent.load;

import dev.egress.agent.AgentLog;
import dev.egress.agent.AgentThread;
import dev.egress.agent.config.Mode;
import dev.egress.agent.config.Settings;
import dev.egress.agent.decide.PolicyHolder;
import dev.egress.policy.CidrSet;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.HostNames;
import dev.egress.policy.ModeOverride;
import dev.egress.policy.PolicyDocument;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.Product;
import dev.egress.policy.Selection;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Gets the policy in force and keeps it current: loads it once at start, re-reads a URL policy
 * every {@code policy.refresh}, and fails closed with the reason when there is no valid one. A
 * reload that fails keeps the last valid policy; the reason is printed once per distinct failure.
 */
public final class PolicyLoader {
  private final Settings settings;
  private final CidrSet internal;
  private final String settingsError;
  private final PolicyCache cache;
  private volatile Selection selection;
  private String lastReported;

  public PolicyLoader(Settings settings, CidrSet internal, String settingsError) {
    this.settings = settings;
    this.internal = internal;
    this.settingsError = settingsError;
    this.cache = new PolicyCache(settings.policyCache());
    this.selection = selection(Set.copyOf(canonicalInternalHosts(false)));
  }

  /** The fail-closed policy for a decision that could not wait for the first load. */
  public EffectivePolicy failClosedNow() {
    return PolicyEngine.unavailable("the policy was not loaded in time").select(selection);
  }

  /** Loads the first policy into {@code holder}; starts the refresh loop for a URL policy. */
  public void loadInto(PolicyHolder holder) {
    selection = selection(Set.copyOf(canonicalInternalHosts(true)));
    if (settingsError != null) {
      holder.set(unavailable(settingsError));
      return;
    }
    String location = settings.policy();
    if (location == null) {
      holder.set(
          unavailable("no policy configured (setting policy, -Degress.policy, EGRESS_POLICY)"));
      return;
    }
    PolicySource source = new PolicySource(location, settings.collectorToken());
    try {
      byte[] body = source.readBytes();
      PolicyDocument doc = PolicySource.parse(body, location);
      holder.set(PolicyEngine.compile(doc).select(selection));
      if (source.isUrl()) {
        cache.save(body);
      }
    } catch (PolicySource.PolicyUnavailableException e) {
      EffectivePolicy cached = source.isUrl() ? fromCache(e.getMessage()) : null;
      holder.set(cached != null ? cached : unavailable(e.getMessage()));
    } catch (RuntimeException e) {
      holder.set(unavailable("policy " + location + " could not be compiled: " + e));
    }
    if (source.isUrl()) {
      startRefresh(source, holder);
    }
  }

  private void startRefresh(PolicySource source, PolicyHolder holder) {
    Duration every = settings.policyRefresh();
    new AgentThread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                refreshOnce(source, holder);
              }
            },
            "policy-refresh")
        .start();
  }

  /** Package-private seam: one refresh step. */
  void refreshOnce(PolicySource source, PolicyHolder holder) {
    try {
      byte[] body = source.readBytes();
      if (body == null) {
        return; // not modified
      }
      EffectivePolicy next =
          PolicyEngine.compile(PolicySource.parse(body, source.location())).select(selection);
      holder.set(next);
      cache.save(body);
      if (lastReported != null) {
        AgentLog.info("policy from " + source.location() + " is valid again; applied");
        lastReported = null;
      }
    } catch (PolicySource.PolicyUnavailableException | RuntimeException e) {
      EffectivePolicy current = holder.current();
      String reason = e.getMessage();
      if (!reason.equals(lastReported)) {
        lastReported = reason;
        AgentLog.warn(
            reason
                + (current.unavailable()
                    ? "; still failing closed"
                    : "; keeping the last valid policy"));
      }
    }
  }

  /**
   * The last valid policy saved on disk, when the endpoint cannot give one at start: better than
   * failing closed for as long as the collector is down. Null when there is no valid cache.
   */
  private EffectivePolicy fromCache(String why) {
    PolicyCache.Cached cached = cache.load();
    if (cached == null) {
      return null;
    }
    try {
      EffectivePolicy p =
          PolicyEngine.compile(PolicySource.parse(cached.body(), cache.file().toString()))
              .select(selection);
      AgentLog.warn(
          why
              + "; using the last valid policy, cached in "
              + cache.file()
              + " at "
              + cached.savedAt()
              + ", until the endpoint answers");
      lastReported = why;
      return p;
    } catch (PolicySource.PolicyUnavailableException | RuntimeException e) {
      AgentLog.warn("the cached policy " + cache.file() + " is not usable: " + e.getMessage());
      return null;
    }
  }

  private EffectivePolicy unavailable(String reason) {
    AgentLog.error(
        "policy unavailable: "
            + reason
            + ". Denying every destination outside internal.cidrs (fail closed) until a valid"
            + " policy arrives.",
        null);
    return PolicyEngine.unavailable(reason).select(selection);
  }

  private Selection selection(Set<String> internalHosts) {
    ModeOverride mode =
        settings.mode() == null
            ? ModeOverride.NONE
            : settings.mode() == Mode.DRY_RUN ? ModeOverride.DRY_RUN : ModeOverride.ENFORCE;
    return new Selection(
        settings.workspaceId(),
        Product.valueOf(settings.product().name()),
        mode,
        internal,
        internalHosts);
  }

  /** The configured internal host names, canonical, plus this machine's own name when known. */
  private Set<String> canonicalInternalHosts(boolean withLocalName) {
    Set<String> hosts = new LinkedHashSet<>();
    for (String h : settings.internalHosts()) {
      String c = HostNames.canonical(h);
      if (c != null) {
        hosts.add(c);
      }
    }
    if (withLocalName) {
      try {
        String local = HostNames.canonical(InetAddress.getLocalHost().getHostName());
        if (local != null) {
          hosts.add(local);
        }
      } catch (Exception e) {
        // No local name: nothing to add.
      }
    }
    return hosts;
  }
}
