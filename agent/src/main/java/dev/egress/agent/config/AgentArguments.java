package dev.egress.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits the {@code -javaagent:jar=ARGS} string: {@code key=value} items separated by commas. List
 * values use {@code ;} between their items here, because the comma is taken. A value may contain
 * {@code =} (a URL's query): only the first one splits.
 */
final class AgentArguments {
  static final String SOURCE = "agent argument";

  private AgentArguments() {}

  /** The items of {@code args} by key, in order; null or blank gives an empty map. */
  static Map<SettingKey, RawValue> parse(String args) {
    Map<SettingKey, RawValue> out = new LinkedHashMap<>();
    if (args == null || args.isBlank()) {
      return out;
    }
    for (String item : args.split(",", -1)) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        continue; // "a=1,,b=2" or a trailing comma: harmless
      }
      int eq = trimmed.indexOf('=');
      if (eq < 0) {
        throw new SettingsException(
            trimmed, SOURCE, "Agent argument item \"" + trimmed + "\" is not key=value");
      }
      String name = trimmed.substring(0, eq).trim();
      String value = trimmed.substring(eq + 1).trim();
      SettingKey key = SettingKey.byName(name);
      if (key == null) {
        throw unknown(name, SOURCE);
      }
      String source = SOURCE + " " + name;
      if (out.containsKey(key)) {
        // Which one wins would be a guess; a copy-paste mistake is far more likely than intent.
        throw new SettingsException(
            name, source, "Setting " + name + " is given twice in the agent argument");
      }
      out.put(key, new RawValue(value, source, ';'));
    }
    return out;
  }

  static SettingsException unknown(String name, String source) {
    return new SettingsException(
        name,
        source,
        "Unknown setting \""
            + name
            + "\" in "
            + source
            + "; known settings: "
            + SettingKey.knownKeys());
  }
}
