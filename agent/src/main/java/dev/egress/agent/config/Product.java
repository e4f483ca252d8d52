package dev.egress.agent.config;

/**
 * The {@code product} setting: which serverless product this JVM belongs to. It is matched against
 * the policy's {@code dry_run_mode_product_filter} and written as {@code network_source_type} of
 * each violation record, so the names are exactly the account API's.
 */
public enum Product {
  GENERAL_COMPUTE,
  DBSQL,
  ML_SERVING,
  ML_BUILD,
  APPS
}
