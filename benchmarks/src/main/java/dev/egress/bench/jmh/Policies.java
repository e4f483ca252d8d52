package dev.egress.bench.jmh;

import dev.egress.policy.CidrSet;
import dev.egress.policy.EffectivePolicy;
import dev.egress.policy.ModeOverride;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.PolicyException;
import dev.egress.policy.PolicyParser;
import dev.egress.policy.Product;
import dev.egress.policy.Selection;
import java.util.List;
import java.util.Set;

/**
 * Generated benchmark policies: one RESTRICTED_ACCESS {@code AccountNetworkPolicy} with {@code n}
 * allowed internet destinations (nine exact names for each {@code *.} wildcard), a few blocked
 * entries (so that the blocked tables are probed for real), and allowed storage (Azure, S3, GCS).
 */
public final class Policies {
  public static final long WORKSPACE_ID = 1234L;

  /** An allowed Azure storage account: storage host {@link #STORAGE_HOST}. */
  public static final String STORAGE_HOST = "lakeprod.dfs.core.windows.net";

  private Policies() {}

  /** Entry {@code i} is a wildcard when {@code i % 10 == 9}, else an exact name. */
  static boolean isWildcard(int i) {
    return i % 10 == 9;
  }

  /** The exact allowed name of entry {@code i} (not a wildcard index). */
  public static String exactName(int i) {
    return "host" + i + ".dept" + (i % 97) + ".example.com";
  }

  /** The wildcard suffix of entry {@code i} (a wildcard index): the entry is {@code *.} + this. */
  static String wildcardSuffix(int i) {
    return "svc" + i + ".wild.example.net";
  }

  /** A name that the wildcard entry {@code i} allows, two labels below the suffix. */
  public static String wildcardMatch(int i) {
    return "api.eu." + wildcardSuffix(i);
  }

  /** Index of an exact entry in the middle of a policy of {@code n} destinations. */
  public static int middleExact(int n) {
    int i = n / 2;
    return isWildcard(i) ? i - 1 : i;
  }

  /** Index of the last wildcard entry of a policy of {@code n} destinations (n at least 10). */
  public static int lastWildcard(int n) {
    int i = n - 1;
    while (!isWildcard(i)) {
      i--;
    }
    return i;
  }

  public static String json(int n) {
    return json(n, true);
  }

  /**
   * {@code blocked}: whether to list the two blocked entries (an exact name and a {@code *.}
   * wildcard).
   */
  public static String json(int n, boolean blocked) {
    StringBuilder b = new StringBuilder(64 * n + 1024);
    b.append("{\"network_policy_id\":\"bench-")
        .append(n)
        .append("\",\"egress\":{\"network_access\":{")
        .append("\"restriction_mode\":\"RESTRICTED_ACCESS\",\"allowed_internet_destinations\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      String dest = isWildcard(i) ? "*." + wildcardSuffix(i) : exactName(i);
      b.append("{\"destination\":\"")
          .append(dest)
          .append("\",\"internet_destination_type\":\"DNS_NAME\"}");
    }
    b.append("],");
    if (blocked) {
      b.append("\"blocked_internet_destinations\":[")
          .append(
              "{\"destination\":\"gist.githubusercontent.com\",\"internet_destination_type\":\"DNS_NAME\"},")
          .append(
              "{\"destination\":\"*.blocked.example.org\",\"internet_destination_type\":\"DNS_NAME\"}],");
    }
    b.append("\"allowed_storage_destinations\":[")
        .append("{\"azure_storage_account\":\"lakeprod\",\"azure_storage_service\":\"dfs\",")
        .append("\"storage_destination_type\":\"AZURE_STORAGE\"},")
        .append(
            "{\"bucket_name\":\"raw-events\",\"region\":\"us-west-2\",\"storage_destination_type\":\"AWS_S3\"},")
        .append(
            "{\"bucket_name\":\"ml-models\",\"storage_destination_type\":\"GOOGLE_CLOUD_STORAGE\"}]")
        .append("}}}");
    return b.toString();
  }

  /**
   * The selection of a serverless JVM: workspace 1234, loopback internal, localhost an internal
   * host.
   */
  public static Selection selection() {
    return new Selection(
        WORKSPACE_ID,
        Product.GENERAL_COMPUTE,
        ModeOverride.NONE,
        CidrSet.parse(List.of("127.0.0.1/32")),
        Set.of("localhost"));
  }

  /** What the agent does on a (re)load: parse, compile, select. */
  public static EffectivePolicy load(String json) {
    try {
      return PolicyEngine.compile(PolicyParser.parse(json)).select(selection());
    } catch (PolicyException e) {
      throw new IllegalStateException("generated policy does not parse", e);
    }
  }
}
