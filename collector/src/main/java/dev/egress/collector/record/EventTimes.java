package dev.egress.collector.record;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The one timestamp format of records and of the query API: ISO-8601 UTC with exactly milliseconds. */
public final class EventTimes {
  /** Always three fraction digits: {@code ISO_INSTANT} drops {@code .000}, which breaks text ordering. */
  public static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EventTimes() {}

  /**
   * Parses an ISO-8601 instant ({@code Z} or an offset such as {@code +02:00}); sub-millisecond digits are
   * truncated. Returns null when {@code text} is not one.
   */
  public static Instant parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from).truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static String format(long epochMillis) {
    return FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }
}
