package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import dev.egress.collector.store.ViolationStore;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/** {@code GET /healthz}: 200 when the database answers; no token, for load balancers and probes. */
public final class HealthHandler extends ApiHandler {
  private final ViolationStore store;

  public HealthHandler(ViolationStore store) {
    this.store = store;
  }

  @Override
  protected void serve(HttpExchange ex) throws ApiException, IOException {
    Exchanges.requireMethod(ex, "GET", "HEAD");
    try {
      store.ping();
    } catch (SQLException e) {
      throw new ApiException(503, "unhealthy", "database: " + e.getMessage());
    }
    Exchanges.sendJson(ex, 200, Map.of("status", "ok"));
  }
}
