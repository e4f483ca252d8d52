package dev.egress.policy;

/**
 * Unity Catalog external-location URLs ({@code
 * abfss://container@account.dfs.core.windows.net/path}, {@code s3://bucket/path}, {@code
 * gs://bucket/path}, ...) turned into the storage they point at.
 */
final class StorageUrls {
  private StorageUrls() {}

  /**
   * The storage destination of {@code url}.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  static StorageDestination parse(String url) {
    int sep = url.indexOf("://");
    if (sep <= 0) {
      throw new IllegalArgumentException("not a storage URL (expected scheme://...)");
    }
    String scheme = url.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
    int authEnd = url.indexOf('/', sep + 3);
    String authority = url.substring(sep + 3, authEnd < 0 ? url.length() : authEnd);
    if (authority.indexOf('?') >= 0 || authority.indexOf('#') >= 0) {
      throw new IllegalArgumentException("storage URL with a query or fragment in its authority");
    }
    switch (scheme) {
      case "abfss":
      case "abfs":
      case "wasbs":
      case "wasb":
        return azure(scheme, authority);
      case "s3":
      case "s3a":
      case "s3n":
        return StorageDestination.s3(bucket(authority, 3, 63, true), null);
      case "gs":
        return StorageDestination.gcs(bucket(authority, 3, 222, true));
      default:
        throw new IllegalArgumentException(
            "unsupported scheme \""
                + HostNames.sanitize(scheme)
                + "\" (expected abfss, abfs, wasbs, wasb, s3, s3a, s3n or gs)");
    }
  }

  private static StorageDestination azure(String scheme, String authority) {
    int at = authority.indexOf('@');
    if (at == 0) {
      throw new IllegalArgumentException("empty container name");
    }
    String host = HostNames.canonical(at < 0 ? authority : authority.substring(at + 1));
    StorageHost sh = host == null ? null : StorageHosts.classify(host);
    if (sh == null || sh.provider() != StorageType.AZURE_STORAGE || sh.account() == null) {
      throw new IllegalArgumentException(
          "host of a "
              + scheme
              + " URL must be an Azure storage host such as <account>.dfs.core.windows.net");
    }
    // abfs(s) talks to the dfs endpoint, wasb(s) to the blob endpoint; anything else is a typo
    // worth reporting.
    String expected = scheme.startsWith("abfs") ? "dfs" : "blob";
    if (!expected.equals(sh.service())) {
      throw new IllegalArgumentException(
          scheme + " URL must name the " + expected + " endpoint, not \"" + sh.service() + "\"");
    }
    return StorageDestination.azure(sh.account(), sh.service());
  }

  /**
   * Bucket names: lower-case letters, digits, dots and hyphens (GCS also underscores), within
   * length limits.
   */
  private static String bucket(String b, int min, int max, boolean allowUnderscore) {
    if (b.length() < min || b.length() > max) {
      throw new IllegalArgumentException(
          "bucket name must be " + min + " to " + max + " characters");
    }
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || (allowUnderscore && c == '_');
      if (!ok) {
        throw new IllegalArgumentException(
            "invalid character '" + HostNames.sanitize(String.valueOf(c)) + "' in bucket name");
      }
    }
    return b;
  }
}
