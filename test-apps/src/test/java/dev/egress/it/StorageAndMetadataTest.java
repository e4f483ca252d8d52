package dev.egress.it;

import static dev.egress.it.Records.requireBlocked;
import static dev.egress.it.Records.requireOk;
import static dev.egress.it.Records.requireReason;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who asks matters (SPEC section 5): {@code UserCode} runs {@code Probe} from a fresh
 * URLClassLoader, as a notebook cell or a jar added at run time would run; plain {@code Probe} on
 * the class path is platform code.
 */
class StorageAndMetadataTest {
  static final String USER_CODE = "dev.egress.testapps.UserCode";
  static final String PROBE = "dev.egress.testapps.Probe";

  @TempDir Path dir;

  private static String[] userCode(String... actions) {
    String[] a = new String[actions.length + 1];
    a[0] = PROBE;
    System.arraycopy(actions, 0, a, 1, actions.length);
    return a;
  }

  @Test
  void userCodeMayNotOpenStorageDirectlyButPlatformCodeMay() throws Exception {
    try (TcpServer lake = TcpServer.start(Hosts.address(Hosts.LAKEPROD));
        TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED))) {
      String s = "socket:" + Hosts.LAKEPROD + ":" + lake.port();
      String a = "socket:" + Hosts.ALLOWED + ":" + allowed.port();
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result user =
          AgentJvm.standard(dir.resolve("user"), policy)
              .agentArg("violations.log", dir.resolve("user.log").toString())
              .violationsLog(dir.resolve("user.log"))
              .main(USER_CODE, userCode(s, a))
              .run();
      assertAll(
          () -> requireBlocked(user, s),
          () -> requireOk(user, a),
          () -> assertEquals(0, lake.accepted(), "user code reached storage directly"));
      JsonNode r = Records.requireStorage(user, Hosts.LAKEPROD, "direct-storage-access");
      assertTrue(
          r.path("caller").path("user_code").asBoolean(false),
          "caller.user_code\n" + user.describe());
      assertEquals(PROBE, r.path("caller").path("class").asText(), user.describe());

      AgentJvm.Result platform =
          AgentJvm.standard(dir.resolve("platform"), policy)
              .agentArg("violations.log", dir.resolve("platform.log").toString())
              .violationsLog(dir.resolve("platform.log"))
              .probe(s)
              .run();
      requireOk(platform, s);
      assertEquals(1, lake.awaitAccepted(1));
    }
  }

  @Test
  void storageNotInThePolicyIsDeniedEvenToPlatformCode() throws Exception {
    try (TcpServer other = TcpServer.start(Hosts.address(Hosts.OTHER_STORAGE))) {
      String s = "socket:" + Hosts.OTHER_STORAGE + ":" + other.port();
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run = AgentJvm.standard(dir, policy).probe(s).run();
      requireBlocked(run, s);
      assertEquals(0, other.accepted());
      Records.requireStorage(run, Hosts.OTHER_STORAGE, "storage-not-allowed");
    }
  }

  /**
   * Cloud metadata endpoints are denied to user code even under FULL_ACCESS. These addresses are
   * not loopback: the child runs in a network namespace that has nothing but loopback.
   */
  @Test
  void metadataEndpointsAreDeniedToUserCodeUnderFullAccess() {
    List<String> targets =
        List.of(
            "socket:169.254.169.254:80",
            "urlconn:http://169.254.169.254/latest/meta-data/",
            "socket:[::ffff:169.254.169.254]:80",
            "socket:169.254.170.2:80",
            "socket:168.63.129.16:80",
            "socket:100.100.100.200:80",
            "socket:[fd00:ec2::254]:80");
    String byName = "socket:" + Hosts.METADATA_NAME + ":80";
    List<String> actions = new ArrayList<>(targets);
    actions.add(byName);
    Path policy = Policies.write(dir, "full.json", Policies.bareFullAccess("open"));
    AgentJvm.Result run =
        AgentJvm.standard(dir, policy)
            .loopbackOnlyNetns()
            .main(USER_CODE, userCode(actions.toArray(new String[0])))
            .run();
    List<Executable> checks = new ArrayList<>();
    for (String t : targets) {
      checks.add(() -> Records.requireDenied(run, t, "ConnectException"));
    }
    checks.add(() -> requireBlocked(run, byName));
    checks.add(() -> requireReason(run, "169.254.169.254", "metadata-endpoint"));
    checks.add(() -> requireReason(run, Hosts.METADATA_NAME, "metadata-endpoint"));
    checks.add(
        () ->
            assertEquals(
                actions.size(),
                Records.countSum(
                    Records.matching(
                        run, r -> "metadata-endpoint".equals(r.path("reason").asText()))),
                "one metadata-endpoint violation per attempt\n" + run.describe()));
    assertAll(checks);
    for (JsonNode r : run.records()) {
      assertTrue(r.path("caller").path("user_code").asBoolean(false), r.toString());
    }
    assertEquals(0, run.exitCode, run.describe());
  }

  @Test
  void metadataEndpointIsDeniedToPlatformCodeUnderRestrictedAccess() {
    String t = "socket:169.254.169.254:80";
    Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
    AgentJvm.Result run = AgentJvm.standard(dir, policy).loopbackOnlyNetns().probe(t).run();
    Records.requireDenied(run, t, "ConnectException");
    String reason = Records.requireFor(run, "169.254.169.254").get(0).path("reason").asText();
    assertTrue(reason.equals("metadata-endpoint") || reason.equals("not-allowed"), run.describe());
  }
}
