package dev.egress.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, parsed without ever asking the resolver. Names such as {@code 2852039166} or
 * {@code 0xa9.0xfe.0xa9.0xfe} are addresses to Java or to the C library: a policy that treated them
 * as names could be walked around (REFERENCE.md, hostile inputs).
 */
final class IpLiterals {
  static final long NONE = -1L;

  private IpLiterals() {}

  /**
   * An IPv4 literal as {@code InetAddress.getByName} reads it (1 to 4 decimal parts), or {@link
   * #NONE}.
   */
  static long parseJavaV4(String s) {
    return parseV4(s, false);
  }

  /**
   * An IPv4 literal as glibc {@code inet_aton} reads it (decimal, 0-octal, 0x-hex parts), or {@link
   * #NONE}.
   */
  static long parseInetAton(String s) {
    return parseV4(s, true);
  }

  /** Parses without allocating: it runs for every looked-up name that might be a literal. */
  private static long parseV4(String s, boolean cStyle) {
    int n = s.length();
    if (n == 0 || n > 64) {
      return NONE;
    }
    long acc = 0; // the earlier parts, one byte each
    int count = 0;
    int i = 0;
    while (true) {
      if (count == 4 || i >= n) {
        return NONE;
      }
      int radix = 10;
      if (cStyle && s.charAt(i) == '0' && i + 1 < n && s.charAt(i + 1) != '.') {
        if (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') {
          radix = 16;
          i += 2;
          if (i >= n || s.charAt(i) == '.') {
            return NONE;
          }
        } else {
          radix = 8;
          i += 1;
        }
      }
      long v = 0;
      int digits = 0;
      while (i < n && s.charAt(i) != '.') {
        char c = s.charAt(i);
        if (c > 0x7f) {
          return NONE; // Java accepts only ASCII digits in literals; other digits make a name.
        }
        int d = Character.digit(c, radix);
        if (d < 0) {
          return NONE;
        }
        v = v * radix + d;
        if (v > 0xFFFFFFFFL) {
          return NONE;
        }
        digits++;
        i++;
      }
      if (digits == 0) {
        return NONE;
      }
      count++;
      if (i == n) {
        // The last part fills the bytes the earlier parts did not: a.b.c.d, a.b.16bit, a.24bit,
        // 32bit.
        int lastBytes = 5 - count;
        if (v >= (1L << (8 * lastBytes))) {
          return NONE;
        }
        return (acc << (8 * lastBytes)) | v;
      }
      if (v > 0xFF) {
        return NONE;
      }
      acc = (acc << 8) | v;
      i++; // the dot
      if (i == n) {
        return NONE; // trailing dot: a name to Java
      }
    }
  }

  /**
   * An address literal in any form a resolver would take without a lookup (IPv4 per Java or
   * inet_aton, IPv6 with or without brackets), or null. Where Java and C disagree, Java's reading
   * wins: it is what the JVM connects to.
   */
  static InetAddress parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    long v4 = parseJavaV4(s);
    if (v4 == NONE) {
      v4 = parseInetAton(s);
    }
    if (v4 != NONE) {
      return v4Address((int) v4);
    }
    return parseV6(s);
  }

  /** An IPv6 literal (brackets and a zone allowed) or null; never triggers a lookup. */
  static InetAddress parseV6(String s) {
    String t = s;
    if (t.length() > 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']') {
      t = t.substring(1, t.length() - 1);
    }
    if (t.indexOf(':') < 0 || t.length() > 64) {
      return null;
    }
    int zone = t.indexOf('%');
    String body = zone >= 0 ? t.substring(0, zone) : t;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) {
        return null;
      }
    }
    try {
      // Only hex digits, ':' and '.' with at least one ':': InetAddress parses it as an IPv6
      // literal or throws,
      // it never resolves it. The zone is dropped: it does not change which host is reached.
      return InetAddress.getByName(body);
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  static InetAddress v4Address(int v4) {
    byte[] b = {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The IPv4 address as an int, without allocating. {@code Inet4Address.hashCode()} has returned
   * exactly the address since JDK 1.0 (a unit test guards this); {@code getAddress()} would clone
   * an array on every connect.
   */
  static int v4Bits(Inet4Address a) {
    return a.hashCode();
  }

  /** The IPv4 address embedded in an IPv4-mapped IPv6 address as an int, or {@link #NONE}. */
  static long mappedV4(Inet6Address a) {
    byte[] b = a.getAddress();
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return NONE;
      }
    }
    if (b[10] != (byte) 0xFF || b[11] != (byte) 0xFF) {
      return NONE;
    }
    return bits(b, 12) & 0xFFFFFFFFL;
  }

  static int bits(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }
}
