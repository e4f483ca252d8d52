package dev.egress.agent.report;

import dev.egress.agent.AgentLog;
import dev.egress.agent.AgentThread;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Delivers records to the collector ({@code POST <collector.url>/v1/violations}, gzip NDJSON,
 * bearer token), each exactly once: every batch goes to the {@link Spool} first (a local file write
 * on the reporter thread), and a background thread sends spooled segments oldest first and deletes
 * a segment only after the collector acknowledged it. A resend after a lost acknowledgement is
 * harmless: the collector ignores event ids it already stored. While the collector is down or slow
 * the segments wait, with back-off between attempts; the application never waits on any of this,
 * and the agent's own connection to the collector is never judged (it runs on an agent thread).
 */
public final class CollectorSink implements RecordSink {
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int READ_TIMEOUT_MS = 10_000;
  private static final long MIN_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 60_000;
  private static final long IDLE_POLL_MS = 1_000;

  private final URI endpoint;
  private final String token;
  private final Spool spool;
  private final Object signal = new Object();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private volatile boolean closing;
  private volatile String lastError;
  private Thread sender;

  public CollectorSink(URI collectorUrl, String token, Path spoolDir, long spoolMaxBytes) {
    String base = collectorUrl.toString();
    this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "v1/violations");
    this.token = token;
    this.spool = new Spool(spoolDir, spoolMaxBytes);
  }

  /** Starts the sender; segments left by earlier JVMs are sent too. */
  public void start() {
    sender = new AgentThread(new SendLoop(), "collector");
    sender.start();
  }

  @Override
  public void write(List<ViolationRecord> batch) throws IOException {
    List<String> lines = new ArrayList<>(batch.size());
    for (ViolationRecord r : batch) {
      lines.add(RecordJson.toJson(r));
    }
    spool.append(lines);
  }

  @Override
  public void flush() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** At JVM exit: one last attempt to send, within a short time; what is left stays spooled. */
  @Override
  public void close() {
    closing = true;
    flush();
    if (sender != null) {
      try {
        sender.join(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long evicted = spool.evictedRecords();
    if (evicted > 0) {
      AgentLog.warn(
          evicted
              + " violation records were evicted from the full spool "
              + spool.dir()
              + " before the collector took them (raise collector.spool.max)");
    }
  }

  public long delivered() {
    return delivered.get();
  }

  public long evicted() {
    return spool.evictedRecords();
  }

  /** Package-private seam: sends every pending segment once; returns false at the first failure. */
  boolean sendPending() {
    List<Path> segments;
    try {
      segments = spool.pending();
    } catch (IOException e) {
      report("cannot list the spool " + spool.dir() + ": " + e);
      return false;
    }
    for (Path segment : segments) {
      List<String> lines;
      try {
        lines = Spool.read(segment);
      } catch (NoSuchFileException gone) {
        continue;
      } catch (IOException e) {
        report("cannot read " + segment + ": " + e);
        return false;
      }
      int status;
      try {
        status = post(lines);
      } catch (IOException e) {
        failedAttempts.incrementAndGet();
        report(
            "collector "
                + endpoint
                + " unreachable ("
                + e
                + "); records stay spooled in "
                + spool.dir());
        return false;
      }
      try {
        if (status == 200) {
          Spool.remove(segment);
          delivered.addAndGet(lines.size());
          lastError = null;
        } else if (status == 400 || status == 401 || status == 403 || status == 413) {
          // The collector will never take this batch: keep it aside, do not block the others.
          Spool.reject(segment);
          report(
              "collector refused a batch with HTTP "
                  + status
                  + "; kept as rejected-"
                  + segment.getFileName());
        } else {
          failedAttempts.incrementAndGet();
          report("collector answered HTTP " + status + "; records stay spooled");
          return false;
        }
      } catch (IOException e) {
        report("cannot update the spool: " + e);
        return false;
      }
    }
    return true;
  }

  private int post(List<String> lines) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(body)) {
      for (String line : lines) {
        gz.write(line.getBytes(StandardCharsets.UTF_8));
        gz.write('\n');
      }
    }
    HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
    try {
      c.setConnectTimeout(CONNECT_TIMEOUT_MS);
      c.setReadTimeout(READ_TIMEOUT_MS);
      c.setDoOutput(true);
      c.setRequestMethod("POST");
      c.setRequestProperty("Content-Type", "application/x-ndjson");
      c.setRequestProperty("Content-Encoding", "gzip");
      if (token != null) {
        c.setRequestProperty("Authorization", "Bearer " + token);
      }
      c.setFixedLengthStreamingMode(body.size());
      try (OutputStream out = c.getOutputStream()) {
        body.writeTo(out);
      }
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes(); // let the connection be reused
        }
      }
      return status;
    } finally {
      c.disconnect();
    }
  }

  /** One line per distinct problem, so an outage does not flood stderr. */
  private void report(String problem) {
    String key = problem.replaceAll("[0-9]+", "#");
    if (!key.equals(lastError)) {
      lastError = key;
      AgentLog.warn(problem);
    }
  }

  private final class SendLoop implements Runnable {
    @Override
    public void run() {
      long backoff = MIN_BACKOFF_MS;
      while (true) {
        boolean ok = sendPending();
        if (closing) {
          return; // close() made its one last attempt through this pass
        }
        try {
          if (ok) {
            backoff = MIN_BACKOFF_MS;
            synchronized (signal) {
              signal.wait(IDLE_POLL_MS); // a new batch wakes us at once
            }
          } else {
            // Back off, whatever new batches signal meanwhile; only closing cuts it short.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            synchronized (signal) {
              for (long left = until - System.nanoTime();
                  left > 0 && !closing;
                  left = until - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(signal, left);
              }
            }
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
