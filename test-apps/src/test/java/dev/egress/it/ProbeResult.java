package dev.egress.it;

/** One {@code RESULT} line of {@code Probe}. */
public final class ProbeResult {
  public final String label;

  /** OK, DENIED or ERROR. */
  public final String status;

  /** For OK: the detail. */
  public final String detail;

  public final String topClass;
  public final String egressClass;

  /** JDK exception types of the deepest egress throwable (or the top-level one for ERROR). */
  public final String types;

  public final String message;
  public final String line;

  private ProbeResult(
      String label,
      String status,
      String detail,
      String topClass,
      String egressClass,
      String types,
      String message,
      String line) {
    this.label = label;
    this.status = status;
    this.detail = detail;
    this.topClass = topClass;
    this.egressClass = egressClass;
    this.types = types;
    this.message = message;
    this.line = line;
  }

  static ProbeResult parse(String label, String rest) {
    int sp = rest.indexOf(' ');
    String status = sp < 0 ? rest : rest.substring(0, sp);
    String tail = sp < 0 ? "" : rest.substring(sp + 1);
    if (status.equals("OK")) {
      return new ProbeResult(
          label, status, tail, null, null, null, null, "RESULT " + label + " " + rest);
    }
    String top = field(tail, "top=");
    String egress = field(tail, "egress=");
    String types = field(tail, "types=");
    int m = tail.indexOf(" msg=");
    String msg = m < 0 ? "" : tail.substring(m + 5);
    return new ProbeResult(
        label, status, null, top, egress, types, msg, "RESULT " + label + " " + rest);
  }

  private static String field(String tail, String key) {
    int i = tail.indexOf(key);
    if (i < 0) {
      return null;
    }
    int end = tail.indexOf(' ', i);
    return tail.substring(i + key.length(), end < 0 ? tail.length() : end);
  }

  public boolean ok() {
    return status.equals("OK");
  }

  public boolean denied() {
    return status.equals("DENIED");
  }

  public boolean hasType(String simpleName) {
    return types != null && java.util.Arrays.asList(types.split(",")).contains(simpleName);
  }

  @Override
  public String toString() {
    return line;
  }
}
