package dev.egress.agent.report;

import dev.egress.agent.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exports each batch as OTLP/HTTP logs (JSON encoding) to {@code otlp.endpoint}, for fleets that
 * route everything through an OpenTelemetry Collector. Best effort, like any telemetry exporter: a
 * failed export is counted and reported once per distinct problem, never retried from disk (the
 * local log and the collector sink are the records of reference), and short timeouts keep a slow
 * endpoint from holding up the reporter thread for long.
 */
public final class OtlpSink implements RecordSink {
  private static final int CONNECT_TIMEOUT_MS = 1_000;
  private static final int READ_TIMEOUT_MS = 3_000;

  private final URI endpoint;
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private String lastProblem;

  public OtlpSink(URI endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void write(List<ViolationRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    byte[] body = OtlpLogs.request(batch).getBytes(StandardCharsets.UTF_8);
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
      try {
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
          if (in != null) {
            in.readAllBytes();
          }
        }
        if (status / 100 == 2) {
          exported.addAndGet(batch.size());
          return;
        }
        problem("OTLP endpoint " + endpoint + " answered HTTP " + status, batch.size());
      } finally {
        c.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      problem("OTLP endpoint " + endpoint + " unreachable: " + e, batch.size());
    }
  }

  private void problem(String what, int records) {
    failed.addAndGet(records);
    String key = what.replaceAll("[0-9]+", "#");
    if (!key.equals(lastProblem)) {
      lastProblem = key;
      AgentLog.warn(what + " (" + failed.get() + " records not exported so far)");
    }
  }

  public long exported() {
    return exported.get();
  }

  public long failed() {
    return failed.get();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
