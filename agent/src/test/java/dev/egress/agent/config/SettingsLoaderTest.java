package dev.egress.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
  @TempDir Path dir;

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private Path file(String content) throws IOException {
    Path f = dir.resolve("egress.properties");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private static Settings args(String agentArgs) {
    return SettingsLoader.load(agentArgs, new Properties(), Map.of());
  }

  // --- defaults -------------------------------------------------------------------------------

  @Test
  void nullAndEmptyArgumentsGiveDefaults() {
    for (String a : new String[] {null, "", "   ", ",", " , "}) {
      Settings s = args(a);
      assertNull(s.config());
      assertNull(s.policy());
      assertFalse(s.policyIsUrl());
      assertNull(s.workspaceId());
      assertEquals(Product.GENERAL_COMPUTE, s.product());
      assertNull(s.mode());
      assertEquals(Path.of("egress-violations.jsonl"), s.violationsLog());
      assertNull(s.collectorUrl());
      assertNull(s.collectorToken());
      assertEquals(List.of("127.0.0.0/8", "::1/128"), s.internalCidrs());
      assertEquals(List.of("file:/databricks/jars/"), s.trustedCode());
      assertEquals("org.apache.hadoop.fs.", s.gateways().get(0));
      assertEquals(List.of("localhost"), s.internalHosts());
      assertEquals(Duration.ofSeconds(30), s.policyRefresh());
      assertTrue(s.selfTest());
      assertEquals("default", s.source("product"));
      assertNull(s.source("policy"));
    }
  }

  // --- each source ----------------------------------------------------------------------------

  @Test
  void agentArgumentSetsEveryKey() {
    Settings s =
        args(
            " policy=/etc/egress/policy.json , workspace.id=1234,product=DBSQL,mode=dry-run,"
                + "violations.log=/var/log/v.jsonl,collector.url=https://collector:8443/api,"
                + "collector.token=secret,internal.cidrs=10.0.0.0/8; 192.168.0.0/16 ;fd00::/8,"
                + "trusted.code=file:/opt/a/;file:/opt/b/,gateways=com.x.;org.y.,"
                + "internal.hosts=Spark-Master.;worker1,policy.refresh=5m,self.test=false");
    assertEquals("/etc/egress/policy.json", s.policy());
    assertEquals(1234L, s.workspaceId());
    assertEquals(Product.DBSQL, s.product());
    assertEquals(Mode.DRY_RUN, s.mode());
    assertEquals(Path.of("/var/log/v.jsonl"), s.violationsLog());
    assertEquals(URI.create("https://collector:8443/api"), s.collectorUrl());
    assertEquals("secret", s.collectorToken());
    assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16", "fd00::/8"), s.internalCidrs());
    assertEquals(List.of("file:/opt/a/", "file:/opt/b/"), s.trustedCode());
    assertEquals(List.of("com.x.", "org.y."), s.gateways());
    assertEquals(List.of("spark-master", "worker1"), s.internalHosts());
    assertEquals(Duration.ofMinutes(5), s.policyRefresh());
    assertFalse(s.selfTest());
    assertEquals("agent argument policy", s.source("policy"));
  }

  @Test
  void valueMayContainEquals() {
    Settings s = args("policy=https://collector/policy?ws=1&x=y");
    assertEquals("https://collector/policy?ws=1&x=y", s.policy());
    assertTrue(s.policyIsUrl());
  }

  @Test
  void systemPropertySetsKeysAndListsAreCommaSeparated() {
    Settings s =
        SettingsLoader.load(
            null,
            props(
                "egress.workspace.id", " 42 ",
                "egress.internal.cidrs", "10.0.0.0/8, 172.16.0.0/12",
                "egress.gateways", "a.,b.",
                "unrelated.key", "x"),
            Map.of());
    assertEquals(42L, s.workspaceId());
    assertEquals(List.of("10.0.0.0/8", "172.16.0.0/12"), s.internalCidrs());
    assertEquals(List.of("a.", "b."), s.gateways());
    assertEquals("system property egress.workspace.id", s.source("workspace.id"));
  }

  @Test
  void environmentSetsKeysWithUpperCaseAndUnderscores() {
    Settings s =
        SettingsLoader.load(
            null,
            new Properties(),
            env(
                "EGRESS_WORKSPACE_ID", "7",
                "EGRESS_POLICY_REFRESH", "500ms",
                "EGRESS_SELF_TEST", "FALSE",
                "EGRESS_INTERNAL_HOSTS", "a,b",
                "PATH", "/usr/bin",
                "egress_lowercase_is_not_ours", "x"));
    assertEquals(7L, s.workspaceId());
    assertEquals(Duration.ofMillis(500), s.policyRefresh());
    assertFalse(s.selfTest());
    assertEquals(List.of("a", "b"), s.internalHosts());
    assertEquals("environment variable EGRESS_WORKSPACE_ID", s.source("workspace.id"));
  }

  @Test
  void configFileSetsKeys() throws IOException {
    Path f =
        file(
            "# comment\npolicy = /p.json\nworkspace.id=99\ninternal.cidrs=10.0.0.0/8,10.1.0.0/16\nproduct=ml_serving\n");
    Settings s = args("config=" + f);
    assertEquals(f.toString(), s.config());
    assertEquals("/p.json", s.policy());
    assertEquals(99L, s.workspaceId());
    assertEquals(List.of("10.0.0.0/8", "10.1.0.0/16"), s.internalCidrs());
    assertEquals(Product.ML_SERVING, s.product());
    assertEquals("config file " + f + " key policy", s.source("policy"));
  }

  @Test
  void configFileIsNamedBySystemPropertyOrEnvironment() throws IOException {
    Path f = file("workspace.id=5\n");
    assertEquals(
        5L,
        SettingsLoader.load(null, props("egress.config", f.toString()), Map.of()).workspaceId());
    assertEquals(
        5L,
        SettingsLoader.load(null, new Properties(), env("EGRESS_CONFIG", f.toString()))
            .workspaceId());
  }

  @Test
  void configFileIsReadAsUtf8() throws IOException {
    Path f = file("violations.log=/tmp/vérif.jsonl\n");
    assertEquals(Path.of("/tmp/vérif.jsonl"), args("config=" + f).violationsLog());
  }

  // --- precedence -----------------------------------------------------------------------------

  @Test
  void precedenceAcrossAllFourSources() throws IOException {
    Path f = file("policy=/file.json\nworkspace.id=4\nproduct=APPS\nmode=enforce\n");
    Properties p =
        props(
            "egress.config",
            f.toString(),
            "egress.policy",
            "/prop.json",
            "egress.workspace.id",
            "2",
            "egress.product",
            "DBSQL");
    Map<String, String> e =
        env(
            "EGRESS_POLICY",
            "/env.json",
            "EGRESS_WORKSPACE_ID",
            "3",
            "EGRESS_PRODUCT",
            "ML_BUILD",
            "EGRESS_MODE",
            "dry-run");

    Settings s = SettingsLoader.load("policy=/arg.json", p, e);
    assertEquals("/arg.json", s.policy()); // agent argument beats all
    assertEquals(2L, s.workspaceId()); // system property beats env and file
    assertEquals(Product.DBSQL, s.product());
    assertEquals(Mode.DRY_RUN, s.mode()); // env beats file
    assertEquals(Duration.ofSeconds(30), s.policyRefresh()); // nobody: default

    Settings fileOnly = SettingsLoader.load(null, props("egress.config", f.toString()), Map.of());
    assertEquals("/file.json", fileOnly.policy());
    assertEquals(Mode.ENFORCE, fileOnly.mode()); // file beats default
  }

  @Test
  void configLocationItselfFollowsPrecedence() throws IOException {
    Path a = dir.resolve("a.properties");
    Path b = dir.resolve("b.properties");
    Files.writeString(a, "workspace.id=1\n");
    Files.writeString(b, "workspace.id=2\n");
    Settings s =
        SettingsLoader.load(
            "config=" + a, props("egress.config", b.toString()), env("EGRESS_CONFIG", "/nope"));
    assertEquals(1L, s.workspaceId());
  }

  @Test
  void emptyValueOverridesLowerSources() {
    Settings s =
        SettingsLoader.load(
            "internal.cidrs=,mode=",
            props("egress.mode", "enforce"),
            env("EGRESS_WORKSPACE_ID", "", "EGRESS_PRODUCT", ""));
    assertEquals(List.of(), s.internalCidrs());
    assertNull(s.mode());
    assertNull(s.workspaceId());
    assertEquals(Product.GENERAL_COMPUTE, s.product());
  }

  // --- list separators ------------------------------------------------------------------------

  @Test
  void listSeparatorsDependOnSource() {
    // Inside the agent argument a comma starts the next item, so lists use ';'.
    assertEquals(List.of("a.", "b."), args("gateways=a.;b.").gateways());
    // Elsewhere ';' is part of the item: the comma separates.
    assertEquals(
        List.of("a.;b.", "c."),
        SettingsLoader.load(null, props("egress.gateways", "a.;b., c."), Map.of()).gateways());
    assertEquals(List.of("a.", "b."), args("gateways= ; a. ;; b. ;").gateways());
  }

  // --- unknown keys ---------------------------------------------------------------------------

  @Test
  void unknownKeyInAgentArgument() {
    SettingsException e = assertThrows(SettingsException.class, () -> args("policy=/p,polcy=/q"));
    assertEquals("polcy", e.key());
    assertTrue(e.getMessage().contains("polcy"), e.getMessage());
    assertTrue(e.getMessage().contains("agent argument"), e.getMessage());
  }

  @Test
  void agentArgumentItemWithoutEquals() {
    SettingsException e = assertThrows(SettingsException.class, () -> args("policy=/p,dry-run"));
    assertTrue(e.getMessage().contains("dry-run"), e.getMessage());
  }

  @Test
  void keyTwiceInAgentArgument() {
    SettingsException e =
        assertThrows(SettingsException.class, () -> args("mode=enforce,mode=dry-run"));
    assertEquals("mode", e.key());
  }

  @Test
  void unknownSystemProperty() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> SettingsLoader.load(null, props("egress.workspaceid", "1"), Map.of()));
    assertEquals("egress.workspaceid", e.key());
    assertTrue(e.getMessage().contains("system property egress.workspaceid"), e.getMessage());
  }

  @Test
  void unknownEnvironmentVariable() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> SettingsLoader.load(null, new Properties(), env("EGRESS_POLCY", "/p")));
    assertEquals("EGRESS_POLCY", e.key());
    assertTrue(e.getMessage().contains("environment variable EGRESS_POLCY"), e.getMessage());
  }

  @Test
  void unknownKeyInConfigFile() throws IOException {
    Path f = file("policy=/p\nworkspace_id=3\n");
    SettingsException e = assertThrows(SettingsException.class, () -> args("config=" + f));
    assertEquals("workspace_id", e.key());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void configInsideConfigFileIsRefused() throws IOException {
    Path f = file("config=/other\n");
    SettingsException e = assertThrows(SettingsException.class, () -> args("config=" + f));
    assertEquals("config", e.key());
  }

  @Test
  void missingConfigFileIsNamed() {
    Path missing = dir.resolve("missing.properties");
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> SettingsLoader.load(null, props("egress.config", missing.toString()), Map.of()));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("system property egress.config"), e.getMessage());
    assertEquals("config", e.key());
  }

  @Test
  void unreadableConfigFileIsNamed() {
    // A directory cannot be read as a file.
    SettingsException e = assertThrows(SettingsException.class, () -> args("config=" + dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  // --- validation -----------------------------------------------------------------------------

  private static void assertInvalid(String agentArgs, String key, String value) {
    SettingsException e = assertThrows(SettingsException.class, () -> args(agentArgs), agentArgs);
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + value + "\""), e.getMessage());
    assertTrue(e.getMessage().contains("agent argument " + key), e.getMessage());
  }

  @Test
  void workspaceIdMustBePositiveLong() {
    assertInvalid("workspace.id=abc", "workspace.id", "abc");
    assertInvalid("workspace.id=0", "workspace.id", "0");
    assertInvalid("workspace.id=-5", "workspace.id", "-5");
    assertInvalid("workspace.id=99999999999999999999", "workspace.id", "99999999999999999999");
    assertInvalid("workspace.id=1.5", "workspace.id", "1.5");
    assertEquals(Long.MAX_VALUE, args("workspace.id=" + Long.MAX_VALUE).workspaceId());
  }

  @Test
  void productMustBeKnown() {
    assertInvalid("product=SERVERLESS", "product", "SERVERLESS");
    assertEquals(Product.ML_BUILD, args("product=ml_build").product());
  }

  @Test
  void modeMustBeEnforceOrDryRun() {
    assertInvalid("mode=audit", "mode", "audit");
    assertInvalid("mode=DRY_RUN", "mode", "DRY_RUN");
    assertEquals(Mode.ENFORCE, args("mode=ENFORCE").mode());
    assertEquals("dry-run", args("mode=dry-run").mode().value());
  }

  @Test
  void policyRefreshMustBePositiveDuration() {
    assertInvalid("policy.refresh=0", "policy.refresh", "0");
    assertInvalid("policy.refresh=0ms", "policy.refresh", "0ms");
    assertInvalid("policy.refresh=-1s", "policy.refresh", "-1s");
    assertInvalid("policy.refresh=soon", "policy.refresh", "soon");
    assertInvalid("policy.refresh=1.5s", "policy.refresh", "1.5s");
    assertEquals(Duration.ofSeconds(45), args("policy.refresh=45").policyRefresh());
    assertEquals(Duration.ofSeconds(30), args("policy.refresh=30s").policyRefresh());
    assertEquals(Duration.ofMinutes(5), args("policy.refresh=5m").policyRefresh());
    assertEquals(Duration.ofMillis(500), args("policy.refresh=500ms").policyRefresh());
    assertEquals(Duration.ofHours(1), args("policy.refresh=1h").policyRefresh());
  }

  @Test
  void selfTestMustBeBoolean() {
    assertInvalid("self.test=yes", "self.test", "yes");
  }

  @Test
  void collectorUrlMustBeHttpUrl() {
    assertInvalid("collector.url=collector:8080", "collector.url", "collector:8080");
    assertInvalid("collector.url=ftp://collector/", "collector.url", "ftp://collector/");
    assertInvalid("collector.url=http://", "collector.url", "http://");
    assertInvalid("collector.url=http://bad host/", "collector.url", "http://bad host/");
    assertInvalid("collector.url=/just/a/path", "collector.url", "/just/a/path");
    assertEquals("http", args("collector.url=http://127.0.0.1:9000").collectorUrl().getScheme());
  }

  @Test
  void policyIsPathOrHttpUrl() {
    assertInvalid("policy=s3://bucket/policy.json", "policy", "s3://bucket/policy.json");
    assertInvalid("policy=https://", "policy", "https://");
    assertInvalid("policy=http://a b/", "policy", "http://a b/");
    assertEquals("relative/policy.json", args("policy=relative/policy.json").policy());
    assertTrue(args("policy=HTTPS://collector/p").policyIsUrl());
  }

  @Test
  void violationsLogMustBeAPath() {
    assertInvalid("violations.log=a\0b", "violations.log", "a\0b");
  }

  @Test
  void cidrsAreChecked() {
    assertInvalid("internal.cidrs=10.0.0.0/33", "internal.cidrs", "10.0.0.0/33");
    assertInvalid("internal.cidrs=10.0.0.256/8", "internal.cidrs", "10.0.0.256/8");
    assertInvalid("internal.cidrs=10.0.0/8", "internal.cidrs", "10.0.0/8");
    assertInvalid("internal.cidrs=cluster.local", "internal.cidrs", "cluster.local");
    assertInvalid("internal.cidrs=fd00::/129", "internal.cidrs", "fd00::/129");
    assertInvalid("internal.cidrs=1::2::3", "internal.cidrs", "1::2::3");
    assertInvalid("internal.cidrs=10.0.0.0/x", "internal.cidrs", "10.0.0.0/x");
    assertEquals(
        List.of("10.1.2.3", "::1", "0.0.0.0/0"),
        args("internal.cidrs=10.1.2.3;::1;0.0.0.0/0").internalCidrs());
  }

  @Test
  void validationErrorsNameNonArgumentSources() throws IOException {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> SettingsLoader.load(null, new Properties(), env("EGRESS_MODE", "loud")));
    assertTrue(e.getMessage().contains("environment variable EGRESS_MODE"), e.getMessage());
    assertEquals("mode", e.key());

    Path f = file("workspace.id=x\n");
    e = assertThrows(SettingsException.class, () -> args("config=" + f));
    assertTrue(e.getMessage().contains("config file " + f), e.getMessage());
  }
}
