package dev.egress.policy;

/**
 * Recognises cloud storage endpoints by host name, without regular expressions. {@link #parse}
 * returns the positions of account/bucket, service and region packed in a long, so that the engine
 * can match them against its tables without allocating; {@link #classify} is the readable form of
 * the same result.
 */
public final class StorageHosts {
  static final int AZURE = 1;
  static final int S3 = 2;
  static final int GCS = 3;

  /** Azure storage services; the index is the bit used in service masks. */
  static final String[] AZURE_SERVICES = {"blob", "dfs", "queue", "table", "file", "web"};

  private static final String[] AZURE_SUFFIXES = {
    ".core.windows.net", ".core.chinacloudapi.cn", ".core.usgovcloudapi.net", ".core.cloudapi.de"
  };
  private static final String AZURE_DNS_ZONE_SUFFIX =
      ".storage.azure.net"; // <acct>.z<nn>.<svc>.storage.azure.net
  private static final String[] AWS_SUFFIXES = {".amazonaws.com", ".amazonaws.com.cn"};
  private static final String GCS_HOST = "storage.googleapis.com";
  private static final String GCS_SUFFIX = ".storage.googleapis.com";
  private static final String GCS_BROWSER_HOST = "storage.cloud.google.com";

  private StorageHosts() {}

  /** The storage endpoint named by a canonical host name, or null when it is not storage. */
  public static StorageHost classify(String canonicalName) {
    if (canonicalName == null) {
      return null;
    }
    long p = parse(canonicalName);
    if (p == 0) {
      return null;
    }
    StorageType type =
        kind(p) == AZURE
            ? StorageType.AZURE_STORAGE
            : kind(p) == S3 ? StorageType.AWS_S3 : StorageType.GOOGLE_CLOUD_STORAGE;
    String bucket = bucketEnd(p) == 0 ? null : canonicalName.substring(0, bucketEnd(p));
    String service =
        serviceEnd(p) == 0 ? null : canonicalName.substring(serviceStart(p), serviceEnd(p));
    String region =
        regionEnd(p) == 0 ? null : canonicalName.substring(regionStart(p), regionEnd(p));
    return new StorageHost(type, canonicalName, bucket, service, region);
  }

  // --- packed result: kind(3) | bucketEnd(8) | serviceStart(8) | serviceEnd(8) | regionStart(8) |
  // regionEnd(8)

  static int kind(long p) {
    return (int) (p >>> 40) & 0x7;
  }

  static int bucketEnd(long p) {
    return (int) (p >>> 32) & 0xFF;
  }

  static int serviceStart(long p) {
    return (int) (p >>> 24) & 0xFF;
  }

  static int serviceEnd(long p) {
    return (int) (p >>> 16) & 0xFF;
  }

  static int regionStart(long p) {
    return (int) (p >>> 8) & 0xFF;
  }

  static int regionEnd(long p) {
    return (int) p & 0xFF;
  }

  private static long pack(int kind, int bucketEnd, int sS, int sE, int rS, int rE) {
    return ((long) kind << 40)
        | ((long) bucketEnd << 32)
        | ((long) sS << 24)
        | ((long) sE << 16)
        | ((long) rS << 8)
        | rE;
  }

  /** 0 when {@code name} (canonical, at most 253 chars) is not a storage host. */
  static long parse(String name) {
    if (name.length() > HostNames.MAX_NAME) {
      return 0;
    }
    for (String sfx : AZURE_SUFFIXES) {
      if (name.endsWith(sfx)) {
        return azure(name, name.length() - sfx.length(), false);
      }
    }
    if (name.endsWith(AZURE_DNS_ZONE_SUFFIX)) {
      return azure(name, name.length() - AZURE_DNS_ZONE_SUFFIX.length(), true);
    }
    for (String sfx : AWS_SUFFIXES) {
      if (name.endsWith(sfx)) {
        return aws(name, name.length() - sfx.length());
      }
    }
    if (name.equals(GCS_HOST) || name.equals(GCS_BROWSER_HOST)) {
      return pack(GCS, 0, 0, 0, 0, 0);
    }
    if (name.endsWith(GCS_SUFFIX)) {
      return pack(GCS, name.length() - GCS_SUFFIX.length(), 0, 0, 0, 0);
    }
    return 0;
  }

  /**
   * {@code <account>[.privatelink].<service>} or, for Azure DNS zones, {@code
   * <account>.z<nn>.<service>}.
   */
  private static long azure(String s, int end, boolean dnsZone) {
    int d1 = s.indexOf('.');
    if (d1 <= 0 || d1 >= end) {
      return 0;
    }
    int from = d1 + 1;
    if (dnsZone) {
      int d2 = s.indexOf('.', from);
      if (d2 < 0 || d2 >= end || s.charAt(from) != 'z') {
        return 0;
      }
      from = d2 + 1;
    } else if (s.startsWith("privatelink.", from)) {
      from += "privatelink.".length();
    }
    if (serviceIndex(s, from, end) < 0) {
      return 0;
    }
    // The read-access secondary endpoint of account x is x-secondary: the same account to the
    // policy.
    int accountEnd = d1;
    if (s.startsWith("-secondary", d1 - "-secondary".length()) && d1 > "-secondary".length()) {
      accountEnd = d1 - "-secondary".length();
    }
    return pack(AZURE, accountEnd, from, end, 0, 0);
  }

  /** The index in {@link #AZURE_SERVICES} of {@code s[from, to)}, or -1. */
  static int serviceIndex(String s, int from, int to) {
    for (int i = 0; i < AZURE_SERVICES.length; i++) {
      String svc = AZURE_SERVICES[i];
      if (svc.length() == to - from && s.startsWith(svc, from)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * S3 endpoint forms before {@code .amazonaws.com}; labels are read from the right because buckets
   * hold dots.
   */
  private static long aws(String s, int end) {
    int a = s.lastIndexOf('.', end - 1) + 1; // start of the last label L
    if (labelIs(s, a, end, "s3")) {
      return pack(S3, a > 0 ? a - 1 : 0, 0, 0, 0, 0);
    }
    if (s.startsWith("s3-", a)
        && !labelIs(s, a, end, "s3-accesspoint")
        && !labelIs(s, a, end, "s3-control")
        && end - a > 3) {
      // s3-<region>: the legacy dash form.
      return pack(S3, a > 0 ? a - 1 : 0, 0, 0, a + 3, end);
    }
    if (a == 0) {
      return 0;
    }
    int b = s.lastIndexOf('.', a - 2) + 1; // start of label M, before L
    int regionStart = a;
    int regionEnd = end;
    if (labelIs(s, b, a - 1, "s3")
        || labelIs(s, b, a - 1, "s3-fips")
        || labelIs(s, b, a - 1, "s3-website")) {
      return pack(S3, b > 0 ? b - 1 : 0, 0, 0, regionStart, regionEnd);
    }
    if (labelIs(s, b, a - 1, "s3-accesspoint")) {
      return b > 0 ? pack(S3, b - 1, 0, 0, regionStart, regionEnd) : 0;
    }
    if (labelIs(s, b, a - 1, "dualstack") && b > 0) {
      int c = s.lastIndexOf('.', b - 2) + 1; // label N, before "dualstack"
      if (labelIs(s, c, b - 1, "s3")) {
        return pack(S3, c > 0 ? c - 1 : 0, 0, 0, regionStart, regionEnd);
      }
      if (labelIs(s, c, b - 1, "s3-accesspoint") && c > 0) {
        return pack(S3, c - 1, 0, 0, regionStart, regionEnd);
      }
    }
    return 0;
  }

  private static boolean labelIs(String s, int from, int to, String label) {
    return to - from == label.length() && s.startsWith(label, from);
  }

  /** The URL scheme a storage location of this Azure service is written with. */
  static String azureScheme(String service) {
    if ("dfs".equals(service)) {
      return "abfss";
    }
    if ("blob".equals(service)) {
      return "wasbs";
    }
    return "https";
  }
}
