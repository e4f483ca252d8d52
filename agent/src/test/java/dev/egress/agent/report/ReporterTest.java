package dev.egress.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReporterTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream diagBytes = new ByteArrayOutputStream();
  private final PrintStream diag = new PrintStream(diagBytes, true, StandardCharsets.UTF_8);
  private final AtomicLong clock = new AtomicLong();

  /** Keeps every record it is given. */
  static class CollectingSink implements RecordSink {
    final List<ViolationRecord> records = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger flushes = new AtomicInteger();
    volatile boolean closed;

    @Override
    public void write(List<ViolationRecord> batch) {
      records.addAll(batch);
    }

    @Override
    public void flush() {
      flushes.incrementAndGet();
    }

    @Override
    public void close() {
      closed = true;
    }

    long totalCount() {
      synchronized (records) {
        return records.stream().mapToLong(ViolationRecord::count).sum();
      }
    }
  }

  /** Fails every call. */
  static final class BrokenSink implements RecordSink {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void write(List<ViolationRecord> batch) throws IOException {
      calls.incrementAndGet();
      throw new IOException("disk on fire");
    }

    @Override
    public void flush() {
      throw new IllegalStateException("flush on fire");
    }

    @Override
    public void close() {
      throw new IllegalStateException("close on fire");
    }

    @Override
    public String toString() {
      return "broken sink";
    }
  }

  private Reporter fakeClockReporter(int maxPending, RecordSink... sinks) {
    return new Reporter(List.of(sinks), Duration.ofSeconds(1), maxPending, clock::get, diag);
  }

  private Reporter realReporter(RecordSink... sinks) {
    return new Reporter(
        List.of(sinks),
        Reporter.DEFAULT_FOLD_WINDOW,
        Reporter.DEFAULT_MAX_PENDING,
        System::nanoTime,
        diag);
  }

  private static void assertAccounting(ReporterStats s) {
    assertEquals(s.offered(), s.written() + s.folded() + s.dropped() + s.pending(), s.toString());
  }

  private static void runThreads(int n, java.util.function.IntConsumer body)
      throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                body.accept(id);
              });
      th.start();
      threads.add(th);
    }
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
  }

  private String diagText() {
    return diagBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void identicalOffersFromEightThreadsFoldWithExactCounts() throws InterruptedException {
    CollectingSink sink = new CollectingSink();
    Reporter r = realReporter(sink);
    r.start();
    ViolationRecord v = Records.dns("evil.example.net");
    runThreads(
        8,
        id -> {
          for (int i = 0; i < 12_500; i++) {
            r.offer(v);
          }
        });
    assertTrue(r.close(Duration.ofSeconds(30)));
    assertEquals(100_000, sink.totalCount());
    // One record per fold window at most, and surely far fewer than offers.
    assertTrue(sink.records.size() < 100, "records: " + sink.records.size());
    ReporterStats s = r.stats();
    assertEquals(100_000, s.offered());
    assertEquals(0, s.dropped());
    assertEquals(sink.records.size(), s.written());
    assertEquals(100_000 - sink.records.size(), s.folded());
    assertAccounting(s);
    assertTrue(sink.closed);
  }

  @Test
  void foldWindowOpensAtFirstOfferAndClosesAfterIt() {
    CollectingSink sink = new CollectingSink();
    Reporter r = fakeClockReporter(100, sink);
    ViolationRecord v = Records.dns("a.example");
    r.offer(v);
    clock.set(TimeUnit.MILLISECONDS.toNanos(500));
    r.offer(v);
    assertEquals(0, r.drainNow()); // window still open
    clock.set(TimeUnit.MILLISECONDS.toNanos(1000));
    assertEquals(1, r.drainNow());
    assertEquals(2, sink.records.get(0).count());
    assertEquals(v.eventId(), sink.records.get(0).eventId()); // the first occurrence's details
    r.offer(v); // a new window
    assertEquals(1, r.stats().pending());
    r.close(Duration.ofSeconds(1));
    assertEquals(2, sink.records.size());
    assertEquals(3, sink.totalCount());
    assertTrue(sink.flushes.get() >= 2);
  }

  @Test
  void differentCallersOrPortsAreNotFolded() {
    CollectingSink sink = new CollectingSink();
    Reporter r = fakeClockReporter(100, sink);
    ViolationRecord v = Records.dns("a.example");
    r.offer(v);
    r.offer(v.toBuilder().port(80).build());
    r.offer(v.toBuilder().caller(new Caller("Cell1", "run", 8, null, true)).build());
    r.offer(v.toBuilder().caller(null).build());
    r.offer(v.toBuilder().reason("blocked-destination").build());
    r.offer(v.toBuilder().accessType("DRY_RUN_DENIAL").build());
    r.offer(v.toBuilder().protocol("UDP").build());
    r.offer(v.toBuilder().destination("b.example").build());
    r.offer(
        v.toBuilder().eventTime(java.time.Instant.EPOCH).build()); // only details differ: folded
    assertEquals(8, r.stats().pending());
    assertEquals(1, r.stats().folded());
  }

  @Test
  void distinctFloodIsBoundedAndCounted() {
    CollectingSink sink = new CollectingSink();
    Reporter r = fakeClockReporter(100, sink);
    for (int i = 0; i < 1_000; i++) {
      r.offer(Records.dns("d" + i + ".example"));
      assertTrue(r.stats().pending() <= 100);
    }
    // Identical offers still fold when the map is full.
    r.offer(Records.dns("d0.example"));
    ReporterStats s = r.stats();
    assertEquals(100, s.pending());
    assertEquals(900, s.dropped());
    assertEquals(900, r.droppedCount());
    assertEquals(1, s.folded());
    assertAccounting(s);

    r.drainNow(); // half full or more: everything is written at once, window or not
    assertEquals(100, sink.records.size());
    assertEquals(0, r.stats().pending());
    assertAccounting(r.stats());
    r.close(Duration.ofSeconds(1));
    s = r.stats();
    assertEquals(s.offered(), s.written() + s.folded() + s.dropped());
  }

  @Test
  void dropSummaryGoesToStderrAtMostOncePerMinute() {
    Reporter r = fakeClockReporter(10, new CollectingSink());
    for (int i = 0; i < 30; i++) {
      r.offer(Records.dns("d" + i));
    }
    assertTrue(r.drainNow() > 0);
    for (int i = 30; i < 60; i++) {
      r.offer(Records.dns("d" + i));
    }
    r.drainNow();
    clock.addAndGet(TimeUnit.SECONDS.toNanos(30));
    r.drainNow();
    String out = diagText();
    assertEquals(1, count(out, "violation records dropped"), out);
    assertTrue(
        out.startsWith("[egress] reporter: 20 violation records dropped (20 in total)"), out);

    clock.addAndGet(TimeUnit.SECONDS.toNanos(31));
    r.drainNow();
    out = diagText();
    assertEquals(2, count(out, "violation records dropped"), out);
    assertTrue(out.contains("20 violation records dropped in the last minute (40 in total)"), out);
    r.drainNow();
    assertEquals(2, count(diagText(), "violation records dropped"));
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void closeWritesEverythingPendingToTheFile() throws IOException {
    Path log = dir.resolve("sub/dir/egress-violations.jsonl");
    Reporter r = realReporter(new JsonLinesSink(log));
    r.start();
    for (int i = 0; i < 1_000; i++) {
      r.offer(Records.dns("host" + (i % 250) + ".example"));
    }
    assertTrue(r.close(Duration.ofSeconds(30)));
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    long total = 0;
    for (String line : lines) {
      total += (Long) Records.parse(line).get("count");
    }
    assertEquals(1_000, total);
    assertTrue(lines.size() >= 250, "lines " + lines.size());
    assertEquals(r.stats().written(), lines.size());
    // Closed: later offers are only counted.
    r.offer(Records.dns("late.example"));
    assertEquals(1, r.stats().dropped());
    assertEquals(lines.size(), Files.readAllLines(log).size());
    assertTrue(r.close(Duration.ofSeconds(1))); // idempotent
  }

  @Test
  void closeWithoutStartDrainsOnTheCallersThread() {
    CollectingSink sink = new CollectingSink();
    Reporter r = fakeClockReporter(100, sink);
    r.offer(Records.dns("a"));
    assertTrue(r.close(Duration.ofSeconds(1)));
    assertEquals(1, sink.records.size());
    assertTrue(sink.closed);
    r.start(); // after close: no thread
    r.offer(Records.dns("b"));
    assertEquals(1, r.stats().dropped());
  }

  @Test
  void failingSinkDoesNotStopTheFileSink() throws IOException {
    BrokenSink broken = new BrokenSink();
    Path log = dir.resolve("v.jsonl");
    Reporter r = fakeClockReporter(100, broken, new JsonLinesSink(log));
    for (int round = 0; round < 3; round++) {
      r.offer(Records.dns("r" + round));
      clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
      assertEquals(1, r.drainNow());
    }
    r.close(Duration.ofSeconds(1));
    assertEquals(3, Files.readAllLines(log).size());
    assertEquals(3, broken.calls.get());
    ReporterStats s = r.stats();
    assertEquals(3 * 2 + 1, s.sinkFailures()); // write + flush per pass, and close
    assertEquals(3, s.written());
    String out = diagText();
    assertEquals(1, count(out, "write to broken sink failed"), out);
    assertEquals(1, count(out, "broken sink"), out); // only the first failure is printed
    assertTrue(out.contains("disk on fire"), out);
  }

  @Test
  void offerNeverThrows() {
    RecordSink sink = new CollectingSink();
    Reporter r = fakeClockReporter(1, sink);
    r.offer(null);
    assertEquals(0, r.stats().offered());
    // A record with nothing set folds like any other; with the map full, the next is dropped.
    r.offer(ViolationRecord.builder().build());
    r.offer(ViolationRecord.builder().destination("x").build());
    assertEquals(2, r.stats().offered());
    assertEquals(1, r.stats().dropped());
  }

  @Test
  void concurrentlyWrittenLinesParseBackOneByOne() throws Exception {
    Path log = dir.resolve("concurrent.jsonl");
    Reporter r = realReporter(new JsonLinesSink(log));
    r.start();
    runThreads(
        8,
        id -> {
          for (int i = 0; i < 5_000; i++) {
            String name = "t" + id + "-" + (i % 500) + "\n\"x\u2028" + "é".repeat(i % 7);
            r.offer(Records.dns(name));
          }
        });
    assertTrue(r.close(Duration.ofSeconds(30)));
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    long total = 0;
    for (String line : lines) {
      Map<String, Object> m = Records.parse(line);
      assertTrue(((String) m.get("destination")).startsWith("t"));
      total += (Long) m.get("count");
    }
    ReporterStats s = r.stats();
    assertEquals(40_000, s.offered());
    assertEquals(s.offered() - s.dropped(), total);
    assertEquals(s.written(), lines.size());
    assertAccounting(s);
  }

  @Test
  void millionOfferStormKeepsPendingBounded() throws InterruptedException {
    // A sink stuck on a slow disk: nothing leaves the map until it is released.
    CountDownLatch release = new CountDownLatch(1);
    CollectingSink collected = new CollectingSink();
    RecordSink slow =
        new RecordSink() {
          @Override
          public void write(List<ViolationRecord> batch) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            collected.write(batch);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    int max = 10_000;
    Reporter r = new Reporter(List.of(slow), Duration.ofSeconds(1), max, System::nanoTime, diag);
    r.start();
    int threads = 4;
    AtomicInteger peak = new AtomicInteger();
    // toBuilder keeps the template's event id: no UUID per offer, so the test stays quick.
    ViolationRecord template = Records.dns("storm");
    runThreads(
        threads,
        id -> {
          for (int i = 0; i < 250_000; i++) {
            r.offer(template.toBuilder().destination("storm-" + id + "-" + i).build());
            if ((i & 255) == 0) {
              peak.accumulateAndGet(r.stats().pending(), Math::max);
            }
          }
        });
    // Offering threads may each hold one reservation for a moment.
    assertTrue(peak.get() <= max + threads, "peak " + peak.get());
    ReporterStats during = r.stats();
    assertEquals(1_000_000, during.offered());
    // Retained: at most maxPending in the map plus the one chunk the stuck sink holds.
    assertTrue(
        during.dropped() >= 1_000_000 - max - Reporter.BATCH_SIZE - threads, during.toString());
    release.countDown();
    assertTrue(r.close(Duration.ofSeconds(60)));
    ReporterStats s = r.stats();
    assertEquals(0, s.pending());
    assertEquals(s.offered(), s.written() + s.folded() + s.dropped());
    assertEquals(collected.records.size(), s.written());
    assertTrue(diagText().contains("violation records dropped"));
  }

  @Test
  void shutdownHookIsInstalledOnce() {
    Reporter r = fakeClockReporter(10, new CollectingSink());
    Thread hook = r.installShutdownHook();
    try {
      assertNotNull(hook);
      assertSame(hook, r.installShutdownHook());
      assertEquals("egress-reporter-shutdown", hook.getName());
      assertTrue(hook instanceof dev.egress.agent.AgentThread);
    } finally {
      assertTrue(Runtime.getRuntime().removeShutdownHook(hook));
    }
  }

  @Test
  void reporterThreadIsAnAgentThread() throws InterruptedException {
    AtomicLong seen = new AtomicLong();
    CollectingSink sink =
        new CollectingSink() {
          @Override
          public void write(List<ViolationRecord> batch) {
            if (dev.egress.agent.AgentThread.current()
                && Thread.currentThread().getName().equals("egress-reporter")) {
              seen.incrementAndGet();
            }
            super.write(batch);
          }
        };
    Reporter r = realReporter(sink);
    r.start();
    r.offer(Records.dns("a"));
    assertTrue(r.close(Duration.ofSeconds(10)));
    assertEquals(1, seen.get());
  }
}
