package dev.egress.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the settings from their four sources, highest first: the agent argument, system properties
 * {@code egress.KEY}, environment variables {@code EGRESS_KEY}, the properties file named by {@code
 * config}; then the defaults.
 *
 * <p>Strict like JaCoCo's option parser: an unknown key in any source is an error, because a
 * misspelt {@code EGRESS_POLICY} silently ignored means a workload that believes it is protected
 * and is not. No {@code EGRESS_*} variable and no {@code egress.*} property is ignored.
 *
 * <p>An empty value ({@code mode=}) counts as set: it overrides lower sources and means "none" for
 * a setting without default, the default for one with, and the empty list for a list. This lets a
 * job clear {@code internal.cidrs} or a cluster-wide {@code EGRESS_MODE} without editing the file.
 */
public final class SettingsLoader {
  static final String SYSTEM_PROPERTY_SOURCE = "system property ";
  static final String ENV_SOURCE = "environment variable ";
  static final String FILE_SOURCE = "config file ";

  private SettingsLoader() {}

  /**
   * @param agentArgs the {@code -javaagent} argument string; null or empty is fine
   * @param systemProperties normally {@code System.getProperties()}
   * @param env normally {@code System.getenv()}
   * @throws SettingsException naming the offending key and its source
   */
  public static Settings load(
      String agentArgs, Properties systemProperties, Map<String, String> env) {
    Map<SettingKey, RawValue> fromArgs = AgentArguments.parse(agentArgs);
    Map<SettingKey, RawValue> fromProps = fromSystemProperties(systemProperties);
    Map<SettingKey, RawValue> fromEnv = fromEnvironment(env);

    // The config file's own location may come from any of the three higher sources.
    RawValue config = firstOf(SettingKey.CONFIG, fromArgs, fromProps, fromEnv);
    Map<SettingKey, RawValue> fromFile =
        config == null || config.text().isEmpty() ? Map.of() : fromFile(config);

    Map<SettingKey, RawValue> effective = new EnumMap<>(SettingKey.class);
    for (SettingKey key : SettingKey.values()) {
      RawValue v = firstOf(key, fromArgs, fromProps, fromEnv, fromFile);
      if (v == null && key.defaultValue != null) {
        v = RawValue.ofDefault(key);
      }
      if (v != null) {
        effective.put(key, v);
      }
    }
    return Settings.from(effective);
  }

  @SafeVarargs
  private static RawValue firstOf(SettingKey key, Map<SettingKey, RawValue>... sources) {
    for (Map<SettingKey, RawValue> s : sources) {
      RawValue v = s.get(key);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  static Map<SettingKey, RawValue> fromSystemProperties(Properties props) {
    Map<SettingKey, RawValue> out = new EnumMap<>(SettingKey.class);
    if (props == null) {
      return out;
    }
    // stringPropertyNames() is a snapshot: safe while other threads set properties.
    for (String name : props.stringPropertyNames()) {
      if (!name.startsWith(SettingKey.SYSTEM_PROPERTY_PREFIX)) {
        continue;
      }
      String source = SYSTEM_PROPERTY_SOURCE + name;
      SettingKey key =
          SettingKey.byName(name.substring(SettingKey.SYSTEM_PROPERTY_PREFIX.length()));
      if (key == null) {
        throw AgentArguments.unknown(name, source);
      }
      out.put(key, new RawValue(props.getProperty(name).trim(), source, ','));
    }
    return out;
  }

  static Map<SettingKey, RawValue> fromEnvironment(Map<String, String> env) {
    Map<SettingKey, RawValue> out = new EnumMap<>(SettingKey.class);
    if (env == null) {
      return out;
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name == null || !name.startsWith(SettingKey.ENV_PREFIX) || e.getValue() == null) {
        continue;
      }
      String source = ENV_SOURCE + name;
      SettingKey key = SettingKey.byEnvVar(name);
      if (key == null) {
        throw AgentArguments.unknown(name, source);
      }
      out.put(key, new RawValue(e.getValue().trim(), source, ','));
    }
    return out;
  }

  /**
   * The properties file named by {@code config}: plain keys ({@code policy=…}), lists
   * comma-separated.
   */
  static Map<SettingKey, RawValue> fromFile(RawValue config) {
    Path path;
    try {
      path = Path.of(config.text());
    } catch (InvalidPathException e) {
      throw ValueParser.invalid(SettingKey.CONFIG, config, "not a valid path: " + e.getReason());
    }
    String fileSource = FILE_SOURCE + path;
    Properties props = new Properties();
    // UTF-8 rather than the ISO-8859-1 of Properties.load(InputStream): paths and hosts may be
    // non-ASCII.
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (NoSuchFileException e) {
      throw new SettingsException(
          SettingKey.CONFIG.key,
          config.source(),
          "Config file "
              + path.toAbsolutePath()
              + " (named by "
              + config.source()
              + ") does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new SettingsException(
          SettingKey.CONFIG.key,
          config.source(),
          "Cannot read config file "
              + path.toAbsolutePath()
              + " (named by "
              + config.source()
              + "): "
              + e,
          e);
    }
    Map<SettingKey, RawValue> out = new EnumMap<>(SettingKey.class);
    for (String name : props.stringPropertyNames()) {
      String source = fileSource + " key " + name;
      SettingKey key = SettingKey.byName(name.trim());
      if (key == null) {
        throw AgentArguments.unknown(name, source);
      }
      if (key == SettingKey.CONFIG) {
        throw new SettingsException(
            name, source, "Setting config cannot be set inside a config file (" + fileSource + ")");
      }
      out.put(key, new RawValue(props.getProperty(name).trim(), source, ','));
    }
    return out;
  }
}
