package dev.egress.agent.report;

import dev.egress.agent.AgentThread;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Carries violation records from the application threads that were denied to the sinks.
 *
 * <p>{@link #offer} runs on the denied thread, inside a JDK socket call, so it never blocks, never
 * does I/O, never throws and allocates little: it folds the record into a bounded lock-free map and
 * returns. Identical violations within the fold window become one record with a {@code count}; a
 * storm of distinct ones fills the map up to {@code maxPending} records, after which offers are
 * only counted as dropped. Memory is therefore bounded by {@code maxPending} records, each of
 * bounded size (strings are capped, see {@link Text}).
 *
 * <p>One {@link AgentThread} ("reporter") wakes every ~200 ms, or at once when the map is half
 * full, takes the records whose fold window has passed, and writes them to every sink in batches. A
 * sink that fails is counted and reported on stderr once; the others go on. {@link #close} writes
 * out everything pending and closes the sinks; {@link #installShutdownHook()} runs it at JVM exit.
 */
public final class Reporter {
  public static final Duration DEFAULT_FOLD_WINDOW = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_PENDING = 10_000;
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  static final long DRAIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  static final long DROP_REPORT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Records per sink call: bounds the size of one write (about 600 bytes a record as JSON). */
  static final int BATCH_SIZE = 500;

  private static final String PREFIX = "[egress] ";

  private final List<RecordSink> sinks;
  private final long windowNanos;
  private final int maxPending;
  private final int urgentPending;
  private final LongSupplier nanoClock;
  private final PrintStream diag;

  private final ConcurrentHashMap<FoldKey, PendingRecord> pending = new ConcurrentHashMap<>();

  /** Reserved before insertion, so the map never holds more than maxPending records. */
  private final AtomicInteger pendingCount = new AtomicInteger();

  private final LongAdder offered = new LongAdder();
  private final LongAdder folded = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong sinkFailures = new AtomicLong();
  private final AtomicBoolean wakeRequested = new AtomicBoolean();

  // Touched only under drainLock (by the reporter thread, or by close() when no thread runs).
  private final Object drainLock = new Object();
  private final boolean[] sinkFailureReported;
  private long droppedReported;
  private long lastDropReportNanos;
  private boolean dropReportedOnce;

  private final Object lifecycleLock = new Object();
  private Thread drainer;
  private Thread shutdownHook;
  private volatile boolean closing;

  /** Set when the final drain begins: later offers are dropped instead of waiting forever. */
  private volatile boolean closed;

  private final AtomicBoolean finished = new AtomicBoolean();

  /** A reporter with the default fold window (1 s) and capacity (10,000 pending records). */
  public Reporter(List<RecordSink> sinks) {
    this(sinks, DEFAULT_FOLD_WINDOW, DEFAULT_MAX_PENDING);
  }

  public Reporter(List<RecordSink> sinks, Duration foldWindow, int maxPending) {
    this(sinks, foldWindow, maxPending, new NanoClock(), System.err);
  }

  /** Test seam: a controllable clock and a captured diagnostics stream. */
  Reporter(
      List<RecordSink> sinks,
      Duration foldWindow,
      int maxPending,
      LongSupplier nanoClock,
      PrintStream diag) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be at least 1: " + maxPending);
    }
    if (foldWindow.isNegative()) {
      throw new IllegalArgumentException("negative fold window: " + foldWindow);
    }
    this.sinks = List.copyOf(sinks);
    this.windowNanos = foldWindow.toNanos();
    this.maxPending = maxPending;
    this.urgentPending = Math.max(1, maxPending / 2);
    this.nanoClock = nanoClock;
    this.diag = diag;
    this.sinkFailureReported = new boolean[this.sinks.size()];
  }

  /** Starts the reporter thread; no-op if started or closed already. */
  public void start() {
    synchronized (lifecycleLock) {
      if (drainer != null || closing) {
        return;
      }
      drainer = new AgentThread(new Drainer(), "reporter");
      drainer.start();
    }
  }

  /**
   * Records one violation. Safe to call from any thread at any time, including before {@link
   * #start} and after {@link #close}: never blocks, never does I/O, never throws. The record's own
   * {@code count} is ignored: each offer is one violation.
   */
  public void offer(ViolationRecord record) {
    if (record == null) {
      return;
    }
    offered.increment();
    try {
      if (closed) {
        dropped.increment();
        return;
      }
      FoldKey key = FoldKey.of(record);
      for (; ; ) {
        PendingRecord p = pending.get(key);
        if (p != null) {
          if (p.tryAdd()) {
            folded.increment();
            return;
          }
          // Sealed: the reporter has already removed it from the map; the next get sees that.
          continue;
        }
        if (pendingCount.incrementAndGet() > maxPending) {
          pendingCount.decrementAndGet();
          dropped.increment();
          wakeDrainer();
          return;
        }
        PendingRecord fresh = new PendingRecord(record, nanoClock.getAsLong());
        if (pending.putIfAbsent(key, fresh) == null) {
          if (pendingCount.get() >= urgentPending) {
            wakeDrainer();
          }
          return;
        }
        pendingCount.decrementAndGet(); // another thread inserted the same key first: fold into it
      }
    } catch (Throwable t) {
      // An agent bug (or an OutOfMemoryError) must not surface in the application's socket call.
      dropped.increment();
    }
  }

  private void wakeDrainer() {
    Thread t = drainer;
    if (t != null && !wakeRequested.get() && wakeRequested.compareAndSet(false, true)) {
      LockSupport.unpark(t);
    }
  }

  public ReporterStats stats() {
    return new ReporterStats(
        offered.sum(),
        folded.sum(),
        dropped.sum(),
        written.get(),
        sinkFailures.get(),
        pendingCount.get());
  }

  /** Offers lost so far (the counter behind the stderr summary). */
  public long droppedCount() {
    return dropped.sum();
  }

  private void runDrainer() {
    while (!closing) {
      LockSupport.parkNanos(this, DRAIN_INTERVAL_NANOS);
      if (closing) {
        break;
      }
      wakeRequested.set(false);
      try {
        drainNow();
      } catch (Throwable t) {
        // Keep the thread alive: losing it would silently stop all reporting.
        diag.println(PREFIX + "reporter: unexpected error, continuing: " + t);
      }
    }
    finish();
  }

  /** One drain pass: writes the records whose fold window has passed (all of them when urgent). */
  int drainNow() {
    synchronized (drainLock) {
      int n = drain(pendingCount.get() >= urgentPending);
      reportDrops(false);
      return n;
    }
  }

  /**
   * Takes at most {@code maxPending} records in one pass and hands them to the sinks in chunks of
   * {@link #BATCH_SIZE} as it goes. Both limits matter in a storm: offers keep inserting while the
   * pass iterates, so an uncapped pass could run (and collect) for ever, and collecting everything
   * before writing would hold a second map's worth of records while a slow sink blocks.
   */
  private int drain(boolean all) {
    long now = nanoClock.getAsLong();
    List<ViolationRecord> chunk = new ArrayList<>(BATCH_SIZE);
    int taken = 0;
    for (Map.Entry<FoldKey, PendingRecord> e : pending.entrySet()) {
      if (taken >= maxPending) {
        break;
      }
      PendingRecord p = e.getValue();
      if (!all && now - p.openedNanos < windowNanos) {
        continue;
      }
      if (pending.remove(e.getKey(), p)) {
        pendingCount.decrementAndGet();
        chunk.add(p.first.withCount(p.seal()));
        taken++;
        if (chunk.size() == BATCH_SIZE) {
          deliver(chunk);
          chunk = new ArrayList<>(BATCH_SIZE);
        }
      }
    }
    if (taken == 0) {
      return 0;
    }
    deliver(chunk);
    for (int i = 0; i < sinks.size(); i++) {
      try {
        sinks.get(i).flush();
      } catch (Throwable t) {
        sinkFailed(i, "flush", t);
      }
    }
    return taken;
  }

  private void deliver(List<ViolationRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    records.sort(Comparator.comparing(ViolationRecord::eventTime));
    List<ViolationRecord> batch = List.copyOf(records);
    for (int i = 0; i < sinks.size(); i++) {
      try {
        sinks.get(i).write(batch);
      } catch (Throwable t) {
        sinkFailed(i, "write", t);
      }
    }
    written.addAndGet(batch.size());
  }

  private void sinkFailed(int index, String what, Throwable t) {
    sinkFailures.incrementAndGet();
    if (!sinkFailureReported[index]) {
      sinkFailureReported[index] = true;
      diag.println(
          PREFIX
              + "reporter: "
              + what
              + " to "
              + sinks.get(index)
              + " failed, records for it are lost: "
              + t
              + " (further failures of this sink are only counted)");
    }
  }

  /** At most once a minute, or at close: one summary line instead of one line per lost record. */
  private void reportDrops(boolean atClose) {
    long total = dropped.sum();
    if (total == droppedReported) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (!atClose && dropReportedOnce && now - lastDropReportNanos < DROP_REPORT_INTERVAL_NANOS) {
      return;
    }
    diag.println(
        PREFIX
            + "reporter: "
            + (total - droppedReported)
            + " violation records dropped"
            + (dropReportedOnce ? " in the last minute" : "")
            + " ("
            + total
            + " in total): more than "
            + maxPending
            + " distinct violations were waiting to be written");
    droppedReported = total;
    lastDropReportNanos = now;
    dropReportedOnce = true;
  }

  /**
   * Writes out every pending record, closes the sinks and stops the reporter thread. Later offers
   * are only counted as dropped. Idempotent.
   *
   * @return true when everything was written within {@code timeout} (false if a sink hung)
   */
  public boolean close(Duration timeout) {
    Thread t;
    synchronized (lifecycleLock) {
      closing = true;
      t = drainer;
    }
    if (t == null) {
      finish(); // never started: drain on the caller's thread
      return true;
    }
    if (t == Thread.currentThread()) {
      return false; // a sink closing its own reporter: the loop finishes after this pass
    }
    LockSupport.unpark(t);
    try {
      t.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      diag.println(
          PREFIX
              + "reporter: not finished writing within "
              + timeout
              + "; "
              + pendingCount.get()
              + " records pending");
      return false;
    }
    return true;
  }

  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    synchronized (drainLock) {
      try {
        while (drain(true) > 0) {
          // each pass takes at most maxPending records; stragglers may have arrived meanwhile
        }
      } catch (Throwable t) {
        diag.println(PREFIX + "reporter: unexpected error in the final drain: " + t);
      }
      reportDrops(true);
      for (int i = 0; i < sinks.size(); i++) {
        try {
          sinks.get(i).close();
        } catch (Throwable t) {
          sinkFailed(i, "close", t);
        }
      }
    }
  }

  /**
   * Registers {@code close(DEFAULT_SHUTDOWN_TIMEOUT)} as a JVM shutdown hook so that the violations
   * log is complete at exit. Idempotent.
   *
   * @return the hook thread (for {@link Runtime#removeShutdownHook}), or null when the JVM is
   *     already shutting down
   */
  public Thread installShutdownHook() {
    synchronized (lifecycleLock) {
      if (shutdownHook == null) {
        Thread hook = new AgentThread(new ShutdownFlush(), "reporter-shutdown");
        try {
          Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
          return null; // shutdown in progress
        }
        shutdownHook = hook;
      }
      return shutdownHook;
    }
  }

  // Named classes rather than lambdas: the first lambda costs milliseconds of JVM start-up, and
  // these run in premain.
  private static final class NanoClock implements java.util.function.LongSupplier {
    @Override
    public long getAsLong() {
      return System.nanoTime();
    }
  }

  private final class Drainer implements Runnable {
    @Override
    public void run() {
      runDrainer();
    }
  }

  private final class ShutdownFlush implements Runnable {
    @Override
    public void run() {
      close(DEFAULT_SHUTDOWN_TIMEOUT);
    }
  }
}
