package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import dev.egress.collector.auth.TokenScope;
import dev.egress.collector.store.ViolationFilter;
import dev.egress.collector.store.ViolationStore;
import dev.egress.collector.store.ViolationStore.SummaryBy;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/summary?by=destination|caller|workspace|day|reason}: violation counts (the sum of
 * {@code count}, so folded repeats count) per group, biggest first, with the same filters as the
 * query.
 */
public final class SummaryHandler extends ApiHandler {
  private final Authenticator auth;
  private final ViolationStore store;

  public SummaryHandler(Authenticator auth, ViolationStore store) {
    this.auth = auth;
    this.store = store;
  }

  @Override
  protected void serve(HttpExchange ex) throws ApiException, IOException {
    Exchanges.requireMethod(ex, "GET");
    TokenScope scope = auth.require(ex);
    QueryParams q = new QueryParams(Exchanges.query(ex));
    String byName = q.string("by");
    SummaryBy by = byName == null ? null : SummaryBy.parse(byName);
    if (by == null) {
      throw ApiException.badRequest(
          "\"by\" must be one of destination, caller, workspace, day, reason");
    }
    ViolationFilter filter = QueryHandler.filter(q, scope);
    int limit = q.integer("limit", 100, 1, QueryHandler.MAX_LIMIT);
    List<ViolationStore.Group> groups;
    try {
      groups = store.summary(filter, by, limit);
    } catch (SQLException e) {
      throw new ApiException(503, "storage_failed", "summary failed: " + e.getMessage());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (ViolationStore.Group g : groups) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", g.key());
      m.put("count", g.count());
      m.put("records", g.records());
      out.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("by", byName);
    body.put("groups", out);
    Exchanges.sendJson(ex, 200, body);
  }
}
