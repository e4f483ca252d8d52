package dev.egress.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's own networks ({@code internal.cidrs}). A handful of entries, checked on every
 * connect: a linear scan of int/long masks is faster than any structure at this size, and an IPv4
 * check allocates nothing.
 */
public final class CidrSet {
  public static final CidrSet EMPTY =
      new CidrSet(
          new int[0], new int[0], new long[0], new long[0], new long[0], new long[0], List.of());

  private final int[] v4Nets;
  private final int[] v4Masks;
  private final long[] v6NetHi;
  private final long[] v6NetLo;
  private final long[] v6MaskHi;
  private final long[] v6MaskLo;
  private final List<String> source;

  private CidrSet(
      int[] v4Nets,
      int[] v4Masks,
      long[] v6NetHi,
      long[] v6NetLo,
      long[] v6MaskHi,
      long[] v6MaskLo,
      List<String> source) {
    this.v4Nets = v4Nets;
    this.v4Masks = v4Masks;
    this.v6NetHi = v6NetHi;
    this.v6NetLo = v6NetLo;
    this.v6MaskHi = v6MaskHi;
    this.v6MaskLo = v6MaskLo;
    this.source = source;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code ::1/128} or a bare address (a single host). Host bits below
   * the prefix are ignored, as routers do.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static CidrSet parse(List<String> cidrs) {
    List<int[]> v4 = new ArrayList<>();
    List<long[]> v6 = new ArrayList<>();
    for (String raw : cidrs) {
      String entry = raw == null ? "" : raw.trim();
      int slash = entry.indexOf('/');
      String addr = slash < 0 ? entry : entry.substring(0, slash);
      InetAddress a = strictLiteral(addr);
      if (a == null) {
        throw new IllegalArgumentException(
            "invalid CIDR \"" + HostNames.sanitize(raw) + "\": not an IP address");
      }
      int max = a instanceof Inet4Address ? 32 : 128;
      int prefix = max;
      if (slash >= 0) {
        String p = entry.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new IllegalArgumentException(
              "invalid CIDR \"" + HostNames.sanitize(raw) + "\": bad prefix length");
        }
        prefix = Integer.parseInt(p);
        if (prefix > max) {
          throw new IllegalArgumentException(
              "invalid CIDR \"" + HostNames.sanitize(raw) + "\": prefix length above " + max);
        }
      }
      if (a instanceof Inet4Address) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        v4.add(new int[] {IpLiterals.v4Bits((Inet4Address) a) & mask, mask});
      } else {
        byte[] b = a.getAddress();
        long hi = toLong(b, 0);
        long lo = toLong(b, 8);
        long mHi = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
        long mLo = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        v6.add(new long[] {hi & mHi, lo & mLo, mHi, mLo});
      }
    }
    int[] nets = new int[v4.size()];
    int[] masks = new int[v4.size()];
    for (int i = 0; i < nets.length; i++) {
      nets[i] = v4.get(i)[0];
      masks[i] = v4.get(i)[1];
    }
    long[][] six = new long[4][v6.size()];
    for (int i = 0; i < v6.size(); i++) {
      for (int k = 0; k < 4; k++) {
        six[k][i] = v6.get(i)[k];
      }
    }
    return new CidrSet(nets, masks, six[0], six[1], six[2], six[3], List.copyOf(cidrs));
  }

  /**
   * A dotted-quad IPv4 or an IPv6 literal; the lenient forms ({@code 127.1}) are not accepted in
   * settings.
   */
  private static InetAddress strictLiteral(String s) {
    if (s.indexOf(':') >= 0) {
      return IpLiterals.parseV6(s);
    }
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '.') {
        dots++;
      }
    }
    long v = dots == 3 ? IpLiterals.parseJavaV4(s) : IpLiterals.NONE;
    return v == IpLiterals.NONE ? null : IpLiterals.v4Address((int) v);
  }

  private static long toLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  public boolean contains(InetAddress a) {
    if (a instanceof Inet4Address) {
      return containsV4(IpLiterals.v4Bits((Inet4Address) a));
    }
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      if (v6NetHi.length > 0) {
        long hi = toLong(b, 0);
        long lo = toLong(b, 8);
        for (int i = 0; i < v6NetHi.length; i++) {
          if ((hi & v6MaskHi[i]) == v6NetHi[i] && (lo & v6MaskLo[i]) == v6NetLo[i]) {
            return true;
          }
        }
      }
      // An IPv4-mapped address built by hand stays an Inet6Address but reaches the IPv4 host.
      long mapped = IpLiterals.mappedV4((Inet6Address) a);
      return mapped != IpLiterals.NONE && containsV4((int) mapped);
    }
    return false;
  }

  private boolean containsV4(int ip) {
    for (int i = 0; i < v4Nets.length; i++) {
      if ((ip & v4Masks[i]) == v4Nets[i]) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return v4Nets.length == 0 && v6NetHi.length == 0;
  }

  @Override
  public String toString() {
    return String.join(",", source);
  }
}
