package dev.egress.agent.config;

/**
 * A setting's text as one source gave it, before validation.
 *
 * @param text the trimmed value; empty means "set to nothing here", which overrides lower sources
 * @param source where it came from, for error messages and the start-up banner
 * @param listSeparator how this source separates list items: {@code ;} inside the agent argument
 *     (whose items are already comma-separated), {@code ,} everywhere else
 */
record RawValue(String text, String source, char listSeparator) {
  static final String DEFAULT_SOURCE = "default";

  static RawValue ofDefault(SettingKey key) {
    return new RawValue(key.defaultValue, DEFAULT_SOURCE, ',');
  }
}
