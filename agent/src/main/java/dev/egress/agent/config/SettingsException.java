package dev.egress.agent.config;

/**
 * A setting that cannot be used: an unknown key, a malformed value, an unreadable config file. The
 * message always names the key (as the user spelled it) and the source it came from, because the
 * user may have four places to look (agent argument, system property, environment, config file).
 */
public final class SettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String source;

  SettingsException(String key, String source, String message) {
    super(message);
    this.key = key;
    this.source = source;
  }

  SettingsException(String key, String source, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
    this.source = source;
  }

  /** The key as the user wrote it (for an environment variable, its name). */
  public String key() {
    return key;
  }

  /** Where the offending value came from, e.g. {@code system property egress.mode}. */
  public String source() {
    return source;
  }
}
