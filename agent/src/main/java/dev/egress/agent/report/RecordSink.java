package dev.egress.agent.report;

import java.io.IOException;
import java.util.List;

/**
 * A destination of violation records (the JSON Lines file, the collector). Called only from the
 * reporter's own thread, one call at a time, so an implementation needs no locking of its own. A
 * failure is counted and reported by the reporter and never reaches the application or the other
 * sinks; a sink that must not lose records while its destination is down buffers them itself.
 */
public interface RecordSink {
  /** Writes one batch; the list is immutable and may be kept. */
  void write(List<ViolationRecord> batch) throws IOException;

  /** Pushes out anything buffered; called after every drain pass that wrote something. */
  void flush();

  /** Releases resources; called once, after the final drain. */
  void close();
}
