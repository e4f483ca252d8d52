package dev.egress.collector.policy;

import java.time.Instant;

/**
 * What the collector knows about one file of the policy directory: the version it serves ({@code
 * serving}, null if no version of the file was ever valid) and, when the file on disk is refused,
 * why. {@code contentHash} is the hash of the bytes last read, valid or not, so that an unchanged
 * file is not parsed again on every rescan.
 */
public record PolicyFileState(
    String fileName,
    PolicyVersion serving,
    PolicyError error,
    String contentHash,
    Instant checkedAt) {

  /** Why the file on disk is refused; line and column are 0 when the problem has no position. */
  public record PolicyError(int line, int column, String path, String message) {
    @Override
    public String toString() {
      return line > 0
          ? "line " + line + ", column " + column + ", at " + path + ": " + message
          : message;
    }
  }
}
