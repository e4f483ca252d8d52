package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import dev.egress.collector.auth.TokenScope;
import dev.egress.collector.policy.PolicyDirectory;
import dev.egress.collector.policy.PolicyVersion;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/policy?workspace_id=1234} and {@code GET /v1/workspaces/1234/policy}: the whole
 * policy document that serves the workspace (the agent selects its binding itself), byte for byte
 * as the administrator wrote it, with a strong {@code ETag} (SHA-256 of the bytes). {@code
 * If-None-Match} with the current ETag answers 304, so agents can poll often for almost nothing.
 * Without a workspace: the default.
 */
public final class PolicyHandler extends ApiHandler {
  private static final Pattern WORKSPACE_PATH =
      Pattern.compile("/v1/workspaces/([0-9]{1,18})/policy");

  private final Authenticator auth;
  private final PolicyDirectory policies;

  public PolicyHandler(Authenticator auth, PolicyDirectory policies) {
    this.auth = auth;
    this.policies = policies;
  }

  @Override
  protected void serve(HttpExchange ex) throws ApiException, IOException {
    String path = ex.getRequestURI().getPath();
    Long workspaceId;
    if (path.equals("/v1/policy")) {
      workspaceId = new QueryParams(Exchanges.query(ex)).workspaceId("workspace_id");
    } else {
      Matcher m = WORKSPACE_PATH.matcher(path);
      if (!m.matches()) {
        throw new ApiException(404, "not_found", "no such endpoint: " + path);
      }
      workspaceId = Long.parseLong(m.group(1));
    }
    Exchanges.requireMethod(ex, "GET", "HEAD");
    TokenScope scope = auth.require(ex);
    if (workspaceId != null) {
      Authenticator.requireWorkspace(scope, workspaceId, "read the policy of");
    }
    PolicyVersion v = policies.forWorkspace(workspaceId);
    if (v == null) {
      throw new ApiException(
          404,
          "no_policy",
          workspaceId == null
              ? "no policy file has a " + "default-policy"
              : "no policy file binds workspace " + workspaceId + " and none has a default-policy");
    }
    ex.getResponseHeaders().set("ETag", v.etag());
    ex.getResponseHeaders().set("X-Egress-Policy-File", v.fileName());
    // Caches may keep it but must revalidate: an edit must reach agents at their next poll.
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    if (matches(ex.getRequestHeaders().getFirst("If-None-Match"), v.etag())) {
      ex.sendResponseHeaders(304, -1);
      return;
    }
    Exchanges.send(ex, 200, "application/json", v.bytes());
  }

  /**
   * RFC 9110: a list of entity tags or "*"; weak comparison ("W/" ignored) as If-None-Match
   * requires.
   */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String t : ifNoneMatch.split(",")) {
      String tag = t.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
