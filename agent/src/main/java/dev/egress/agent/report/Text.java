package dev.egress.agent.report;

/**
 * Caps the length of every string a record holds. Destinations, paths and names can be chosen by
 * hostile code (a 60 KB "host name" is one lookup away); with up to 10,000 records pending, a cap
 * per string is what turns the bound on the record count into a bound on memory. 1024 chars keep
 * every legal DNS name (253) and any realistic class name or storage path whole.
 */
final class Text {
  static final int MAX_CHARS = 1024;
  static final String TRUNCATED = "...(truncated)";

  private Text() {}

  static String cap(String s) {
    if (s == null || s.length() <= MAX_CHARS) {
      return s;
    }
    int end = MAX_CHARS - TRUNCATED.length();
    // Do not split a surrogate pair: half of one would not survive UTF-8 encoding.
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + TRUNCATED;
  }
}
