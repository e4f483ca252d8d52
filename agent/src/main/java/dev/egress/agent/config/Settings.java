package dev.egress.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's settings (SPEC section 3 and README), validated and typed. Immutable; built only by
 * {@link SettingsLoader}. Accessors of settings without a default return null when unset.
 */
public final class Settings {
  private static final String MASK = "****";

  private final String config;
  private final String policy;
  private final Long workspaceId;
  private final Product product;
  private final Mode mode;
  private final Path violationsLog;
  private final URI collectorUrl;
  private final Path collectorSpool;
  private final long collectorSpoolMax;
  private final Path policyCache;
  private final URI otlpEndpoint;
  private final List<String> unixSockets;
  private final String collectorToken;
  private final List<String> internalCidrs;
  private final List<String> trustedCode;
  private final List<String> gateways;
  private final List<String> internalHosts;
  private final Duration policyRefresh;
  private final boolean selfTest;

  /** Where each effective value came from, for the banner. */
  private final Map<SettingKey, String> sources;

  private Settings(Map<SettingKey, RawValue> raw) {
    config = ValueParser.optionalText(get(raw, SettingKey.CONFIG));
    policy = ValueParser.policy(SettingKey.POLICY, get(raw, SettingKey.POLICY));
    workspaceId =
        ValueParser.workspaceId(SettingKey.WORKSPACE_ID, get(raw, SettingKey.WORKSPACE_ID));
    product = ValueParser.product(SettingKey.PRODUCT, get(raw, SettingKey.PRODUCT));
    mode = ValueParser.mode(SettingKey.MODE, get(raw, SettingKey.MODE));
    violationsLog =
        ValueParser.path(SettingKey.VIOLATIONS_LOG, get(raw, SettingKey.VIOLATIONS_LOG));
    collectorUrl =
        ValueParser.httpUrl(SettingKey.COLLECTOR_URL, get(raw, SettingKey.COLLECTOR_URL));
    collectorToken = ValueParser.optionalText(get(raw, SettingKey.COLLECTOR_TOKEN));
    internalCidrs =
        ValueParser.cidrs(SettingKey.INTERNAL_CIDRS, get(raw, SettingKey.INTERNAL_CIDRS));
    trustedCode = ValueParser.list(get(raw, SettingKey.TRUSTED_CODE));
    gateways = ValueParser.list(get(raw, SettingKey.GATEWAYS));
    internalHosts = ValueParser.hosts(get(raw, SettingKey.INTERNAL_HOSTS));
    policyRefresh =
        ValueParser.duration(SettingKey.POLICY_REFRESH, get(raw, SettingKey.POLICY_REFRESH));
    selfTest = ValueParser.bool(SettingKey.SELF_TEST, get(raw, SettingKey.SELF_TEST));
    collectorSpool =
        ValueParser.path(SettingKey.COLLECTOR_SPOOL, get(raw, SettingKey.COLLECTOR_SPOOL));
    collectorSpoolMax =
        ValueParser.size(SettingKey.COLLECTOR_SPOOL_MAX, get(raw, SettingKey.COLLECTOR_SPOOL_MAX));
    policyCache = ValueParser.path(SettingKey.POLICY_CACHE, get(raw, SettingKey.POLICY_CACHE));
    otlpEndpoint =
        ValueParser.httpUrl(SettingKey.OTLP_ENDPOINT, get(raw, SettingKey.OTLP_ENDPOINT));
    unixSockets = ValueParser.list(get(raw, SettingKey.UNIX_SOCKETS));
    Map<SettingKey, String> src = new EnumMap<>(SettingKey.class);
    for (Map.Entry<SettingKey, RawValue> e : raw.entrySet()) {
      src.put(e.getKey(), e.getValue().source());
    }
    sources = Collections.unmodifiableMap(src);
  }

  static Settings from(Map<SettingKey, RawValue> raw) {
    return new Settings(raw);
  }

  /** An unset key reads as empty text: "none" without default, the default with one. */
  private static RawValue get(Map<SettingKey, RawValue> raw, SettingKey key) {
    RawValue v = raw.get(key);
    return v != null ? v : new RawValue("", RawValue.DEFAULT_SOURCE, ',');
  }

  /** The properties file the other settings were partly read from, or null. */
  public String config() {
    return config;
  }

  /**
   * Path or http(s) URL of the policy document, or null: then every non-internal destination is
   * denied.
   */
  public String policy() {
    return policy;
  }

  /** True when {@link #policy()} is an http(s) URL (re-read every {@link #policyRefresh()}). */
  public boolean policyIsUrl() {
    if (policy == null) {
      return false;
    }
    String p = policy.toLowerCase(Locale.ROOT);
    return p.startsWith("http://") || p.startsWith("https://");
  }

  public Long workspaceId() {
    return workspaceId;
  }

  public Product product() {
    return product;
  }

  /** The enforcement mode forced by settings, or null to follow the policy. */
  public Mode mode() {
    return mode;
  }

  /** The JSON Lines file of violation records; relative paths are against the working directory. */
  public Path violationsLog() {
    return violationsLog;
  }

  public URI collectorUrl() {
    return collectorUrl;
  }

  public String collectorToken() {
    return collectorToken;
  }

  public List<String> internalCidrs() {
    return internalCidrs;
  }

  public List<String> trustedCode() {
    return trustedCode;
  }

  public List<String> gateways() {
    return gateways;
  }

  /** Host names never subject to the policy, lower case, without trailing dot. */
  public List<String> internalHosts() {
    return internalHosts;
  }

  public Duration policyRefresh() {
    return policyRefresh;
  }

  /** Directory where records wait for the collector. */
  public Path collectorSpool() {
    return collectorSpool;
  }

  /** Bytes the spool may hold; past that the oldest records are evicted and counted. */
  public long collectorSpoolMax() {
    return collectorSpoolMax;
  }

  /** File holding the last valid policy read from a URL. */
  public Path policyCache() {
    return policyCache;
  }

  /** OTLP/HTTP logs endpoint ({@code http://collector:4318/v1/logs}), or null. */
  public URI otlpEndpoint() {
    return otlpEndpoint;
  }

  /** Unix domain socket path prefixes user code may connect to. */
  public List<String> unixSockets() {
    return unixSockets;
  }

  public boolean selfTest() {
    return selfTest;
  }

  /**
   * Where the value of {@code key} came from: {@code agent argument policy}, {@code system property
   * egress.policy}, {@code environment variable EGRESS_POLICY}, {@code config file F key policy},
   * {@code default}, or null when unset.
   */
  public String source(String key) {
    SettingKey k = SettingKey.byName(key);
    return k == null ? null : sources.get(k);
  }

  /**
   * Every set key with its effective value in settings syntax (lists comma-separated, durations
   * like {@code 30s}), in SPEC order. Unset keys are absent. The collector token is NOT masked
   * here: use {@link #describe()} for anything printed.
   */
  /**
   * These settings as an agent argument for a child JVM: every key but {@code config} (its values
   * are all here) and {@code collector.token} (kept out of the command line), paths made absolute,
   * list items separated by {@code ;}, and unset keys given empty, so that no lower source (the
   * child's own {@code -Degress.*} or environment) can change what this JVM enforces.
   */
  public String asAgentArguments() {
    StringBuilder sb = new StringBuilder();
    for (SettingKey k : SettingKey.values()) {
      if (k == SettingKey.CONFIG || k == SettingKey.COLLECTOR_TOKEN) {
        continue;
      }
      String v = text(k);
      if (v == null) {
        v = "";
      } else if (k == SettingKey.VIOLATIONS_LOG
          || k == SettingKey.COLLECTOR_SPOOL
          || k == SettingKey.POLICY_CACHE
          || (k == SettingKey.POLICY && !policyIsUrl())) {
        v = java.nio.file.Path.of(v).toAbsolutePath().toString();
      }
      if (k.list) {
        v = v.replace(',', ';');
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(k.key).append('=').append(v);
    }
    return sb.toString();
  }

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (SettingKey k : SettingKey.values()) {
      String v = text(k);
      if (v != null) {
        m.put(k.key, v);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * One line for the start-up banner: every key, its value and, when not the default, its source.
   * The collector token is masked, and so is any user-info in the collector URL.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (SettingKey k : SettingKey.values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      String v = text(k);
      if (v != null && k == SettingKey.COLLECTOR_TOKEN) {
        v = MASK;
      } else if (v != null
          && k == SettingKey.COLLECTOR_URL
          && collectorUrl.getRawUserInfo() != null) {
        v = v.replace(collectorUrl.getRawUserInfo(), MASK);
      }
      sb.append(k.key).append('=').append(v == null ? "<unset>" : v);
      String src = sources.get(k);
      if (src != null && !src.equals(RawValue.DEFAULT_SOURCE)) {
        sb.append(" (").append(src).append(')');
      }
    }
    return sb.toString();
  }

  private String text(SettingKey k) {
    switch (k) {
      case CONFIG:
        return config;
      case POLICY:
        return policy;
      case WORKSPACE_ID:
        return workspaceId == null ? null : workspaceId.toString();
      case PRODUCT:
        return product.name();
      case MODE:
        return mode == null ? null : mode.value();
      case VIOLATIONS_LOG:
        return violationsLog.toString();
      case COLLECTOR_URL:
        return collectorUrl == null ? null : collectorUrl.toString();
      case COLLECTOR_TOKEN:
        return collectorToken;
      case INTERNAL_CIDRS:
        return String.join(",", internalCidrs);
      case TRUSTED_CODE:
        return String.join(",", trustedCode);
      case GATEWAYS:
        return String.join(",", gateways);
      case INTERNAL_HOSTS:
        return String.join(",", internalHosts);
      case POLICY_REFRESH:
        return formatDuration(policyRefresh);
      case SELF_TEST:
        return Boolean.toString(selfTest);
      case COLLECTOR_SPOOL:
        return collectorSpool.toString();
      case COLLECTOR_SPOOL_MAX:
        return Long.toString(collectorSpoolMax);
      case POLICY_CACHE:
        return policyCache.toString();
      case OTLP_ENDPOINT:
        return otlpEndpoint == null ? null : otlpEndpoint.toString();
      case UNIX_SOCKETS:
        return String.join(",", unixSockets);
      default:
        throw new AssertionError(k);
    }
  }

  static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  @Override
  public String toString() {
    return describe();
  }
}
