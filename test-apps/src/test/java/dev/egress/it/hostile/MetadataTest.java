package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud metadata endpoints under FULL_ACCESS from user code (the one thing FULL_ACCESS still
 * denies), by alias names, spellings and forged names. Non-loopback addresses: the child runs in a
 * loopback-only network namespace.
 */
class MetadataTest {
  @TempDir Path dir;

  private AgentJvm fullAccessNetns(String extraHosts) {
    return H.jvm(dir, H.fullAccessPolicy(dir)).loopbackOnlyNetns().hosts(H.hosts() + extraHosts);
  }

  /**
   * An attacker-controlled name that resolves to 169.254.169.254 is allowed as a name, denied as an
   * address.
   */
  @Test
  void attackerNamesResolvingToMetadataAreDeniedAtTheConnect() {
    String alias = "imds.attacker.example";
    String aliasV6 = "imds6.attacker.example";
    String byAlias = a("socket", alias, 80);
    String byAliasV6 = a("socket", aliasV6, 80);
    AgentJvm.Result run =
        H.runUser(
            fullAccessNetns("169.254.169.254 " + alias + "\nfd00:ec2::254 " + aliasV6 + "\n"),
            byAlias,
            byAliasV6);
    assertAll(
        () -> H.denied(run, byAlias, "ConnectException"),
        () -> H.denied(run, byAliasV6, "ConnectException"),
        () -> H.record(run, "169.254.169.254", "metadata-endpoint", "TCP"));
  }

  @Test
  void metadataNamesInAnySpellingAreDenied() {
    List<String> actions = new ArrayList<>();
    for (String name :
        List.of(
            "METADATA.GOOGLE.INTERNAL.",
            "metadata",
            "metadata.goog",
            "Instance-Data",
            "\uff4d\uff45\uff54\uff41\uff44\uff41\uff54\uff41.google.internal")) {
      actions.add(a("socket", name, 80));
    }
    String hosts =
        "169.254.169.254 METADATA.GOOGLE.INTERNAL. metadata metadata.goog Instance-Data "
            + "\uff4d\uff45\uff54\uff41\uff44\uff41\uff54\uff41.google.internal\n";
    AgentJvm.Result run = H.runUser(fullAccessNetns(hosts), actions.toArray(new String[0]));
    List<Executable> checks = new ArrayList<>();
    for (String action : actions) {
      checks.add(() -> H.blocked(run, action));
    }
    checks.add(
        () ->
            assertTrue(
                run.records().stream()
                    .allMatch(r -> r.path("reason").asText().equals("metadata-endpoint")),
                run.describe()));
    checks.add(() -> H.record(run, Hosts.METADATA_NAME, "metadata-endpoint"));
    assertAll(checks);
  }

  @Test
  void allowedNamesForgedOntoMetadataAddressesAreDenied() {
    String forged = a("forged", Hosts.ALLOWED, "169.254.169.254", 80);
    String forgedAzure = a("forged", "localhost", "168.63.129.16", 80);
    String forgedEcs = a("forged", Hosts.METADATA_NAME, "169.254.170.2", 80);
    AgentJvm.Result run = H.runUser(fullAccessNetns(""), forged, forgedAzure, forgedEcs);
    assertAll(
        () -> H.denied(run, forged, "ConnectException"),
        () -> H.denied(run, forgedAzure, "ConnectException"),
        () -> H.denied(run, forgedEcs, "ConnectException"),
        () -> H.record(run, "169.254.169.254", "metadata-endpoint"),
        () -> H.record(run, "168.63.129.16", "metadata-endpoint"));
  }

  /**
   * UDP to the metadata address (AWS DNS at 169.254.169.253 is metadata-adjacent; IMDS itself is
   * TCP).
   */
  @Test
  void udpToTheMetadataAddressIsDenied() {
    String udp = a("udp-dns", "169.254.169.254", 53, "x.attacker.example");
    AgentJvm.Result run = H.runUser(fullAccessNetns(""), udp);
    H.denied(run, udp, "SocketException");
    H.record(run, "169.254.169.254", "metadata-endpoint", "UDP");
  }
}
