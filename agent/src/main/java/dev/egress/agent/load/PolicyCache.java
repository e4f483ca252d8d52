package dev.egress.agent.load;

import dev.egress.agent.AgentLog;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * The last valid policy read from a URL, kept on disk (written to a temporary file, then renamed,
 * so that a reader never sees half a document), for a JVM that starts while the endpoint is down.
 */
final class PolicyCache {
  /** A cached document and when it was saved. */
  record Cached(byte[] body, Instant savedAt) {}

  private final Path file;
  private volatile boolean reportedFailure;

  PolicyCache(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  void save(byte[] body) {
    if (file == null) {
      return;
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp =
          file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      Files.write(tmp, body);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      if (!reportedFailure) {
        reportedFailure = true;
        AgentLog.warn("cannot cache the policy in " + file + ": " + e);
      }
    }
  }

  Cached load() {
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    try {
      return new Cached(Files.readAllBytes(file), Files.getLastModifiedTime(file).toInstant());
    } catch (IOException e) {
      return null;
    }
  }
}
