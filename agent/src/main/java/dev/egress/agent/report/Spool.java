package dev.egress.agent.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records waiting for the collector, on disk: one segment file per batch, written whole and then
 * renamed, so a segment is either complete or absent. Segments are named {@code
 * seg-<millis>-<pid>-<seq>.ndjson} so that their order is their age and their owner is known; a
 * segment whose owner JVM is gone is taken over by the next JVM that uses the directory (replay
 * after a restart). The spool is bounded: past {@code maxBytes} the oldest segments are evicted,
 * and the records they held are counted.
 */
final class Spool {
  private static final String PREFIX = "seg-";
  private static final String SUFFIX = ".ndjson";
  private static final long PID = ProcessHandle.current().pid();

  private final Path dir;
  private final long maxBytes;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong evictedRecords = new AtomicLong();

  Spool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  Path dir() {
    return dir;
  }

  /** Writes one segment holding {@code lines} (one JSON record each). */
  void append(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    Files.createDirectories(dir);
    String name =
        PREFIX
            + String.format("%013d", System.currentTimeMillis())
            + "-"
            + PID
            + "-"
            + sequence.incrementAndGet()
            + SUFFIX;
    Path tmp = dir.resolve(name + ".tmp");
    StringBuilder body = new StringBuilder();
    for (String line : lines) {
      body.append(line).append('\n');
    }
    try (OutputStream out =
        Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(body.toString().getBytes(StandardCharsets.UTF_8));
    }
    try {
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(name));
    }
    enforceLimit();
  }

  /**
   * Segments to send, oldest first: this JVM's own, and those of JVMs that are no longer running.
   * Another live JVM's segments are left to it.
   */
  List<Path> pending() throws IOException {
    List<Path> segments = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return segments;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path p : files) {
        long owner = ownerOf(p);
        if (owner == PID
            || owner < 0
            || !ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
          segments.add(p);
        }
      }
    }
    segments.sort(null);
    return segments;
  }

  /** The records of one segment. */
  static List<String> read(Path segment) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(segment, StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        lines.add(l);
      }
    }
    return lines;
  }

  /** Forgets a delivered segment; another JVM may have delivered and removed it already. */
  static void remove(Path segment) throws IOException {
    try {
      Files.delete(segment);
    } catch (NoSuchFileException alreadyGone) {
      // delivered by another JVM that took it over: the collector drops the duplicate anyway
    }
  }

  /** Moves a segment the collector refused for good out of the way, kept for inspection. */
  static void reject(Path segment) throws IOException {
    Path target = segment.resolveSibling("rejected-" + segment.getFileName());
    try {
      Files.move(segment, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException alreadyGone) {
      // nothing to keep
    }
  }

  long evictedRecords() {
    return evictedRecords.get();
  }

  private void enforceLimit() throws IOException {
    List<Path> all = new ArrayList<>();
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path p : files) {
        all.add(p);
        total += sizeOf(p);
      }
    }
    all.sort(null);
    for (int i = 0; total > maxBytes && i < all.size() - 1; i++) {
      Path oldest = all.get(i);
      long size = sizeOf(oldest);
      int records;
      try {
        records = read(oldest).size();
        Files.delete(oldest);
      } catch (NoSuchFileException gone) {
        continue;
      }
      total -= size;
      evictedRecords.addAndGet(records);
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The pid in {@code seg-<millis>-<pid>-<seq>.ndjson}, or -1. */
  static long ownerOf(Path segment) {
    String name = segment.getFileName().toString();
    String[] parts = name.substring(PREFIX.length(), name.length() - SUFFIX.length()).split("-");
    try {
      return parts.length == 3 ? Long.parseLong(parts[1]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
