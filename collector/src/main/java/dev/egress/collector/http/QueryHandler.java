package dev.egress.collector.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.egress.collector.auth.TokenScope;
import dev.egress.collector.record.RecordReader;
import dev.egress.collector.record.RecordWriter;
import dev.egress.collector.record.ViolationRow;
import dev.egress.collector.store.ViolationFilter;
import dev.egress.collector.store.ViolationStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * {@code GET /v1/violations}: one page of records in (event_time, event_id) order. Keyset paging:
 * the {@code Next-Page-Token} response header (absent on the last page) is passed back as {@code
 * page_token}; a page never repeats or skips a row, whatever is inserted meanwhile. The body is a
 * JSON array, or NDJSON with {@code format=ndjson} or {@code Accept: application/x-ndjson}. A
 * scoped token reads only its workspaces.
 */
public final class QueryHandler {
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 10_000;
  private static final JsonFactory JSON = new JsonFactory();

  private final Authenticator auth;
  private final ViolationStore store;

  public QueryHandler(Authenticator auth, ViolationStore store) {
    this.auth = auth;
    this.store = store;
  }

  void serve(HttpExchange ex) throws ApiException, IOException {
    TokenScope scope = auth.require(ex);
    QueryParams q = new QueryParams(Exchanges.query(ex));
    ViolationFilter filter = filter(q, scope);
    int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    ViolationStore.Cursor after = PageTokens.decode(q.string("page_token"));
    String format = q.oneOf("format", Set.of("json", "ndjson"));
    String accept = ex.getRequestHeaders().getFirst("Accept");
    boolean ndjson =
        "ndjson".equals(format)
            || (format == null && accept != null && accept.contains("application/x-ndjson"));
    ViolationStore.Page page;
    try {
      page = store.query(filter, after, limit);
    } catch (SQLException e) {
      throw new ApiException(503, "storage_failed", "query failed: " + e.getMessage());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(page.rows().size() * 600 + 16);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      if (!ndjson) {
        g.writeStartArray();
      }
      for (ViolationRow r : page.rows()) {
        RecordWriter.write(g, r, true);
        if (ndjson) {
          g.writeRaw('\n');
        }
      }
      if (!ndjson) {
        g.writeEndArray();
      }
    }
    if (page.next() != null) {
      ex.getResponseHeaders().set("Next-Page-Token", PageTokens.encode(page.next()));
    }
    Exchanges.send(
        ex, 200, ndjson ? "application/x-ndjson" : "application/json", out.toByteArray());
  }

  /**
   * The filters both queries and summaries take; a workspace outside the token's scope is a 403.
   */
  static ViolationFilter filter(QueryParams q, TokenScope scope) throws ApiException {
    Long workspaceId = q.workspaceId("workspace_id");
    if (workspaceId != null) {
      Authenticator.requireWorkspace(scope, workspaceId, "read");
    }
    Long from = q.time("from");
    Long to = q.time("to");
    if (from != null && to != null && from >= to) {
      throw ApiException.badRequest("\"from\" must be before \"to\"");
    }
    String destination = q.string("destination");
    return new ViolationFilter(
        scope.readScope(),
        workspaceId,
        from,
        to,
        destination,
        q.oneOf("reason", RecordReader.REASONS),
        q.oneOf("access_type", RecordReader.ACCESS_TYPES));
  }
}
