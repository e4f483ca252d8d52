package dev.egress.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;

/**
 * Cloud metadata and host-agent endpoints: they hand out instance credentials, so they are denied
 * to user code in every mode. IPv4 ones are also recognised inside IPv6 forms that reach them
 * (compatible, mapped, NAT64, 6to4), because {@code isLinkLocalAddress} does not flag those.
 */
public final class MetadataEndpoints {
  private static final int[] V4 = {
    0xA9FEA9FE, // 169.254.169.254 AWS / Azure / GCP / OCI IMDS
    0xA9FEA9FD, // 169.254.169.253 AWS DNS resolver in the VPC
    0xA9FEA97B, // 169.254.169.123 AWS time sync
    0xA9FEAA02, // 169.254.170.2 ECS task metadata and credentials
    0xA9FEAA17, // 169.254.170.23 EKS pod identity agent
    0xA83F8110, // 168.63.129.16 Azure wire server
    0x646464C8, // 100.100.100.200 Alibaba Cloud metadata
  };
  private static final Set<String> NAMES =
      Set.of(
          "metadata.google.internal",
          "metadata.goog",
          "metadata",
          "instance-data",
          "instance-data.ec2.internal");

  private MetadataEndpoints() {}

  public static boolean isMetadataAddress(InetAddress a) {
    if (a instanceof Inet4Address) {
      return isMetadataV4(IpLiterals.v4Bits((Inet4Address) a));
    }
    if (!(a instanceof Inet6Address)) {
      return false;
    }
    byte[] b = a.getAddress();
    // fd00:ec2::254, ::253, ::23 (AWS IMDS, DNS and time sync over IPv6).
    if (b[0] == (byte) 0xfd
        && b[1] == 0
        && b[2] == 0x0e
        && b[3] == (byte) 0xc2
        && zero(b, 4, 14)
        && b[14] == 0x02
        && (b[15] == 0x54 || b[15] == 0x53)) {
      return true;
    }
    if (b[0] == (byte) 0xfd
        && b[1] == 0
        && b[2] == 0x0e
        && b[3] == (byte) 0xc2
        && zero(b, 4, 15)
        && b[15] == 0x23) {
      return true;
    }
    // ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (IPv4-mapped).
    if (zero(b, 0, 10)
        && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
      return isMetadataV4(IpLiterals.bits(b, 12));
    }
    // 64:ff9b::a.b.c.d (NAT64 well-known prefix, RFC 6052).
    if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zero(b, 4, 12)) {
      return isMetadataV4(IpLiterals.bits(b, 12));
    }
    // 2002:AABB:CCDD::/48 (6to4): the IPv4 address is bytes 2 to 5.
    if (b[0] == 0x20 && b[1] == 0x02) {
      return isMetadataV4(IpLiterals.bits(b, 2));
    }
    return false;
  }

  /**
   * A canonical name that is a metadata endpoint: a known metadata name, or an address literal of
   * one.
   */
  public static boolean isMetadataName(String canonicalName) {
    if (canonicalName == null) {
      return false;
    }
    if (NAMES.contains(canonicalName)) {
      return true;
    }
    if (canonicalName.indexOf(':') >= 0) { // only an IPv6 literal holds a colon
      InetAddress a = IpLiterals.parseV6(canonicalName);
      return a != null && isMetadataAddress(a);
    }
    char c = canonicalName.isEmpty() ? 'x' : canonicalName.charAt(0);
    if (!(c >= '0' && c <= '9')) {
      return false; // no literal starts otherwise; skip the parsers on the common path
    }
    long v4 = IpLiterals.parseJavaV4(canonicalName);
    if (v4 != IpLiterals.NONE && isMetadataV4((int) v4)) {
      return true;
    }
    // glibc reads 0251.0376.0251.0376 and 0xa9fea9fe as 169.254.169.254: deny those spellings too.
    long aton = IpLiterals.parseInetAton(canonicalName);
    if (aton != IpLiterals.NONE && isMetadataV4((int) aton)) {
      return true;
    }
    return false;
  }

  private static boolean isMetadataV4(int ip) {
    for (int m : V4) {
      if (m == ip) {
        return true;
      }
    }
    return false;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
