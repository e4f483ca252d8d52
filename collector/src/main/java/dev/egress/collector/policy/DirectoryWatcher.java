package dev.egress.collector.policy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a rescan when the policy directory changes: a WatchService for promptness, and a periodic
 * rescan as the fallback for what it misses (network file systems, a directory replaced by a
 * symlink swap as Kubernetes does with ConfigMaps, an overflowed event queue). Events are
 * debounced: an editor's save is several events.
 */
public final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
  private static final long DEBOUNCE_MILLIS = 100;

  private final Path dir;
  private final Runnable rescan;
  private final ScheduledExecutorService timer;
  private WatchService watch;
  private Thread watcher;

  public DirectoryWatcher(Path dir, Runnable rescan, long periodMillis) {
    this.dir = dir;
    this.rescan = rescan;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "collector-policy-rescan");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::safeRescan, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    try {
      watch = FileSystems.getDefault().newWatchService();
      dir.register(
          watch,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      watcher = new Thread(this::watchLoop, "collector-policy-watch");
      watcher.setDaemon(true);
      watcher.start();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn(
          "policy directory {} cannot be watched ({}); changes are seen by the rescan every {} ms",
          dir,
          e,
          periodMillis);
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        Thread.sleep(DEBOUNCE_MILLIS);
        key.pollEvents();
        WatchKey more;
        while ((more = watch.poll()) != null) { // everything that happened during the debounce
          more.pollEvents();
          more.reset();
        }
        safeRescan();
        if (!key.reset()) {
          LOG.warn(
              "policy directory {} is no longer watchable; relying on the periodic rescan", dir);
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  private void safeRescan() {
    try {
      rescan.run();
    } catch (RuntimeException e) {
      LOG.error(
          "policy rescan failed; will retry", e); // a timer task that throws is never run again
    }
  }

  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    if (watch != null) {
      watch.close();
    }
  }
}
