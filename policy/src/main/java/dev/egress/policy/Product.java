package dev.egress.policy;

/**
 * The serverless product a workload belongs to; matched against {@code
 * dry_run_mode_product_filter}.
 */
public enum Product {
  GENERAL_COMPUTE,
  DBSQL,
  ML_SERVING,
  ML_BUILD,
  APPS
}
