package dev.egress.collector.record;

/**
 * A line of a batch that is not a valid violation record; the message names the field and the
 * problem.
 */
public final class RecordFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public RecordFormatException(String message) {
    super(message);
  }
}
