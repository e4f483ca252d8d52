package dev.egress.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static Settings args(String a) {
    return SettingsLoader.load(a, new Properties(), Map.of());
  }

  @Test
  void describeMasksTheTokenAndNamesSources() {
    Settings s =
        args(
            "collector.url=https://user:pw@collector/x,collector.token=s3cr3t-token,workspace.id=12");
    String d = s.describe();
    assertFalse(d.contains("s3cr3t-token"), d);
    assertFalse(d.contains("user:pw"), d);
    assertTrue(d.contains("collector.token=****"), d);
    assertTrue(d.contains("workspace.id=12 (agent argument workspace.id)"), d);
    assertTrue(d.contains("mode=<unset>"), d);
    assertTrue(d.contains("product=GENERAL_COMPUTE,") || d.contains("product=GENERAL_COMPUTE "), d);
    assertFalse(d.contains("\n"));
    assertEquals(d, s.toString());
  }

  @Test
  void asMapHoldsSetKeysInSettingsSyntaxAndRoundTrips() {
    Settings s =
        args(
            "workspace.id=12,mode=dry-run,internal.cidrs=10.0.0.0/8;::1,policy.refresh=90,collector.token=t");
    Map<String, String> m = s.asMap();
    assertEquals("12", m.get("workspace.id"));
    assertEquals("dry-run", m.get("mode"));
    assertEquals("10.0.0.0/8,::1", m.get("internal.cidrs"));
    assertEquals("90s", m.get("policy.refresh"));
    assertEquals("t", m.get("collector.token"));
    assertEquals("true", m.get("self.test"));
    assertFalse(m.containsKey("policy"));
    assertEquals("config", List.copyOf(SettingKeyNames.all()).get(0));
    assertThrows(UnsupportedOperationException.class, () -> m.put("x", "y"));

    Properties p = new Properties();
    m.forEach((k, v) -> p.setProperty("egress." + k, v));
    assertEquals(m, SettingsLoader.load(null, p, Map.of()).asMap());
  }

  @Test
  void listsAreImmutable() {
    Settings s = args(null);
    assertThrows(UnsupportedOperationException.class, () -> s.gateways().add("x"));
    assertThrows(UnsupportedOperationException.class, () -> s.internalCidrs().clear());
  }

  @Test
  void durationsFormatInTheLargestExactUnit() {
    assertEquals("500ms", Settings.formatDuration(Duration.ofMillis(500)));
    assertEquals("30s", Settings.formatDuration(Duration.ofSeconds(30)));
    assertEquals("2m", Settings.formatDuration(Duration.ofSeconds(120)));
    assertEquals("1h", Settings.formatDuration(Duration.ofMinutes(60)));
  }

  @Test
  void environmentNamesFollowTheRule() {
    assertEquals("EGRESS_WORKSPACE_ID", SettingKey.WORKSPACE_ID.envVar());
    assertEquals("EGRESS_VIOLATIONS_LOG", SettingKey.VIOLATIONS_LOG.envVar());
    assertEquals("egress.policy.refresh", SettingKey.POLICY_REFRESH.systemProperty());
    for (SettingKey k : SettingKey.values()) {
      assertEquals(k, SettingKey.byEnvVar(k.envVar()));
      assertEquals(k, SettingKey.byName(k.key));
    }
  }

  /** The key order of asMap is the registry's. */
  static final class SettingKeyNames {
    static List<String> all() {
      return java.util.Arrays.stream(SettingKey.values()).map(k -> k.key).toList();
    }
  }
}
