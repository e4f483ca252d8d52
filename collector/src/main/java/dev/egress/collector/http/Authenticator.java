package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import dev.egress.collector.auth.TokenFile;
import dev.egress.collector.auth.TokenScope;

/**
 * Checks {@code Authorization: Bearer}: 401 for a missing or unknown token, 403 for a workspace out
 * of scope.
 */
public final class Authenticator {
  private final TokenFile tokens;

  public Authenticator(TokenFile tokens) {
    this.tokens = tokens;
  }

  public TokenScope require(HttpExchange ex) throws ApiException {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      throw new ApiException(401, "unauthorized", "no Authorization: Bearer <token> header");
    }
    TokenScope scope = tokens.authenticate(header);
    if (scope == null) {
      throw new ApiException(401, "unauthorized", "unknown token");
    }
    return scope;
  }

  public static void requireWorkspace(TokenScope scope, Long workspaceId, String what)
      throws ApiException {
    if (!scope.allows(workspaceId)) {
      throw new ApiException(
          403,
          "forbidden",
          "this token may not "
              + what
              + " workspace "
              + (workspaceId == null
                  ? "(none: records without workspace_id need an admin token)"
                  : workspaceId));
    }
  }
}
