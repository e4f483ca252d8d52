package dev.egress.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {

  static PolicyDocument specExample() throws IOException, PolicyException {
    try (InputStream in = PolicyParserTest.class.getResourceAsStream("spec-example.json")) {
      return PolicyParser.parse(in);
    }
  }

  @Test
  void specExampleParsesToTheRightModel() throws Exception {
    PolicyDocument doc = specExample();
    assertTrue(doc.policySet());
    assertEquals("8f1e-…", doc.accountId());
    assertEquals(2, doc.networkPolicies().size());

    NetworkPolicy def = doc.networkPolicies().get(0);
    assertEquals("default-policy", def.networkPolicyId());
    assertEquals(RestrictionMode.FULL_ACCESS, def.restrictionMode());
    assertEquals(EnforcementMode.ENFORCED, def.enforcementMode());

    NetworkPolicy r = doc.networkPolicies().get(1);
    assertEquals("restricted", r.networkPolicyId());
    assertEquals(RestrictionMode.RESTRICTED_ACCESS, r.restrictionMode());
    assertEquals(List.of("pypi.org", "*.githubusercontent.com"), r.allowedInternetDestinations());
    assertEquals(List.of("gist.githubusercontent.com"), r.blockedInternetDestinations());
    assertEquals(
        List.of(
            StorageDestination.azure("lakeprod", "dfs"),
            StorageDestination.s3("raw-events", "us-west-2"),
            StorageDestination.gcs("ml-models")),
        r.allowedStorageDestinations());
    assertEquals(Set.of(5678L), r.allowedDatabricksWorkspaceIds());
    assertEquals(EnforcementMode.DRY_RUN, r.enforcementMode());
    assertEquals(Set.of(Product.DBSQL), r.dryRunProductFilter());

    assertEquals(1, doc.workspaces().size());
    WorkspaceBinding w = doc.workspaces().get(0);
    assertEquals(1234L, w.workspaceId());
    assertEquals("restricted", w.networkPolicyId());
    assertEquals(List.of("adb-1234.5.azuredatabricks.net"), w.deploymentHosts());
    assertEquals(List.of(StorageDestination.azure("dbstorage1234", "dfs")), w.workspaceStorage());
    assertEquals(
        List.of(
            new ExternalLocation(
                "landing",
                "abfss://landing@lakeraw.dfs.core.windows.net/in",
                StorageDestination.azure("lakeraw", "dfs"))),
        w.externalLocations());
    assertEquals(1, w.connections().size());
    UcConnection c = w.connections().get(0);
    assertEquals("crm", c.name());
    assertEquals("POSTGRESQL", c.connectionType());
    assertEquals("crm.db.example.com", c.host());
    assertEquals(Map.of("host", "crm.db.example.com", "port", "5432"), c.options());

    assertEquals(
        List.of(StorageDestination.azure("systemtables", "dfs")),
        doc.platform().systemTablesStorage());
    assertEquals(
        List.of(StorageDestination.s3("databricks-datasets", "us-west-2")),
        doc.platform().sampleDatasetsStorage());
  }

  @Test
  void bareAccountNetworkPolicyAsTheApiReturnsIt() throws Exception {
    PolicyDocument doc =
        PolicyParser.parse(
            """
        {"account_id": "acc-1", "network_policy_id": "np-1",
         "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS",
           "allowed_internet_destinations": [{"destination": "PyPI.org.", "internet_destination_type": "DNS_NAME"}],
           "allowed_storage_destinations": [{"bucket_name": "bk1", "storage_destination_type": "AWS_S3"}],
           "policy_enforcement": {"enforcement_mode": "ENFORCED"}}}}
        """);
    assertFalse(doc.policySet());
    assertEquals("acc-1", doc.accountId());
    assertEquals(1, doc.networkPolicies().size());
    NetworkPolicy p = doc.networkPolicies().get(0);
    assertEquals("np-1", p.networkPolicyId());
    assertEquals(List.of("pypi.org"), p.allowedInternetDestinations());
    assertEquals(List.of(StorageDestination.s3("bk1", null)), p.allowedStorageDestinations());
    assertTrue(doc.workspaces().isEmpty());
  }

  @Test
  void apiResponseFieldsInsideAPolicyOfASetAreAccepted() throws Exception {
    PolicyDocument doc =
        PolicyParser.parse(
            """
        {"network_policies": [{"account_id": "a", "network_policy_id": "x",
          "egress": {"network_access": {"restriction_mode": "FULL_ACCESS"}}}]}
        """);
    assertEquals("x", doc.networkPolicies().get(0).networkPolicyId());
  }

  @Test
  void inputStreamIsReadAsUtf8() throws Exception {
    byte[] bytes =
        "{\"network_policy_id\":\"p\",\"egress\":{\"network_access\":{\"restriction_mode\":\"RESTRICTED_ACCESS\",\"allowed_internet_destinations\":[{\"destination\":\"bücher.example\"}]}}}"
            .getBytes(StandardCharsets.UTF_8);
    PolicyDocument doc = PolicyParser.parse(new ByteArrayInputStream(bytes));
    assertEquals(
        List.of("xn--bcher-kva.example"),
        doc.networkPolicies().get(0).allowedInternetDestinations());
  }

  /**
   * Each error case: the document, the expected line, column, path and a fragment of the problem.
   */
  @ParameterizedTest(name = "{4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ''                                                        | 1 | 1  | $ | empty document
      '   '                                                     | 1 | 4  | $ | empty document
      '[]'                                                      | 1 | 1  | $ | expected an object
      '{"network_policies": ['                                  | 1 | 23 | $.network_policies | truncated
      '{"network_policies": []} x'                              | 1 | 27 | $ | Unrecognized token 'x'
      '{"network_policies": []} {}'                             | 1 | 26 | $ | trailing content
      '{"account_id": "a"}'                                     | 1 | 1  | $ | neither a policy set
      '{"network_policies": [], "egress": {}}'                  | 1 | 26 | $.egress | mixes a policy set
      '{"network_policies": [], "bogus": 1}'                    | 1 | 26 | $.bogus | unknown field "bogus"
      '{"network_policies": {}}'                                | 1 | 22 | $.network_policies | expected an array, found an object
      '{"network_policies": [{"network_policy_id": 7}]}'        | 1 | 45 | $.network_policies[0].network_policy_id | expected a string, found an integer
      '{"network_policies": [{"network_policy_id": "a"}]}'      | 1 | 23 | $.network_policies[0].egress.network_access.restriction_mode | missing required field "restriction_mode"
      '{"network_policy_id": "a", "egress": {"network_access": {}}}' | 1 | 57 | $.egress.network_access.restriction_mode | missing required field "restriction_mode"
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "FOO"}}}' | 1 | 78 | $.egress.network_access.restriction_mode | unknown value "FOO" (expected FULL_ACCESS or RESTRICTED_ACCESS)
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "FULL_ACCESS", "restriction_mode": "FULL_ACCESS"}}}' | 1 | 111 | $.egress.network_access.restriction_mode | Duplicate field
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "FULL_ACCESS", "x": true}}}' | 1 | 93 | $.egress.network_access.x | unknown field "x"
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS", "allowed_internet_destinations": [{"destination": "a..b"}]}}}' | 1 | 149 | $.egress.network_access.allowed_internet_destinations[0].destination | invalid host name "a..b"
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS", "allowed_internet_destinations": [{"destination": "x.com", "internet_destination_type": "IP"}]}}}' | 1 | 187 | $.egress.network_access.allowed_internet_destinations[0].internet_destination_type | unknown value "IP"
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS", "allowed_storage_destinations": [{"bucket_name": "bk1"}]}}}' | 1 | 132 | $.egress.network_access.allowed_storage_destinations[0] | missing required field "storage_destination_type"
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS", "allowed_storage_destinations": [{"bucket_name": "bk1", "storage_destination_type": "AZURE_STORAGE"}]}}}' | 1 | 132 | $.egress.network_access.allowed_storage_destinations[0] | AZURE_STORAGE needs azure_storage_account
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS", "policy_enforcement": {"dry_run_mode_product_filter": ["SPARK"]}}}}' | 1 | 154 | $.egress.network_access.policy_enforcement.dry_run_mode_product_filter[0] | unknown value "SPARK" (expected GENERAL_COMPUTE, DBSQL, ML_SERVING, ML_BUILD or APPS)
      '{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS", "allowed_databricks_destinations": [{"workspace_ids": ["12"]}]}}}' | 1 | 154 | $.egress.network_access.allowed_databricks_destinations[0].workspace_ids[0] | expected a workspace id
      """)
  void errorsNameLineColumnAndPath(String json, int line, int column, String path, String problem) {
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(json));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(path, e.jsonPath(), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("line " + line + ", column " + column + ", at " + path + ": "));
  }

  @Test
  void errorMessageFormatMatchesTheContractOnAMultiLineDocument() {
    String json =
        """
        {
          "network_policies": [
            { "network_policy_id": "a",
              "egress": { "network_access": { "restriction_mode": "FULL_ACCESS" } } },
            { "network_policy_id": "b",
              "egress": { "network_access": {
                  "restriction_mode": "FOO" } } }
          ]
        }
        """;
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(json));
    assertEquals(
        "line 7, column 31, at $.network_policies[1].egress.network_access.restriction_mode: "
            + "unknown value \"FOO\" (expected FULL_ACCESS or RESTRICTED_ACCESS)",
        e.getMessage());
  }

  @Test
  void duplicatePolicyId() {
    String json =
        """
        {"network_policies": [
          {"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "FULL_ACCESS"}}},
          {"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "FULL_ACCESS"}}}]}
        """;
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(json));
    assertEquals(3, e.line());
    assertEquals(25, e.column());
    assertEquals("$.network_policies[1].network_policy_id", e.jsonPath());
    assertTrue(e.getMessage().contains("duplicate network_policy_id \"a\""));
  }

  @Test
  void workspaceBoundToUnknownPolicyEvenWhenWorkspacesComeFirst() {
    String json =
        """
        {"workspaces": [{"workspace_id": 1, "network_policy_id": "nope"}],
         "network_policies": [{"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "FULL_ACCESS"}}}]}
        """;
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(json));
    assertEquals(1, e.line());
    assertEquals(58, e.column());
    assertEquals("$.workspaces[0].network_policy_id", e.jsonPath());
    assertTrue(e.getMessage().contains("unknown network policy \"nope\""), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      http://landing@lakeraw.dfs.core.windows.net/in | unsupported scheme
      abfss://landing@lakeraw.blob.core.windows.net/in | must name the dfs endpoint
      abfss://landing@evil.example.com/in | must be an Azure storage host
      s3://UPPER/x | invalid character
      gs://ab | 3 to 222
      landing | not a storage URL
      """)
  void invalidExternalLocationUrls(String url, String problem) {
    String json =
        "{\"workspaces\": [{\"workspace_id\": 1, \"unity_catalog\": {\"external_locations\": "
            + "[{\"name\": \"l\", \"url\": \""
            + url
            + "\"}]}}]}";
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(json));
    assertEquals("$.workspaces[0].unity_catalog.external_locations[0].url", e.jsonPath());
    assertEquals(1, e.line());
    assertEquals(99, e.column());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      abfss://c@acct.dfs.core.windows.net/p | AZURE_STORAGE | acct | dfs
      abfs://c@acct.dfs.core.windows.net | AZURE_STORAGE | acct | dfs
      wasbs://c@acct.blob.core.windows.net/p | AZURE_STORAGE | acct | blob
      wasb://c@acct.blob.core.chinacloudapi.cn/p | AZURE_STORAGE | acct | blob
      s3://my.bucket/p | AWS_S3 | my.bucket |
      s3a://bkt/p | AWS_S3 | bkt |
      s3n://bkt | AWS_S3 | bkt |
      gs://g_bucket/x | GOOGLE_CLOUD_STORAGE | g_bucket |
      """)
  void externalLocationUrls(String url, StorageType type, String name, String service) {
    StorageDestination d = StorageUrls.parse(url);
    assertEquals(type, d.type());
    assertEquals(
        name, type == StorageType.AZURE_STORAGE ? d.azureStorageAccount() : d.bucketName());
    assertEquals(service, d.azureStorageService());
  }

  @Test
  void invalidDeploymentHostAndDuplicateWorkspace() {
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () ->
                PolicyParser.parse(
                    "{\"workspaces\": [{\"workspace_id\": 1, \"deployment_hosts\": [\"bad host\"]}]}"));
    assertEquals("$.workspaces[0].deployment_hosts[0]", e.jsonPath());
    assertEquals(58, e.column());
    e =
        assertThrows(
            PolicyException.class,
            () ->
                PolicyParser.parse(
                    "{\"workspaces\": [{\"workspace_id\": 1}, {\"workspace_id\": 1}]}"));
    assertEquals("$.workspaces[1].workspace_id", e.jsonPath());
    assertTrue(e.getMessage().contains("duplicate workspace_id 1"));
  }

  @Test
  void nullOptionalFieldsAreAbsent() throws Exception {
    PolicyDocument doc =
        PolicyParser.parse(
            """
        {"network_policy_id": "a", "egress": {"network_access": {"restriction_mode": "RESTRICTED_ACCESS",
          "allowed_internet_destinations": null, "policy_enforcement": null}}}
        """);
    assertTrue(doc.networkPolicies().get(0).allowedInternetDestinations().isEmpty());
    assertNull(doc.platform().systemTablesStorage().isEmpty() ? null : "x");
  }

  @Test
  void hundredThousandDestinationsParseQuickly() throws Exception {
    StringBuilder b = new StringBuilder(4_000_000);
    b.append(
        "{\"network_policy_id\":\"big\",\"egress\":{\"network_access\":{\"restriction_mode\":\"RESTRICTED_ACCESS\","
            + "\"allowed_internet_destinations\":[");
    for (int i = 0; i < 100_000; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"destination\":\"host-")
          .append(i)
          .append(".example-")
          .append(i % 97)
          .append(".com\",\"internet_destination_type\":\"DNS_NAME\"}");
    }
    b.append("]}}}");
    String json = b.toString();
    assertTrue(json.length() > 1_000_000);
    PolicyParser.parse(
        json); // warm-up of the parser classes, as the agent's first parse would not be
    long t0 = System.nanoTime();
    PolicyDocument doc = PolicyParser.parse(json);
    long parseMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(100_000, doc.networkPolicies().get(0).allowedInternetDestinations().size());
    assertTrue(parseMs < 1000, "parse took " + parseMs + " ms");
    long t1 = System.nanoTime();
    PolicyEngine.compile(doc);
    long compileMs = (System.nanoTime() - t1) / 1_000_000;
    assertTrue(compileMs < 1000, "compile took " + compileMs + " ms");
  }
}
