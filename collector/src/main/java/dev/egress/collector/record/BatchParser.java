package dev.egress.collector.record;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an NDJSON body into records. All or nothing: the first bad line fails the whole batch,
 * with its 1-based line number, so that a sender never has to work out which half of a batch was
 * stored. Blank lines (and a final newline or none) are allowed; {@code \r\n} line ends are
 * allowed.
 */
public final class BatchParser {
  private BatchParser() {}

  /**
   * A batch that cannot be stored. {@code line} is 0 when the problem is not one line's (too many
   * records).
   */
  public static final class BatchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final boolean tooLarge;

    BatchException(int line, String message, boolean tooLarge) {
      super(message);
      this.line = line;
      this.tooLarge = tooLarge;
    }

    public int line() {
      return line;
    }

    /** Too many records rather than a malformed one: HTTP 413, not 400. */
    public boolean tooLarge() {
      return tooLarge;
    }
  }

  public static List<ViolationRow> parse(byte[] body, int length, int maxRecords)
      throws BatchException {
    List<ViolationRow> rows = new ArrayList<>(Math.min(maxRecords, 1024));
    int lineNo = 0;
    int start = 0;
    while (start < length) {
      int end = start;
      while (end < length && body[end] != '\n') {
        end++;
      }
      lineNo++;
      int stop = end > start && body[end - 1] == '\r' ? end - 1 : end;
      if (!blank(body, start, stop)) {
        if (rows.size() == maxRecords) {
          throw new BatchException(
              0, "more than " + maxRecords + " records in one batch; split it", true);
        }
        try {
          rows.add(RecordReader.read(body, start, stop - start));
        } catch (RecordFormatException e) {
          throw new BatchException(lineNo, "line " + lineNo + ": " + e.getMessage(), false);
        }
      }
      start = end + 1;
    }
    return rows;
  }

  private static boolean blank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }
}
