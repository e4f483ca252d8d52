package dev.egress.it.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.Policies;
import dev.egress.it.ProbeResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Shared pieces of the hostile suite: the attack program run as user code, the policies, extra
 * hosts-file names, and assertions on RESULT lines and violation records.
 */
final class H {
  static final String USER_CODE = "dev.egress.testapps.UserCode";
  static final String HOSTILE = "dev.egress.testapps.hostile.Hostile";

  /** Names the hostile tests add to the standard hosts file (all loopback). */
  static final String REBIND_ADDRESS = "127.0.0.21";

  static final String HOMOGLYPH = "\u0430llowed.example.com"; // Cyrillic small a
  static final String HOMOGLYPH_ACE = "xn--llowed-2nf.example.com";
  static final String FULLWIDTH_EVIL = "\uff45\uff56\uff49\uff4c.example.net"; // "ｅｖｉｌ"
  static final String MIXED_EVIL = "Evil.Example.Net";
  static final String UNDERSCORE_EVIL = "a_b.evil.example.net";
  static final String LONG_LABEL = "x".repeat(64) + ".wild.example.org";
  static final String LONG_NAME =
      ("a".repeat(60) + ".").repeat(5) + "wild.example.org"; // 321 chars
  static final String EVIL_ON_ALLOWED_ADDRESS = "fronted.evil.example.net";

  private H() {}

  /**
   * The standard hosts file plus the hostile names; {@code allowed.example.com} also has
   * 127.0.0.21.
   */
  static String hosts() {
    StringBuilder b = new StringBuilder(Hosts.content());
    b.append(REBIND_ADDRESS).append(' ').append(Hosts.ALLOWED).append('\n');
    b.append("127.0.0.3 ").append(HOMOGLYPH).append('\n');
    b.append("127.0.0.3 ").append(FULLWIDTH_EVIL).append('\n');
    b.append("127.0.0.3 ").append(MIXED_EVIL).append('\n');
    b.append("127.0.0.3 ").append(UNDERSCORE_EVIL).append('\n');
    b.append("127.0.0.3 ").append(LONG_LABEL).append('\n');
    b.append("127.0.0.3 ").append(LONG_NAME).append('\n');
    b.append("127.0.0.2 ").append(EVIL_ON_ALLOWED_ADDRESS).append('\n');
    return b.toString();
  }

  static Path restrictedPolicy(Path dir) {
    return Policies.write(dir, "policy.json", Policies.standardSet());
  }

  static Path fullAccessPolicy(Path dir) {
    return Policies.write(dir, "full.json", Policies.bareFullAccess("open"));
  }

  /** A child JVM under the restricted policy with the hostile hosts file. */
  static AgentJvm jvm(Path dir) {
    mkdirs(dir);
    return AgentJvm.standard(dir, restrictedPolicy(dir)).hosts(hosts());
  }

  static AgentJvm jvm(Path dir, Path policy) {
    mkdirs(dir);
    return AgentJvm.standard(dir, policy).hosts(hosts());
  }

  static void mkdirs(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Arguments for {@code UserCode}: the attack program runs as user code (a notebook cell). */
  static String[] user(String... actions) {
    String[] a = new String[actions.length + 1];
    a[0] = HOSTILE;
    System.arraycopy(actions, 0, a, 1, actions.length);
    return a;
  }

  static AgentJvm.Result runUser(AgentJvm jvm, String... actions) {
    return jvm.main(USER_CODE, user(actions)).run();
  }

  /** {@code kind|field|field...}: an action of the attack program. */
  static String a(Object... fields) {
    return java.util.Arrays.stream(fields).map(String::valueOf).collect(Collectors.joining("|"));
  }

  // --- RESULT lines
  // ----------------------------------------------------------------------------------

  static void denied(AgentJvm.Result run, String label, String jdkType) {
    ProbeResult r = run.result(label);
    assertEquals(
        "DENIED",
        r.status,
        label + ": expected an egress denial, got " + r + "\n" + run.describe());
    assertTrue(r.message.startsWith("Egress denied"), label + ": message " + r.message);
    if (jdkType != null) {
      assertTrue(
          r.hasType(jdkType),
          label + ": denial is not a " + jdkType + " (types " + r.types + ")\n" + run.describe());
    }
  }

  static void ok(AgentJvm.Result run, String label) {
    ProbeResult r = run.result(label);
    assertEquals("OK", r.status, label + ": expected OK, got " + r + "\n" + run.describe());
  }

  /** The attempt did not succeed, for whatever reason (denied, or refused by the JDK itself). */
  static void notOk(AgentJvm.Result run, String label) {
    ProbeResult r = run.result(label);
    assertFalse(r.ok(), label + ": the attack succeeded: " + r + "\n" + run.describe());
  }

  /** Denied, or the JDK's own UnknownHostException after a denied lookup. */
  static void blocked(AgentJvm.Result run, String label) {
    ProbeResult r = run.result(label);
    assertTrue(
        r.denied() || (r.status.equals("ERROR") && r.hasType("UnknownHostException")),
        label + ": expected a denial, got " + r + "\n" + run.describe());
  }

  /** A line the child printed starting with {@code prefix}, or null. */
  static String line(AgentJvm.Result run, String prefix) {
    return run.stdout.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
  }

  // --- records
  // ---------------------------------------------------------------------------------------

  static List<JsonNode> records(AgentJvm.Result run, Predicate<JsonNode> p) {
    return run.records().stream().filter(p).collect(Collectors.toList());
  }

  /** A DROP record for {@code destination} with {@code reason}; returns it. */
  static JsonNode record(AgentJvm.Result run, String destination, String reason) {
    List<JsonNode> found = run.recordsFor(destination);
    assertFalse(
        found.isEmpty(), "expected a violation record for " + destination + "\n" + run.describe());
    JsonNode r =
        found.stream()
            .filter(x -> reason == null || reason.equals(x.path("reason").asText()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "records for "
                            + destination
                            + " have reasons "
                            + found.stream()
                                .map(x -> x.path("reason").asText())
                                .collect(Collectors.toList())
                            + ", expected "
                            + reason
                            + "\n"
                            + run.describe()));
    assertEquals("DROP", r.path("access_type").asText(), r.toString());
    return r;
  }

  static JsonNode record(AgentJvm.Result run, String destination, String reason, String protocol) {
    JsonNode r = record(run, destination, reason);
    assertEquals(protocol, r.path("protocol").asText(), "protocol of " + r);
    return r;
  }

  /** The record names user code as the caller. */
  static void userCaller(JsonNode r) {
    assertTrue(r.path("caller").path("user_code").asBoolean(false), "caller.user_code of " + r);
  }

  static Map<String, String> hostsMap() {
    return Hosts.ADDRESS;
  }
}
