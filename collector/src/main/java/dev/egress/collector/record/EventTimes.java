package dev.egress.collector.record;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The one timestamp format of records and of the query API: ISO-8601 UTC with exactly milliseconds.
 */
public final class EventTimes {
  /**
   * Always three fraction digits: {@code ISO_INSTANT} drops {@code .000}, which breaks text
   * ordering.
   */
  public static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EventTimes() {}

  /**
   * Parses an ISO-8601 instant ({@code Z} or an offset such as {@code +02:00}); sub-millisecond
   * digits are truncated. Returns null when {@code text} is not one.
   */
  public static Instant parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME
          .parse(text, Instant::from)
          .truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Epoch milliseconds of {@code text}, or {@link Long#MIN_VALUE} when it is not an ISO-8601
   * instant. The agent's own form ({@link #FORMAT}, 24 characters) is read by hand:
   * DateTimeFormatter costs microseconds, and ingest reads one timestamp per record.
   */
  public static long parseMillis(String text) {
    if (text != null && isCanonical(text)) {
      try {
        long day =
            java.time.LocalDate.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2))
                .toEpochDay();
        int h = digits(text, 11, 2);
        int m = digits(text, 14, 2);
        int sec = digits(text, 17, 2);
        if (h < 24 && m < 60 && sec < 60) {
          return ((day * 24 + h) * 60 + m) * 60_000L + sec * 1000L + digits(text, 20, 3);
        }
      } catch (java.time.DateTimeException e) {
        return Long.MIN_VALUE; // 2025-02-30
      }
    }
    Instant t = parse(text);
    return t == null ? Long.MIN_VALUE : t.toEpochMilli();
  }

  /** Whether {@code text} has the shape of {@link #FORMAT}: {@code dddd-dd-ddTdd:dd:dd.dddZ}. */
  public static boolean isCanonical(String text) {
    if (text.length() != 24) {
      return false;
    }
    for (int i = 0; i < 24; i++) {
      char c = text.charAt(i);
      char want = "dddd-dd-ddTdd:dd:dd.dddZ".charAt(i);
      if (want == 'd' ? c < '0' || c > '9' : c != want) {
        return false;
      }
    }
    return true;
  }

  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }

  public static String format(long epochMillis) {
    return FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }
}
