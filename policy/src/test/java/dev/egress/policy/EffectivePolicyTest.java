package dev.egress.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EffectivePolicyTest {
  static PolicyEngine engine;
  static final CidrSet INTERNAL = CidrSet.parse(List.of("127.0.0.1/32", "10.0.0.0/8", "fd12::/16"));

  /**
   * The SPEC example plus a second workspace and workspace 5678, to exercise cross-workspace rules.
   */
  @BeforeAll
  static void compile() throws Exception {
    PolicyDocument spec = PolicyParserTest.specExample();
    List<WorkspaceBinding> ws = new java.util.ArrayList<>(spec.workspaces());
    ws.add(
        new WorkspaceBinding(
            5678,
            "restricted",
            List.of("adb-5678.9.azuredatabricks.net", "dbc-allowed.cloud.databricks.com"),
            List.of(),
            List.of(),
            List.of()));
    ws.add(
        new WorkspaceBinding(
            999,
            "restricted",
            List.of("dbc-other.cloud.databricks.com"),
            List.of(),
            List.of(),
            List.of()));
    engine =
        PolicyEngine.compile(
            new PolicyDocument(
                spec.accountId(), spec.networkPolicies(), ws, spec.platform(), true));
  }

  static EffectivePolicy restricted(Product product, ModeOverride mode) {
    return engine.select(new Selection(1234L, product, mode, INTERNAL, Set.of("localhost")));
  }

  static EffectivePolicy restricted() {
    return restricted(Product.GENERAL_COMPUTE, ModeOverride.NONE);
  }

  static CallerProbe probe(CallerKind kind) {
    return () -> kind;
  }

  /** name | caller | expected reason (empty = ALLOW) | destination type | destination */
  @ParameterizedTest(name = "{0} by {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      pypi.org | USER_DIRECT | | |
      PyPI.ORG. | USER_DIRECT | | |
      raw.githubusercontent.com | USER_DIRECT | | |
      a.b.c.githubusercontent.com | USER_DIRECT | | |
      githubusercontent.com | USER_DIRECT | NOT_ALLOWED | DNS | githubusercontent.com
      gist.githubusercontent.com | PLATFORM | BLOCKED_DESTINATION | DNS | gist.githubusercontent.com
      evil.example.net | PLATFORM | NOT_ALLOWED | DNS | evil.example.net
      localhost | USER_DIRECT | | |
      adb-1234.5.azuredatabricks.net | USER_DIRECT | | |
      adb-1234.7.azuredatabricks.net | USER_DIRECT | | |
      adb-5678.1.azuredatabricks.net | USER_DIRECT | | |
      dbc-allowed.cloud.databricks.com | USER_DIRECT | | |
      adb-999.1.azuredatabricks.net | USER_DIRECT | CROSS_WORKSPACE | DNS | adb-999.1.azuredatabricks.net
      999.1.gcp.databricks.com | USER_DIRECT | CROSS_WORKSPACE | DNS | 999.1.gcp.databricks.com
      1234.1.gcp.databricks.com | USER_DIRECT | | |
      dbc-other.cloud.databricks.com | USER_DIRECT | CROSS_WORKSPACE | DNS | dbc-other.cloud.databricks.com
      whatever.cloud.databricks.com | USER_DIRECT | CROSS_WORKSPACE | DNS | whatever.cloud.databricks.com
      crm.db.example.com | USER_DIRECT | | |
      lakeprod.dfs.core.windows.net | PLATFORM_MEDIATED | | |
      lakeprod.dfs.core.windows.net | PLATFORM | | |
      lakeprod.dfs.core.windows.net | USER_DIRECT | DIRECT_STORAGE_ACCESS | STORAGE | abfss://lakeprod.dfs.core.windows.net
      lakeprod.blob.core.windows.net | PLATFORM_MEDIATED | STORAGE_NOT_ALLOWED | STORAGE | wasbs://lakeprod.blob.core.windows.net
      dbstorage1234.dfs.core.windows.net | PLATFORM_MEDIATED | | |
      lakeraw.dfs.core.windows.net | PLATFORM_MEDIATED | | |
      lakeraw.privatelink.dfs.core.windows.net | PLATFORM_MEDIATED | | |
      systemtables.dfs.core.windows.net | PLATFORM_MEDIATED | | |
      other.dfs.core.windows.net | PLATFORM_MEDIATED | STORAGE_NOT_ALLOWED | STORAGE | abfss://other.dfs.core.windows.net
      raw-events.s3.us-west-2.amazonaws.com | PLATFORM_MEDIATED | | |
      raw-events.s3.amazonaws.com | PLATFORM_MEDIATED | | |
      raw-events.s3.eu-west-1.amazonaws.com | PLATFORM_MEDIATED | STORAGE_NOT_ALLOWED | STORAGE | s3://raw-events
      databricks-datasets.s3-us-west-2.amazonaws.com | PLATFORM | | |
      s3.us-west-2.amazonaws.com | PLATFORM_MEDIATED | | |
      s3.eu-west-1.amazonaws.com | PLATFORM_MEDIATED | STORAGE_NOT_ALLOWED | STORAGE | s3://s3.eu-west-1.amazonaws.com
      ml-models.storage.googleapis.com | PLATFORM_MEDIATED | | |
      storage.googleapis.com | PLATFORM_MEDIATED | | |
      other.storage.googleapis.com | PLATFORM_MEDIATED | STORAGE_NOT_ALLOWED | STORAGE | gs://other
      other.storage.googleapis.com | USER_DIRECT | DIRECT_STORAGE_ACCESS | STORAGE | gs://other
      a..b | USER_DIRECT | NOT_ALLOWED | DNS | a..b
      metadata.google.internal | PLATFORM | METADATA_ENDPOINT | DNS | metadata.google.internal
      """)
  void nameRules(
      String name, CallerKind caller, Reason reason, DestinationType type, String destination) {
    Decision d = restricted().decideName(name, 443, Protocol.TCP, probe(caller));
    if (reason == null) {
      assertSame(Decision.ALLOW, d, () -> name + ": " + d);
      return;
    }
    assertEquals(reason, d.reason(), d::toString);
    assertEquals(type, d.destinationType());
    assertEquals(destination, d.destination());
    assertEquals(reason == Reason.METADATA_ENDPOINT ? Action.DROP : Action.DROP, d.action());
    assertTrue(d.denied());
    assertFalse(d.explanation().isBlank());
  }

  @Test
  void explanationsAreSpecific() {
    EffectivePolicy p = restricted();
    Decision d = p.decideName("evil.example.net", 443, Protocol.DNS, probe(CallerKind.USER_DIRECT));
    assertTrue(d.explanation().contains("add \"evil.example.net\""), d.explanation());
    assertTrue(
        d.explanation().contains("allowed_internet_destinations of policy \"restricted\""),
        d.explanation());
    d =
        p.decideName(
            "gist.githubusercontent.com", 443, Protocol.TCP, probe(CallerKind.USER_DIRECT));
    assertTrue(d.explanation().contains("blocked_internet_destinations"), d.explanation());
    d =
        p.decideName(
            "adb-999.1.azuredatabricks.net", 443, Protocol.TCP, probe(CallerKind.USER_DIRECT));
    assertTrue(d.explanation().contains("{\"workspace_ids\": [999]}"), d.explanation());
    d =
        p.decideName(
            "other.dfs.core.windows.net", 443, Protocol.TCP, probe(CallerKind.PLATFORM_MEDIATED));
    assertTrue(d.explanation().contains("\"azure_storage_account\": \"other\""), d.explanation());
    assertEquals("other.dfs.core.windows.net", d.hostname());
  }

  @Test
  void exactFqdnAllowsStorageEvenToUserCodeButWildcardsNever() throws Exception {
    PolicyEngine e =
        PolicyEngine.compile(
            PolicyParser.parse(
                """
        {"network_policy_id": "p", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS",
          "allowed_internet_destinations": [{"destination": "direct.blob.core.windows.net"},
                                            {"destination": "*.core.windows.net"}]}}}
        """));
    EffectivePolicy p = e.select(Selection.of(1L));
    AtomicInteger calls = new AtomicInteger();
    CallerProbe counting =
        () -> {
          calls.incrementAndGet();
          return CallerKind.USER_DIRECT;
        };
    assertSame(
        Decision.ALLOW, p.decideName("direct.blob.core.windows.net", 443, Protocol.TCP, counting));
    assertEquals(0, calls.get());
    assertEquals(
        Reason.DIRECT_STORAGE_ACCESS,
        p.decideName("other.blob.core.windows.net", 443, Protocol.TCP, counting).reason());
    assertEquals(1, calls.get());
    assertEquals(
        Reason.STORAGE_NOT_ALLOWED,
        p.decideName(
                "other.blob.core.windows.net",
                443,
                Protocol.TCP,
                probe(CallerKind.PLATFORM_MEDIATED))
            .reason());
  }

  /**
   * Storage denials are remembered per name and caller kind; the caller is still asked every time.
   */
  @Test
  void storageDenialsAreRememberedPerKindButTheCallerIsAskedEachTime() {
    EffectivePolicy p = restricted();
    AtomicInteger calls = new AtomicInteger();
    CallerProbe user =
        () -> {
          calls.incrementAndGet();
          return CallerKind.USER_DIRECT;
        };
    Decision first = p.decideName("lakeprod.dfs.core.windows.net", 443, Protocol.TCP, user);
    Decision again = p.decideName("lakeprod.dfs.core.windows.net", 443, Protocol.TCP, user);
    assertEquals(2, calls.get());
    assertSame(first, again);
    assertEquals(Reason.DIRECT_STORAGE_ACCESS, again.reason());
    // The same host reached through a gateway is allowed (the account is allowed storage), not the
    // user's denial.
    assertSame(
        Decision.ALLOW,
        p.decideName(
            "lakeprod.dfs.core.windows.net",
            443,
            Protocol.TCP,
            probe(CallerKind.PLATFORM_MEDIATED)));
    Decision other =
        p.decideName(
            "notours.blob.core.windows.net",
            443,
            Protocol.TCP,
            probe(CallerKind.PLATFORM_MEDIATED));
    assertEquals(Reason.STORAGE_NOT_ALLOWED, other.reason());
    assertEquals(
        Reason.DIRECT_STORAGE_ACCESS,
        p.decideName("notours.blob.core.windows.net", 443, Protocol.TCP, user).reason());
    assertSame(
        other,
        p.decideName(
            "notours.blob.core.windows.net",
            443,
            Protocol.TCP,
            probe(CallerKind.PLATFORM_MEDIATED)));
  }

  @Test
  void callerProbeIsNotCalledForPlainNames() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CallerProbe counting =
        () -> {
          calls.incrementAndGet();
          return CallerKind.USER_DIRECT;
        };
    EffectivePolicy p = restricted();
    assertSame(Decision.ALLOW, p.decideName("pypi.org", 443, Protocol.TCP, counting));
    assertSame(
        Decision.ALLOW, p.decideName("x.githubusercontent.com", 443, Protocol.DNS, counting));
    assertTrue(p.decideName("evil.example.net", 443, Protocol.TCP, counting).denied());
    assertSame(
        Decision.ALLOW,
        p.decideAddress(
            InetAddress.getByName("10.1.1.1"), new String[0], null, 443, Protocol.TCP, counting));
    assertSame(
        Decision.ALLOW,
        p.decideAddress(
            InetAddress.getByName("93.184.216.34"),
            new String[] {"pypi.org"},
            null,
            443,
            Protocol.TCP,
            counting));
    assertEquals(0, calls.get());
    EffectivePolicy full = engine.select(Selection.of(42L)); // default-policy: FULL_ACCESS
    assertSame(Decision.ALLOW, full.decideName("anything.example", 443, Protocol.TCP, counting));
    assertEquals(0, calls.get());
  }

  @Test
  void selection() {
    EffectivePolicy bound = restricted();
    assertEquals("restricted", bound.networkPolicyId());
    assertEquals("8f1e-…", bound.accountId());
    assertFalse(bound.fullAccess());
    EffectivePolicy unbound = engine.select(Selection.of(42L));
    assertEquals("default-policy", unbound.networkPolicyId());
    assertTrue(unbound.fullAccess());
    EffectivePolicy none = engine.select(Selection.of(null));
    assertEquals("default-policy", none.networkPolicyId());
  }

  @Test
  void noDefaultPolicyMeansNothingAllowed() throws Exception {
    PolicyEngine e =
        PolicyEngine.compile(
            PolicyParser.parse(
                """
        {"account_id": "a", "network_policies": [{"network_policy_id": "r", "egress": {"network_access": {
          "restriction_mode": "RESTRICTED_ACCESS",
          "allowed_internet_destinations": [{"destination": "pypi.org"}]}}}],
         "workspaces": [{"workspace_id": 1, "network_policy_id": "r"}, {"workspace_id": 2,
           "deployment_hosts": ["adb-2.1.azuredatabricks.net"]}]}
        """));
    EffectivePolicy p = e.select(Selection.of(2L));
    assertNull(p.networkPolicyId());
    assertFalse(p.fullAccess());
    Decision d = p.decideName("pypi.org", 443, Protocol.TCP, probe(CallerKind.PLATFORM));
    assertEquals(Reason.NOT_ALLOWED, d.reason());
    assertTrue(d.explanation().contains("default-policy"), d.explanation());
    assertTrue(
        p.decideName("adb-2.1.azuredatabricks.net", 443, Protocol.TCP, probe(CallerKind.PLATFORM))
            .denied());
    assertSame(
        Decision.ALLOW, e.select(Selection.of(1L)).decideName("pypi.org", 443, Protocol.TCP, null));
  }

  @Test
  void bareAccountNetworkPolicyAppliesToEveryWorkspace() throws Exception {
    PolicyEngine e =
        PolicyEngine.compile(
            PolicyParser.parse(
                """
        {"network_policy_id": "np", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS",
          "allowed_internet_destinations": [{"destination": "pypi.org"}]}}}
        """));
    for (Long ws : new Long[] {null, 1L, 77L}) {
      EffectivePolicy p = e.select(Selection.of(ws));
      assertEquals("np", p.networkPolicyId());
      assertSame(Decision.ALLOW, p.decideName("pypi.org", 443, Protocol.TCP, null));
      assertTrue(p.decideName("evil.example", 443, Protocol.TCP, null).denied());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      DBSQL | NONE | DRY_RUN_DENIAL
      GENERAL_COMPUTE | NONE | DROP
      GENERAL_COMPUTE | DRY_RUN | DRY_RUN_DENIAL
      DBSQL | ENFORCE | DROP
      """)
  void dryRunWithProductFilterAndOverride(Product product, ModeOverride mode, Action expected)
      throws Exception {
    EffectivePolicy p = restricted(product, mode);
    assertEquals(expected == Action.DRY_RUN_DENIAL, p.dryRun());
    assertEquals(expected, p.decideName("evil.example.net", 443, Protocol.TCP, null).action());
    assertEquals(
        expected,
        p.decideAddress(
                InetAddress.getByName("93.184.216.34"),
                new String[0],
                null,
                443,
                Protocol.TCP,
                null)
            .action());
    // Metadata endpoints are always dropped: credential theft is not something to observe.
    assertEquals(
        Action.DROP, p.decideName("metadata.google.internal", 80, Protocol.TCP, null).action());
    assertEquals(
        Action.DROP,
        p.decideAddress(
                InetAddress.getByName("169.254.169.254"),
                new String[0],
                null,
                80,
                Protocol.TCP,
                null)
            .action());
  }

  @Test
  void dryRunWithEmptyFilterCoversEveryProduct() throws Exception {
    PolicyEngine e =
        PolicyEngine.compile(
            PolicyParser.parse(
                """
        {"network_policy_id": "np", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS",
          "policy_enforcement": {"enforcement_mode": "DRY_RUN", "dry_run_mode_product_filter": []}}}}
        """));
    for (Product product : Product.values()) {
      EffectivePolicy p = e.select(new Selection(null, product, ModeOverride.NONE, null, null));
      assertTrue(p.dryRun());
      assertEquals(
          Action.DRY_RUN_DENIAL, p.decideName("x.example", 443, Protocol.TCP, null).action());
    }
  }

  @Test
  void metadataOnlyForPlatformCodeUnderFullAccess() throws Exception {
    EffectivePolicy full = engine.select(Selection.of(42L));
    for (String a :
        List.of(
            "169.254.169.254",
            "fd00:ec2::254",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "2002:a9fe:a9fe::1",
            "::169.254.169.254",
            "168.63.129.16",
            "100.100.100.200")) {
      InetAddress addr = InetAddress.getByName(a);
      Decision d =
          full.decideAddress(
              addr, new String[0], null, 80, Protocol.TCP, probe(CallerKind.USER_DIRECT));
      assertEquals(Reason.METADATA_ENDPOINT, d.reason(), a);
      assertEquals(Action.DROP, d.action());
      assertEquals(DestinationType.IP, d.destinationType());
      assertSame(
          Decision.ALLOW,
          full.decideAddress(
              addr, new String[0], null, 80, Protocol.TCP, probe(CallerKind.PLATFORM)),
          a);
      assertEquals(
          Reason.METADATA_ENDPOINT,
          restricted()
              .decideAddress(
                  addr, new String[0], null, 80, Protocol.TCP, probe(CallerKind.PLATFORM))
              .reason(),
          a);
    }
    assertEquals(
        Reason.METADATA_ENDPOINT,
        full.decideName("2852039166", 80, Protocol.TCP, probe(CallerKind.USER_DIRECT)).reason());
    assertEquals(
        Reason.METADATA_ENDPOINT,
        full.decideName("[fd00:ec2::254]", 80, Protocol.TCP, probe(CallerKind.USER_DIRECT))
            .reason());
    assertEquals(
        Reason.METADATA_ENDPOINT,
        full.decideName(
                "METADATA.google.internal.", 80, Protocol.DNS, probe(CallerKind.USER_DIRECT))
            .reason());
  }

  @Test
  void addressOrder() throws Exception {
    EffectivePolicy p = restricted();
    InetAddress external = InetAddress.getByName("93.184.216.34");
    // internal CIDRs, IPv4 and IPv6, are never subject to policy
    assertSame(
        Decision.ALLOW,
        p.decideAddress(
            InetAddress.getByName("127.0.0.1"),
            new String[0],
            "evil.example",
            5432,
            Protocol.TCP,
            null));
    assertSame(
        Decision.ALLOW,
        p.decideAddress(
            InetAddress.getByName("fd12::7"), new String[0], null, 1, Protocol.UDP, null));
    assertTrue(
        p.decideAddress(
                InetAddress.getByName("127.0.0.2"), new String[0], null, 1, Protocol.TCP, null)
            .denied());
    // any verified name that allows wins
    assertSame(
        Decision.ALLOW,
        p.decideAddress(
            external,
            new String[] {"evil.example.net", "pypi.org"},
            null,
            443,
            Protocol.TCP,
            null));
    // none allows: the first denying name, as DNS
    Decision d =
        p.decideAddress(
            external,
            new String[] {"evil.example.net", "gist.githubusercontent.com"},
            "pypi.org",
            443,
            Protocol.TCP,
            null);
    assertEquals(Reason.NOT_ALLOWED, d.reason());
    assertEquals(DestinationType.DNS, d.destinationType());
    assertEquals("evil.example.net", d.destination());
    // a carried, unverified name
    d = p.decideAddress(external, new String[0], "pypi.org", 443, Protocol.TCP, null);
    assertEquals(Reason.UNVERIFIED_NAME, d.reason());
    assertEquals(DestinationType.IP, d.destinationType());
    assertEquals("93.184.216.34", d.destination());
    assertEquals("93.184.216.34", d.ipAddress());
    assertTrue(d.explanation().contains("pypi.org"));
    // a bare address
    d = p.decideAddress(external, new String[0], null, 443, Protocol.TCP, null);
    assertEquals(Reason.NOT_ALLOWED, d.reason());
    assertEquals(DestinationType.IP, d.destinationType());
    // full access allows any address
    assertSame(
        Decision.ALLOW,
        engine
            .select(Selection.of(42L))
            .decideAddress(external, new String[0], "x", 443, Protocol.TCP, null));
  }

  @Test
  void unavailableEngineFailsClosed() throws Exception {
    EffectivePolicy p =
        PolicyEngine.unavailable("line 1, column 1: empty document")
            .select(
                new Selection(
                    1234L, Product.DBSQL, ModeOverride.DRY_RUN, INTERNAL, Set.of("localhost")));
    assertTrue(p.unavailable());
    assertFalse(p.fullAccess());
    assertFalse(p.dryRun());
    assertNull(p.networkPolicyId());
    Decision d = p.decideName("pypi.org", 443, Protocol.TCP, null);
    assertEquals(Reason.POLICY_UNAVAILABLE, d.reason());
    assertEquals(Action.DROP, d.action());
    assertTrue(d.explanation().contains("empty document"));
    d =
        p.decideAddress(
            InetAddress.getByName("93.184.216.34"),
            new String[] {"pypi.org"},
            null,
            443,
            Protocol.TCP,
            null);
    assertEquals(Reason.POLICY_UNAVAILABLE, d.reason());
    assertEquals(Action.DROP, d.action());
    assertSame(
        Decision.ALLOW,
        p.decideAddress(
            InetAddress.getByName("10.2.3.4"), new String[0], null, 1, Protocol.TCP, null));
    assertSame(Decision.ALLOW, p.decideName("localhost", 1, Protocol.DNS, null));
    assertEquals(
        Reason.METADATA_ENDPOINT,
        p.decideAddress(
                InetAddress.getByName("169.254.169.254"),
                new String[0],
                null,
                80,
                Protocol.TCP,
                probe(CallerKind.PLATFORM))
            .reason());
  }

  @Test
  void canonicalFormsAndInvalidNames() {
    EffectivePolicy p = restricted();
    assertSame(Decision.ALLOW, p.decideName("ＰＹＰＩ．ｏｒｇ", 443, Protocol.TCP, null));
    Decision d = p.decideName("bücher.example", 443, Protocol.TCP, null);
    assertEquals("xn--bcher-kva.example", d.destination());
    String longName = "a".repeat(300);
    d = p.decideName(longName, 443, Protocol.TCP, null);
    assertEquals(Reason.NOT_ALLOWED, d.reason());
    assertEquals(253, d.destination().length());
    d = p.decideName("evil\n.example", 443, Protocol.TCP, null);
    assertEquals("evil?.example", d.destination());
  }

  @Test
  void pathStyleBucketCheck() {
    EffectivePolicy p = restricted();
    assertSame(
        Decision.ALLOW, p.decideStorageBucket("s3.us-west-2.amazonaws.com", "raw-events", null));
    Decision d = p.decideStorageBucket("s3.us-west-2.amazonaws.com", "secret-bucket", null);
    assertEquals(Reason.STORAGE_NOT_ALLOWED, d.reason());
    assertEquals("s3://secret-bucket", d.destination());
    assertSame(Decision.ALLOW, p.decideStorageBucket("storage.googleapis.com", "ml-models", null));
    assertTrue(p.decideStorageBucket("storage.googleapis.com", "other", null).denied());
  }
}
