package dev.egress.policy;

import java.net.IDN;
import java.util.Locale;

/**
 * Canonical host names: lower case, one trailing dot removed, IDNA A-labels. Policy entries and
 * looked-up names are both canonicalised so that {@code Evil.COM.}, {@code evil.com} and fullwidth
 * {@code ｅｖｉｌ.com} are one name.
 */
public final class HostNames {
  public static final int MAX_NAME = 253;
  public static final int MAX_LABEL = 63;

  private HostNames() {}

  /**
   * The canonical form of {@code name}, or null when it is not a valid host name. A name that is
   * already canonical is returned as is: the agent calls this on every connect, so the common case
   * must not allocate.
   */
  public static String canonical(String name) {
    if (name == null) {
      return null;
    }
    if (isCanonical(name)) {
      return name;
    }
    String s = name;
    int n = s.length();
    if (n == 0 || n > 4 * MAX_NAME) {
      return null;
    }
    // One trailing dot is the DNS root (an absolute name), two are an empty label.
    char last = s.charAt(n - 1);
    if (last == '.' || last == '\u3002' || last == '\uFF0E' || last == '\uFF61') {
      s = s.substring(0, n - 1);
    }
    String ascii;
    try {
      // IDN maps fullwidth letters and ideographic dots (nameprep / NFKC) and produces xn--
      // A-labels.
      ascii = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return null;
    }
    ascii = ascii.toLowerCase(Locale.ROOT);
    return isCanonical(ascii) ? ascii : null;
  }

  /**
   * Whether {@code s} is a syntactically valid name in canonical form: labels of [a-z0-9_-], 1 to
   * 63 chars, at most 253 chars, no trailing dot. Underscore is accepted because real names use it
   * and Java resolves them.
   */
  static boolean isCanonical(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_NAME) {
      return false;
    }
    int labelLen = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (labelLen == 0) {
          return false;
        }
        labelLen = 0;
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        if (++labelLen > MAX_LABEL) {
          return false;
        }
      } else {
        return false;
      }
    }
    return labelLen > 0;
  }

  /** Canonicalises a policy entry that may be a {@code *.}-wildcard; null when invalid. */
  static String canonicalPattern(String pattern) {
    if (pattern != null && pattern.startsWith("*.")) {
      String rest = canonical(pattern.substring(2));
      return rest == null ? null : "*." + rest;
    }
    return canonical(pattern);
  }

  /**
   * A raw (possibly hostile) name made safe to print and store: control and format characters
   * become '?', and the result is at most 253 characters.
   */
  public static String sanitize(String raw) {
    if (raw == null) {
      return "";
    }
    int n = Math.min(raw.length(), MAX_NAME);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      boolean bad =
          Character.isISOControl(c)
              || Character.getType(c) == Character.FORMAT
              || Character.isSurrogate(c)
              || c == '"'
              || c == '\\';
      b.append(bad ? '?' : c);
    }
    return b.toString();
  }
}
