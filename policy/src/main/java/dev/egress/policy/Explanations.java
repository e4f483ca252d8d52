package dev.egress.policy;

/**
 * The human text of denials: it names the destination and the policy and says what to change,
 * because a user reading an exception in a notebook has no other way to learn how to allow the
 * connection.
 */
final class Explanations {
  private Explanations() {}

  static String policyRef(String policyId, Long workspaceId) {
    if (policyId == null) {
      return "no network policy (workspace "
          + (workspaceId == null ? "<unknown>" : workspaceId)
          + " is not bound to a policy and the policy set has no \"default-policy\", so nothing is allowed)";
    }
    return "policy \"" + policyId + "\"";
  }

  private static String addTo(String what, String field, String policyId) {
    if (policyId == null) {
      return "bind the workspace to a policy in \"workspaces\" (or add a \"default-policy\") whose "
          + field
          + " lists "
          + what;
    }
    return "add " + what + " to " + field + " of policy \"" + policyId + "\"";
  }

  static String notAllowed(String name, String policyId, Long ws) {
    int dot = name.indexOf('.');
    String wildcard =
        dot > 0 && name.indexOf('.', dot + 1) > 0
            ? " (or \"*." + name.substring(dot + 1) + "\")"
            : "";
    return "\""
        + name
        + "\" is not allowed by "
        + policyRef(policyId, ws)
        + ": "
        + addTo("\"" + name + "\"" + wildcard, "allowed_internet_destinations", policyId);
  }

  static String blocked(String name, String entry, String policyId, Long ws) {
    return "\""
        + name
        + "\" matches \""
        + entry
        + "\" in blocked_internet_destinations of "
        + policyRef(policyId, ws)
        + "; blocked destinations win over every allow: remove \""
        + entry
        + "\" from blocked_internet_destinations"
        + " to allow it";
  }

  static String crossWorkspace(
      String name, long workspaceId, String why, String policyId, Long ws) {
    String whose =
        why != null
            ? why
            : workspaceId >= 0
                ? "the API of workspace " + workspaceId
                : "the API of another Databricks workspace";
    String fix =
        workspaceId >= 0
            ? addTo(
                "{\"workspace_ids\": [" + workspaceId + "]}",
                "allowed_databricks_destinations",
                policyId)
            : addTo("the workspace's id", "allowed_databricks_destinations", policyId)
                + " and list its deployment_hosts in \"workspaces\", or add \""
                + name
                + "\" to allowed_internet_destinations";
    return "\""
        + name
        + "\" is "
        + whose
        + ": access to another workspace's API is denied by "
        + policyRef(policyId, ws)
        + " (cross-workspace); "
        + fix;
  }

  static String directStorage(String location, String host, String policyId, Long ws) {
    return "user code opened storage "
        + location
        + " directly; under "
        + policyRef(policyId, ws)
        + " storage is reachable only through the platform's data layer (Spark, Unity Catalog tables and volumes)."
        + " Read it through a table, volume or external location, or, to allow direct access, "
        + addTo("the exact host \"" + host + "\"", "allowed_internet_destinations", policyId);
  }

  static String storageNotAllowed(StorageHost sh, String policyId, Long ws) {
    String what;
    String json;
    switch (sh.provider()) {
      case AZURE_STORAGE:
        what = "Azure storage account \"" + sh.account() + "\"";
        json = StorageDestination.azure(sh.account(), sh.service()).toJson();
        break;
      case AWS_S3:
        what =
            sh.pathStyle()
                ? "S3 (path-style host \"" + sh.hostname() + "\")"
                : "S3 bucket \"" + sh.bucket() + "\"";
        json =
            sh.pathStyle()
                ? "{\"bucket_name\": \"<bucket>\", \"storage_destination_type\": \"AWS_S3\"}"
                : StorageDestination.s3(sh.bucket(), sh.region()).toJson();
        break;
      default:
        what =
            sh.pathStyle()
                ? "Google Cloud Storage (host \"" + sh.hostname() + "\")"
                : "GCS bucket \"" + sh.bucket() + "\"";
        json =
            sh.pathStyle()
                ? "{\"bucket_name\": \"<bucket>\", \"storage_destination_type\": \"GOOGLE_CLOUD_STORAGE\"}"
                : StorageDestination.gcs(sh.bucket()).toJson();
    }
    return what
        + " is not in allowed_storage_destinations of "
        + policyRef(policyId, ws)
        + ", nor the workspace's storage, a Unity Catalog external location or platform storage: "
        + addTo(json, "allowed_storage_destinations", policyId)
        + ", or create an external location for it";
  }

  static String metadata(String destination) {
    return destination
        + " is a cloud metadata endpoint that hands out instance credentials; it is denied to user"
        + " code in every mode (also in dry run and under FULL_ACCESS) and no policy entry allows it";
  }

  static String unverifiedName(String address, String carried, String policyId, Long ws) {
    return "the connection to "
        + address
        + " carried the host name \""
        + carried
        + "\", but this JVM never saw"
        + " that name resolve to "
        + address
        + " (a forged InetAddress or a name resolved elsewhere), so "
        + policyRef(policyId, ws)
        + " judges the bare address, which is not allowed: connect by name so that the"
        + " lookup goes through the JVM's resolver";
  }

  static String bareAddress(String address, String policyId, Long ws) {
    return "the connection to "
        + address
        + " has no host name this JVM resolved, and "
        + policyRef(policyId, ws)
        + " allows destinations by name: connect by a host name listed in allowed_internet_destinations, or, if "
        + address
        + " is part of the cluster's own network, add it to the internal.cidrs setting";
  }

  static String invalidName(String sanitized, String policyId, Long ws) {
    return "\""
        + sanitized
        + "\" is not a valid host name (empty label, over 253 characters, a label over 63"
        + " characters or a character a host name cannot hold), so "
        + policyRef(policyId, ws)
        + " cannot allow it";
  }

  static String unavailable(String why) {
    return "no valid network policy is loaded ("
        + why
        + "); every destination outside the cluster's internal"
        + " network is denied until a valid policy arrives: fix the policy document";
  }
}
