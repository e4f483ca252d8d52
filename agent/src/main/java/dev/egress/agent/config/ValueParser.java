package dev.egress.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of one setting into its typed value, or a {@link SettingsException} that quotes
 * the key, the value and its source. No method here touches the network or the file system:
 * settings are read in premain, before the hooks, and a lookup there would be an unjudged DNS
 * query.
 */
final class ValueParser {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");
  private static final Pattern SCHEME =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*", Pattern.DOTALL);
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private ValueParser() {}

  static Long workspaceId(SettingKey key, RawValue raw) {
    if (raw.text().isEmpty()) {
      return null;
    }
    try {
      long id = Long.parseLong(raw.text());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(key, raw, "expected a positive whole number");
  }

  static Product product(SettingKey key, RawValue raw) {
    String text = raw.text().isEmpty() ? key.defaultValue : raw.text();
    try {
      return Product.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(key, raw, "expected one of GENERAL_COMPUTE, DBSQL, ML_SERVING, ML_BUILD, APPS");
    }
  }

  static Mode mode(SettingKey key, RawValue raw) {
    if (raw.text().isEmpty()) {
      return null;
    }
    Mode mode = Mode.parse(raw.text());
    if (mode == null) {
      throw invalid(key, raw, "expected enforce or dry-run");
    }
    return mode;
  }

  /** A size in bytes: a whole number with an optional k, m or g suffix (powers of 1024). */
  static long size(SettingKey key, RawValue raw) {
    String text =
        (raw.text().isEmpty() ? key.defaultValue : raw.text()).trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (text.endsWith("k") || text.endsWith("m") || text.endsWith("g")) {
      char u = text.charAt(text.length() - 1);
      unit = u == 'k' ? 1024L : u == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
      text = text.substring(0, text.length() - 1).trim();
    }
    try {
      long n = Long.parseLong(text);
      if (n <= 0 || n > Long.MAX_VALUE / unit) {
        throw invalid(key, raw, "must be a positive size such as 64m");
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw invalid(key, raw, "not a size such as 512k, 64m or 1g");
    }
  }

  static String optionalText(RawValue raw) {
    return raw.text().isEmpty() ? null : raw.text();
  }

  static Path path(SettingKey key, RawValue raw) {
    String text = raw.text().isEmpty() ? key.defaultValue : raw.text();
    if (text == null) {
      return null;
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw invalid(key, raw, "not a valid path: " + e.getReason());
    }
  }

  /**
   * The policy is a path or an http(s) URL. Anything else that looks like a URL ({@code ftp://},
   * {@code s3://}) is refused here rather than read as a path that then never exists.
   */
  static String policy(SettingKey key, RawValue raw) {
    String text = optionalText(raw);
    if (text == null) {
      return null;
    }
    if (SCHEME.matcher(text).matches()) {
      httpUrl(key, raw);
    } else {
      path(key, raw);
    }
    return text;
  }

  /** An absolute http or https URL with a host. */
  static URI httpUrl(SettingKey key, RawValue raw) {
    String text = optionalText(raw);
    if (text == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid(key, raw, "not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid(key, raw, "expected an http:// or https:// URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid(key, raw, "the URL has no host");
    }
    return uri;
  }

  /**
   * {@code 30s}, {@code 5m}, {@code 500ms}, {@code 1h}, or plain seconds; must be more than zero.
   */
  static Duration duration(SettingKey key, RawValue raw) {
    String text = raw.text().isEmpty() ? key.defaultValue : raw.text();
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(key, raw, "expected a duration such as 30s, 5m, 500ms or plain seconds");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d;
    switch (unit) {
      case "ms":
        d = Duration.ofMillis(amount);
        break;
      case "m":
        d = Duration.ofMinutes(amount);
        break;
      case "h":
        d = Duration.ofHours(amount);
        break;
      default:
        d = Duration.ofSeconds(amount);
    }
    if (d.isZero()) {
      throw invalid(key, raw, "must be more than zero");
    }
    return d;
  }

  static boolean bool(SettingKey key, RawValue raw) {
    String text = raw.text().isEmpty() ? key.defaultValue : raw.text();
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, raw, "expected true or false");
  }

  /** Items split on the source's separator, trimmed, empty ones dropped. */
  static List<String> list(RawValue raw) {
    List<String> out = new ArrayList<>();
    String sep = String.valueOf(raw.listSeparator());
    for (String item : raw.text().split(Pattern.quote(sep), -1)) {
      String t = item.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Checks the shape of each CIDR ({@code address/prefix}, or a bare address for one host). The
   * matcher that uses them parses them again; this only makes a typo fail at start-up instead of
   * silently leaving a network unprotected or unreachable. Never calls InetAddress: see class
   * comment.
   */
  static List<String> cidrs(SettingKey key, RawValue raw) {
    List<String> items = list(raw);
    for (String cidr : items) {
      if (!validCidr(cidr)) {
        throw invalid(key, raw, "\"" + cidr + "\" is not a CIDR such as 10.0.0.0/8 or fd00::/8");
      }
    }
    return items;
  }

  static boolean validCidr(String cidr) {
    int slash = cidr.indexOf('/');
    String addr = slash < 0 ? cidr : cidr.substring(0, slash);
    int max;
    if (addr.indexOf(':') >= 0) {
      if (!IPV6_CHARS.matcher(addr).matches() || addr.indexOf("::") != addr.lastIndexOf("::")) {
        return false;
      }
      max = 128;
    } else {
      Matcher m = IPV4.matcher(addr);
      if (!m.matches()) {
        return false;
      }
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      max = 32;
    }
    if (slash < 0) {
      return true;
    }
    String prefix = cidr.substring(slash + 1);
    if (!prefix.matches("\\d{1,3}")) {
      return false;
    }
    return Integer.parseInt(prefix) <= max;
  }

  /**
   * Host names compare canonically: lower case, without the trailing dot of a fully-qualified name.
   */
  static List<String> hosts(RawValue raw) {
    List<String> out = new ArrayList<>();
    for (String h : list(raw)) {
      String c = h.toLowerCase(Locale.ROOT);
      if (c.endsWith(".") && c.length() > 1) {
        c = c.substring(0, c.length() - 1);
      }
      out.add(c);
    }
    return List.copyOf(out);
  }

  static SettingsException invalid(SettingKey key, RawValue raw, String why) {
    return new SettingsException(
        key.key,
        raw.source(),
        "Invalid " + key.key + " \"" + raw.text() + "\" (from " + raw.source() + "): " + why);
  }
}
