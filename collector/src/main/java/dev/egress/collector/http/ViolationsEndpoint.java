package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** {@code /v1/violations}: POST ingests a batch, GET queries. */
public final class ViolationsEndpoint extends ApiHandler {
  private final IngestHandler ingest;
  private final QueryHandler query;

  public ViolationsEndpoint(IngestHandler ingest, QueryHandler query) {
    this.ingest = ingest;
    this.query = query;
  }

  @Override
  protected void serve(HttpExchange ex) throws ApiException, IOException {
    if (!ex.getRequestURI().getPath().equals("/v1/violations")) {
      throw new ApiException(404, "not_found", "no such endpoint: " + ex.getRequestURI().getPath());
    }
    Exchanges.requireMethod(ex, "POST", "GET");
    if (ex.getRequestMethod().equals("POST")) {
      ingest.serve(ex);
    } else {
      query.serve(ex);
    }
  }
}
