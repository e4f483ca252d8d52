package dev.egress.policy;

/**
 * Workspace API host patterns. Workspaces are addressed as {@code adb-<id>.<n>.azuredatabricks.net}
 * and {@code <id>.<n>.gcp.databricks.com}; on AWS ({@code *.cloud.databricks.com}) the name does
 * not carry the id, so those hosts are known only from {@code deployment_hosts}.
 */
final class DatabricksHosts {
  /** Not a Databricks API host at all. */
  static final long NOT_DATABRICKS = -1;

  /** A Databricks host whose workspace the name does not tell. */
  static final long UNKNOWN_WORKSPACE = -2;

  private static final String AZURE = ".azuredatabricks.net";
  private static final String AZURE_PRIVATELINK = ".privatelink.azuredatabricks.net";
  private static final String GCP = ".gcp.databricks.com";
  private static final String AWS = ".cloud.databricks.com";

  private DatabricksHosts() {}

  /**
   * The workspace id of a canonical API host name, {@link #UNKNOWN_WORKSPACE} or {@link
   * #NOT_DATABRICKS}.
   */
  static long workspaceOf(String s) {
    if (s.endsWith(AZURE)) {
      if (s.startsWith("adb-")) {
        long id =
            idPattern(
                s,
                4,
                s.endsWith(AZURE_PRIVATELINK)
                    ? s.length() - AZURE_PRIVATELINK.length()
                    : s.length() - AZURE.length());
        if (id >= 0) {
          return id;
        }
      }
      return UNKNOWN_WORKSPACE;
    }
    if (s.endsWith(GCP)) {
      long id = idPattern(s, 0, s.length() - GCP.length());
      return id >= 0 ? id : UNKNOWN_WORKSPACE;
    }
    return s.endsWith(AWS) ? UNKNOWN_WORKSPACE : NOT_DATABRICKS;
  }

  /** {@code s[from, to)} must be {@code <digits>.<digits>}; returns the first number or -1. */
  private static long idPattern(String s, int from, int to) {
    long id = 0;
    int i = from;
    while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      if (i - from >= 18) {
        return -1; // would overflow a long; no real workspace id is that long
      }
      id = id * 10 + (s.charAt(i) - '0');
      i++;
    }
    if (i == from || i >= to || s.charAt(i) != '.') {
      return -1;
    }
    int j = i + 1;
    while (j < to && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
      j++;
    }
    return j == i + 1 || j != to ? -1 : id;
  }
}
