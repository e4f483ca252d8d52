package dev.egress.collector;

/** Policy documents for tests. */
public final class Policies {
  private Policies() {}

  /**
   * A policy set binding {@code workspace} to "restricted" (allows pypi.org and
   * *.githubusercontent.com).
   */
  public static String account(long workspace, boolean withDefault) {
    return "{\n"
        + "  \"account_id\": \"acct-1\",\n"
        + "  \"network_policies\": [\n"
        + (withDefault
            ? "    { \"network_policy_id\": \"default-policy\",\n"
                + "      \"egress\": { \"network_access\": { \"restriction_mode\": \"FULL_ACCESS\" } } },\n"
            : "")
        + "    { \"network_policy_id\": \"restricted\",\n"
        + "      \"egress\": { \"network_access\": {\n"
        + "        \"restriction_mode\": \"RESTRICTED_ACCESS\",\n"
        + "        \"allowed_internet_destinations\": [\n"
        + "          { \"destination\": \"pypi.org\", \"internet_destination_type\": \"DNS_NAME\" },\n"
        + "          { \"destination\": \"*.githubusercontent.com\", \"internet_destination_type\": \"DNS_NAME\" } ],\n"
        + "        \"blocked_internet_destinations\": [\n"
        + "          { \"destination\": \"gist.githubusercontent.com\", \"internet_destination_type\": \"DNS_NAME\" } ]\n"
        + "      } } }\n"
        + "  ],\n"
        + "  \"workspaces\": [ { \"workspace_id\": "
        + workspace
        + ", \"network_policy_id\": \"restricted\" } ]\n"
        + "}\n";
  }

  /** Invalid on line 6: a misspelt restriction mode. */
  public static String invalid(long workspace) {
    return account(workspace, false).replace("\"RESTRICTED_ACCESS\"", "\"RESTRICTED_ACESS\"");
  }
}
