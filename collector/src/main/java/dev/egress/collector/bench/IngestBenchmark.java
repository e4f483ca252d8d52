package dev.egress.collector.bench;

import dev.egress.collector.http.CollectorConfig;
import dev.egress.collector.http.CollectorServer;
import dev.egress.collector.record.EventTimes;
import dev.egress.collector.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Ingest throughput: N client threads post batches of records to a collector on loopback, and the
 * rate of acknowledged (durably committed, {@code synchronous=FULL}) records is printed.
 *
 * <pre>
 * java -cp collector/target/egress-collector.jar dev.egress.collector.bench.IngestBenchmark \
 *     [threads=8] [batches-per-thread=50] [batch-size=1000] [gzip=false] [FULL|NORMAL]
 * </pre>
 *
 * An in-process collector is started on an ephemeral loopback port with a fresh database in a
 * temporary directory (removed afterwards). Bodies are built before the clock starts, so the
 * client's cost is the HTTP send only; on a small machine client and collector still share the
 * CPUs.
 */
public final class IngestBenchmark {
  private static final String TOKEN = "benchmark-admin-token-000000";

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int batchesPerThread = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    boolean gzip = args.length > 3 && Boolean.parseBoolean(args[3]);
    Database.Sync sync = args.length > 4 ? Database.Sync.valueOf(args[4]) : Database.Sync.FULL;

    Path dir = Files.createTempDirectory("egress-bench");
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Path tokens = Files.writeString(dir.resolve("tokens.json"), "{\"" + TOKEN + "\": \"*\"}");
    CollectorConfig config =
        CollectorConfig.of(
                InetAddress.getLoopbackAddress(), 0, dir.resolve("bench.db"), policies, tokens)
            .withSync(sync);
    try (CollectorServer server = CollectorServer.start(config)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/violations");
      System.out.printf(
          "building %d batches of %d records...%n", threads * batchesPerThread, batchSize);
      List<List<byte[]>> bodies = new ArrayList<>();
      long bytes = 0;
      for (int t = 0; t < threads; t++) {
        List<byte[]> mine = new ArrayList<>();
        for (int b = 0; b < batchesPerThread; b++) {
          byte[] body = batch(batchSize, t * 7 + b);
          mine.add(gzip ? gzip(body) : body);
          bytes += mine.get(mine.size() - 1).length;
        }
        bodies.add(mine);
      }
      warmUp(uri, gzip);

      System.out.println("posting...");
      AtomicLong accepted = new AtomicLong();
      List<Thread> workers = new ArrayList<>();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        List<byte[]> mine = bodies.get(t);
        Thread w =
            new Thread(
                () -> {
                  for (byte[] body : mine) {
                    accepted.addAndGet(post(uri, body, gzip));
                  }
                },
                "bench-client-" + t);
        w.start();
        workers.add(w);
      }
      for (Thread w : workers) {
        w.join();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
      long n = accepted.get();
      System.out.printf(
          "%d records in %.2f s with %d client threads, batches of %d%s: %,.0f records/s"
              + " (%.1f MB/s on the wire), synchronous=%s%n",
          n,
          seconds,
          threads,
          batchSize,
          gzip ? " (gzip)" : "",
          n / seconds,
          bytes / seconds / 1e6,
          sync);
      // CPU per record (collector and client together) does not depend on what else the machine
      // runs.
      System.out.printf(
          "CPU: %.1f s of %d cores in %.1f s (%.0f%% of the machine), %.1f us per record%n",
          cpuSeconds,
          Runtime.getRuntime().availableProcessors(),
          seconds,
          100 * cpuSeconds / seconds / Runtime.getRuntime().availableProcessors(),
          cpuSeconds * 1e6 / n);
      System.out.printf("rows in the database: %d%n", server.store().count());
    } finally {
      deleteTree(dir);
    }
  }

  private static void warmUp(URI uri, boolean gzip) throws IOException {
    for (int i = 0; i < 20; i++) {
      byte[] body = batch(1000, 100_000 + i);
      post(uri, gzip ? gzip(body) : body, gzip);
    }
  }

  /**
   * One POST with HttpURLConnection (keep-alive): far less CPU per request than java.net.http's
   * asynchronous pipeline, which matters when the client shares the machine's two cores with the
   * collector it measures.
   */
  private static long post(URI uri, byte[] body, boolean gzip) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      c.setRequestProperty("Authorization", "Bearer " + TOKEN);
      c.setRequestProperty("Content-Type", "application/x-ndjson");
      if (gzip) {
        c.setRequestProperty("Content-Encoding", "gzip");
      }
      c.setReadTimeout(120_000);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
        String b = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (status != 200) {
          throw new IllegalStateException("HTTP " + status + ": " + b);
        }
        int i = b.indexOf("\"accepted\":") + 11;
        return Long.parseLong(b.substring(i, b.indexOf(',', i)).trim());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Realistic records (~700 bytes, every field) with distinct event ids and a spread of
   * destinations.
   */
  static byte[] batch(int size, int seed) {
    StringBuilder b = new StringBuilder(size * 720);
    long t0 = 1_738_317_600_000L + seed * 1000L;
    for (int i = 0; i < size; i++) {
      String host = "h" + (i % 50) + ".svc" + (seed % 13) + ".example.com";
      b.append("{\"event_id\":\"")
          .append(randomUuid())
          .append("\",\"event_time\":\"")
          .append(EventTimes.format(t0 + i))
          .append("\",\"account_id\":\"8f1e-acct\",\"workspace_id\":")
          .append(1000 + (i % 20))
          .append(",\"network_policy_id\":\"restricted\",\"destination_type\":\"DNS\",")
          .append("\"destination\":\"")
          .append(host)
          .append("\",\"dns_event\":{\"domain_name\":\"")
          .append(host)
          .append(
              "\",\"rcode\":3},\"ip_event\":null,\"storage_event\":null,\"access_type\":\"DROP\",")
          .append("\"network_source_type\":\"GENERAL_COMPUTE\",\"port\":443,\"protocol\":\"TCP\",")
          .append("\"reason\":\"not-allowed\",\"caller\":{\"class\":\"com.example.etl.Job")
          .append(i % 7)
          .append("\",\"method\":\"fetch\",\"line\":")
          .append(40 + i % 9)
          .append(",\"code_source\":\"file:/local_disk0/tmp/repl/job.jar\",\"user_code\":true},")
          .append("\"process\":{\"pid\":")
          .append(4000 + seed)
          .append(",\"host\":\"10.1.2.3\",")
          .append(
              "\"jvm_role\":\"executor\",\"spark_app_id\":\"app-20250131-0001\",\"spark_executor_id\":\"")
          .append(seed % 8)
          .append("\"},\"count\":1}\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A version-4 UUID from a fast PRNG: UUID.randomUUID's SecureRandom made building the bodies the
   * slow part.
   */
  private static UUID randomUuid() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4);
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(body);
    }
    return out.toByteArray();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
