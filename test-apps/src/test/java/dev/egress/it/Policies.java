package dev.egress.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Policy documents (SPEC section 4) used by the tests. */
public final class Policies {
  public static final String ACCOUNT = "acct-it-0001";
  public static final String RESTRICTED = "restricted";

  private Policies() {}

  /**
   * The restricted policy's network_access body; {@code enforcement} is "" or a
   * ",\"policy_enforcement\": …" member.
   */
  static String restrictedAccess(String enforcement) {
    return """
        { "restriction_mode": "RESTRICTED_ACCESS",
          "allowed_internet_destinations": [
            { "destination": "allowed.example.com", "internet_destination_type": "DNS_NAME" },
            { "destination": "*.wild.example.org", "internet_destination_type": "DNS_NAME" } ],
          "blocked_internet_destinations": [
            { "destination": "blocked.wild.example.org", "internet_destination_type": "DNS_NAME" } ],
          "allowed_storage_destinations": [
            { "azure_storage_account": "lakeprod", "azure_storage_service": "dfs", "storage_destination_type": "AZURE_STORAGE" } ],
          "allowed_databricks_destinations": [ { "workspace_ids": [ 5678 ] } ]
          %s }
        """
        .formatted(enforcement);
  }

  /**
   * A policy set: workspace 1234 bound to "restricted"; workspaces 9999 and 5678 exist with their
   * own deployment hosts; with or without a FULL_ACCESS "default-policy".
   */
  public static String set(boolean withFullAccessDefault, String enforcement) {
    String defaultPolicy =
        withFullAccessDefault
            ? """
          { "network_policy_id": "default-policy",
            "egress": { "network_access": { "restriction_mode": "FULL_ACCESS" } } },
          """
            : "";
    return """
        { "account_id": "%s",
          "network_policies": [
            %s
            { "network_policy_id": "restricted", "egress": { "network_access": %s } } ],
          "workspaces": [
            { "workspace_id": 1234, "network_policy_id": "restricted",
              "deployment_hosts": [ "adb-1234.5.azuredatabricks.net", "ws1234.deploy.example.com" ],
              "workspace_storage": [ { "azure_storage_account": "dbstorage1234", "azure_storage_service": "dfs", "storage_destination_type": "AZURE_STORAGE" } ],
              "unity_catalog": {
                "external_locations": [ { "name": "landing", "url": "abfss://landing@lakeraw.dfs.core.windows.net/in" } ],
                "connections": [ { "name": "crm", "connection_type": "POSTGRESQL",
                                   "options": { "host": "crm.db.example.com", "port": "5432" } } ] } },
            { "workspace_id": 9999, "network_policy_id": "restricted",
              "deployment_hosts": [ "adb-9999.1.azuredatabricks.net", "ws9999.deploy.example.com" ] },
            { "workspace_id": 5678, "network_policy_id": "restricted",
              "deployment_hosts": [ "adb-5678.2.azuredatabricks.net" ] } ],
          "platform": {
            "system_tables_storage": [ { "azure_storage_account": "systemtables", "azure_storage_service": "dfs", "storage_destination_type": "AZURE_STORAGE" } ],
            "sample_datasets_storage": [ { "bucket_name": "databricks-datasets", "region": "us-west-2", "storage_destination_type": "AWS_S3" } ] } }
        """
        .formatted(ACCOUNT, defaultPolicy, restrictedAccess(enforcement));
  }

  /** The standard set: FULL_ACCESS default policy, workspace 1234 restricted and enforced. */
  public static String standardSet() {
    return set(true, "");
  }

  /**
   * policy_enforcement DRY_RUN with the given product filter (JSON array text, e.g. {@code
   * ["DBSQL"]}).
   */
  public static String dryRun(String productFilterJson) {
    return ", \"policy_enforcement\": { \"enforcement_mode\": \"DRY_RUN\", \"dry_run_mode_product_filter\": "
        + productFilterJson
        + " }";
  }

  /** A bare AccountNetworkPolicy object, exactly as the account API defines it. */
  public static String bare(String id) {
    return """
        { "network_policy_id": "%s", "account_id": "%s",
          "egress": { "network_access": %s } }
        """
        .formatted(id, ACCOUNT, restrictedAccess(""));
  }

  /** A bare FULL_ACCESS policy. */
  public static String bareFullAccess(String id) {
    return """
        { "network_policy_id": "%s", "account_id": "%s",
          "egress": { "network_access": { "restriction_mode": "FULL_ACCESS" } } }
        """
        .formatted(id, ACCOUNT);
  }

  public static Path write(Path dir, String name, String json) {
    try {
      Path p = dir.resolve(name);
      Files.writeString(p, json);
      return p;
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
