package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import dev.egress.collector.policy.PolicyDirectory;
import dev.egress.collector.policy.PolicyFileState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /v1/policy/status}: each policy file, whether it is valid, the version being served,
 * and the error (line, column, JSON path) of a refused edit, so that an administrator sees why an
 * edit did not take effect.
 */
public final class PolicyStatusHandler extends ApiHandler {
  private final Authenticator auth;
  private final PolicyDirectory policies;

  public PolicyStatusHandler(Authenticator auth, PolicyDirectory policies) {
    this.auth = auth;
    this.policies = policies;
  }

  @Override
  protected void serve(HttpExchange ex) throws ApiException, IOException {
    Exchanges.requireMethod(ex, "GET");
    auth.require(ex);
    PolicyDirectory.Snapshot s = policies.snapshot();
    List<Map<String, Object>> files = new ArrayList<>();
    for (PolicyFileState f : s.files()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", f.fileName());
      m.put("valid", f.error() == null);
      m.put("checked_at", f.checkedAt().toString());
      if (f.serving() != null) {
        m.put("serving_etag", f.serving().etag());
        m.put("serving_loaded_at", f.serving().loadedAt().toString());
        TreeSet<Long> ws = new TreeSet<>();
        f.serving().document().workspaces().forEach(b -> ws.add(b.workspaceId()));
        m.put("workspaces", ws);
        m.put("default", s.defaultPolicy() == f.serving());
      } else {
        m.put("serving_etag", null);
      }
      if (f.error() != null) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("line", f.error().line());
        e.put("column", f.error().column());
        e.put("path", f.error().path());
        e.put("message", f.error().message());
        m.put("error", e);
      }
      files.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("directory", policies.dir().toString());
    body.put("scanned_at", s.scannedAt().toString());
    body.put("default_file", s.defaultPolicy() == null ? null : s.defaultPolicy().fileName());
    body.put("files", files);
    body.put("warnings", s.warnings());
    Exchanges.sendJson(ex, 200, body);
  }
}
