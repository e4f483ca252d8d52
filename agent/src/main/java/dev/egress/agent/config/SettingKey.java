package dev.egress.agent.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every key the agent accepts, in the order SPEC section 3 lists them, then the product's
 * additions. This is the single registry the loader checks unknown keys against in every source; a
 * key added here is automatically accepted as agent argument, system property, environment variable
 * and in the config file.
 */
enum SettingKey {
  CONFIG("config", false, null),
  POLICY("policy", false, null),
  WORKSPACE_ID("workspace.id", false, null),
  PRODUCT("product", false, "GENERAL_COMPUTE"),
  MODE("mode", false, null),
  VIOLATIONS_LOG("violations.log", false, "egress-violations.jsonl"),
  COLLECTOR_URL("collector.url", false, null),
  COLLECTOR_TOKEN("collector.token", false, null),
  INTERNAL_CIDRS("internal.cidrs", true, "127.0.0.0/8,::1/128"),
  // Databricks runtimes load their own jars from here; classes from them are platform code even
  // when a
  // notebook's class loader defines them.
  TRUSTED_CODE("trusted.code", true, "file:/databricks/jars/"),
  // Only the layer every platform storage access passes through, and nothing broader: a gateway
  // frame
  // makes the whole request platform-mediated, so a prefix like org.apache.spark. would let a UDF's
  // own storage client through whenever Spark code sat between it and the socket.
  //  - org.apache.hadoop.fs.: Hadoop's FileSystem API and its connectors (ABFS, S3A, wasb), which
  //    Spark's data sources, Delta and the Hive metastore client use for every file they touch;
  //  - com.google.cloud.hadoop.fs.gcs.: the GCS connector's FileSystem, outside Hadoop's package;
  //  - shaded.databricks.…hadoop.fs.: the ABFS and S3A connectors as Databricks runtimes shade
  // them.
  GATEWAYS(
      "gateways",
      true,
      "org.apache.hadoop.fs.,com.google.cloud.hadoop.fs.gcs.,"
          + "shaded.databricks.azurebfs.org.apache.hadoop.fs.,shaded.databricks.org.apache.hadoop.fs."),
  INTERNAL_HOSTS("internal.hosts", true, "localhost"),
  POLICY_REFRESH("policy.refresh", false, "30s"),
  SELF_TEST("self.test", false, "true"),
  // Where records wait for the collector: kept across JVM restarts, so a JVM that died with records
  // undelivered has them sent by the next one that uses the same directory.
  COLLECTOR_SPOOL("collector.spool", false, "egress-spool"),
  COLLECTOR_SPOOL_MAX("collector.spool.max", false, "64m"),
  // The last valid policy read from a URL, so that a JVM started while the collector is down
  // begins with it instead of failing closed.
  POLICY_CACHE("policy.cache", false, "egress-policy-cache.json"),
  OTLP_ENDPOINT("otlp.endpoint", false, null),
  // Unix domain socket paths (or directory prefixes) user code may connect to; platform code may
  // connect to any. None by default: /var/run/docker.sock is a way out of the container.
  UNIX_SOCKETS("unix.sockets", true, "");

  static final String SYSTEM_PROPERTY_PREFIX = "egress.";
  static final String ENV_PREFIX = "EGRESS_";

  private static final Map<String, SettingKey> BY_NAME = new HashMap<>();
  private static final Map<String, SettingKey> BY_ENV = new HashMap<>();

  static {
    for (SettingKey k : values()) {
      BY_NAME.put(k.key, k);
      BY_ENV.put(k.envVar(), k);
    }
  }

  final String key;
  final boolean list;

  /** The default in settings syntax (lists comma-separated), or null when the key has none. */
  final String defaultValue;

  SettingKey(String key, boolean list, String defaultValue) {
    this.key = key;
    this.list = list;
    this.defaultValue = defaultValue;
  }

  String systemProperty() {
    return SYSTEM_PROPERTY_PREFIX + key;
  }

  String envVar() {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  static SettingKey byName(String key) {
    return BY_NAME.get(key);
  }

  static SettingKey byEnvVar(String name) {
    return BY_ENV.get(name);
  }

  /** The known keys, for error messages. */
  static String knownKeys() {
    StringBuilder sb = new StringBuilder();
    for (SettingKey k : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(k.key);
    }
    return sb.toString();
  }
}
