package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import dev.egress.collector.auth.TokenScope;
import dev.egress.collector.record.BatchParser;
import dev.egress.collector.record.ViolationRow;
import dev.egress.collector.store.BatchWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/violations}: one batch of NDJSON records, stored all or nothing. The checks run
 * in the order that costs the sender least to fix and the collector least to run: token (401), size
 * (413), every line's syntax and fields (400), every record's workspace against the token's scope
 * (403); only then is the batch queued. The answer 200 {@code {"accepted": n, "duplicates": m}}
 * comes after the commit: records whose {@code event_id} is already stored (a batch re-sent after a
 * timeout) are counted as duplicates, not stored twice.
 */
public final class IngestHandler {
  /** How long a request waits for room in the writer's queue before answering 503. */
  private static final long QUEUE_WAIT_MILLIS = 5_000;

  /** How long it waits for its commit; beyond, the agent has timed out anyway and will re-send. */
  private static final long COMMIT_WAIT_SECONDS = 60;

  private final Authenticator auth;
  private final BodyReader bodies;
  private final int maxRecords;
  private final BatchWriter writer;

  public IngestHandler(Authenticator auth, BodyReader bodies, int maxRecords, BatchWriter writer) {
    this.auth = auth;
    this.bodies = bodies;
    this.maxRecords = maxRecords;
    this.writer = writer;
  }

  void serve(HttpExchange ex) throws ApiException, IOException {
    TokenScope scope = auth.require(ex);
    BodyReader.Body body = bodies.read(ex);
    List<ViolationRow> rows;
    try {
      rows = BatchParser.parse(body.bytes(), body.length(), maxRecords);
    } catch (BatchParser.BatchException e) {
      if (e.tooLarge()) {
        throw BodyReader.tooLarge(e.getMessage());
      }
      throw new ApiException(
          400,
          "bad_request",
          e.getMessage() + " (nothing of this batch was stored)",
          Map.of("line", e.line()));
    }
    long now = System.currentTimeMillis();
    List<ViolationRow> stamped = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      ViolationRow r = rows.get(i);
      if (!scope.allows(r.workspaceId())) {
        throw new ApiException(
            403,
            "forbidden",
            "record "
                + (i + 1)
                + " (event_id "
                + r.eventId()
                + ") is of workspace "
                + (r.workspaceId() == null ? "null" : r.workspaceId())
                + ", which this token may not write (nothing of this batch was stored)",
            Map.of("record", i + 1));
      }
      stamped.add(r.receivedAt(now));
    }
    BatchWriter.Result result;
    if (stamped.isEmpty()) {
      result = new BatchWriter.Result(0, 0);
    } else {
      result = store(stamped);
    }
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    answer.put("accepted", result.accepted());
    answer.put("duplicates", result.duplicates());
    Exchanges.sendJson(ex, 200, answer);
  }

  private BatchWriter.Result store(List<ViolationRow> rows) throws ApiException {
    try {
      return writer.submit(rows, QUEUE_WAIT_MILLIS).get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (BatchWriter.OverloadedException e) {
      throw new ApiException(503, "overloaded", e.getMessage() + "; retry later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "shutting_down", "interrupted; retry");
    } catch (TimeoutException e) {
      // The batch may still commit; a retry is safe because of event_id.
      throw new ApiException(
          503,
          "storage_timeout",
          "the batch was not committed within "
              + COMMIT_WAIT_SECONDS
              + " s; retry it (re-sent records are not duplicated)");
    } catch (ExecutionException e) {
      throw new ApiException(
          503,
          "storage_failed",
          "the database refused the batch: "
              + e.getCause()
              + "; nothing of it was stored, retry later");
    }
  }
}
