package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that a string comparison would get wrong. The hosts file resolves every hostile spelling to
 * the denied server (127.0.0.3), so without the agent each attack would connect.
 */
class NameCanonicalizationTest {
  @TempDir Path dir;

  @Test
  void caseAndTrailingDotDoNotHideADeniedName() {
    try (TcpServer evil = TcpServer.start("127.0.0.3");
        TcpServer evil15 = TcpServer.start("127.0.0.15")) {
      String mixed = a("socket", H.MIXED_EVIL, evil.port());
      String upperDot = a("socket", Hosts.EVIL_UPPER_DOT, evil15.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), mixed, upperDot);
      assertAll(
          () -> H.blocked(run, mixed),
          () -> H.blocked(run, upperDot),
          () ->
              assertEquals(
                  0, evil.accepted() + evil15.accepted(), "a case/dot spelling reached the server"),
          () ->
              assertEquals(
                  2,
                  H.records(run, r -> r.path("destination").asText().equals(Hosts.EVIL)).stream()
                      .mapToLong(r -> r.path("count").asLong())
                      .sum(),
                  "both spellings recorded under the canonical name\n" + run.describe()));
    }
  }

  @Test
  void caseAndTrailingDotOfAnAllowedNameStayAllowed() {
    try (TcpServer upper = TcpServer.start("127.0.0.12");
        TcpServer dot = TcpServer.start("127.0.0.13")) {
      String u = a("socket", Hosts.ALLOWED_UPPER, upper.port());
      String d = a("socket", Hosts.ALLOWED_DOT, dot.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), u, d);
      H.ok(run, u);
      H.ok(run, d);
      assertTrue(run.records().isEmpty(), run.describe());
    }
  }

  /**
   * "аllowed.example.com" with a Cyrillic 'а' is another name (xn--llowed-2nf.example.com), not the
   * allowed one.
   */
  @Test
  void idnHomoglyphOfAnAllowedNameIsDenied() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String lookup = a("lookup", H.HOMOGLYPH);
      String connect = a("socket", H.HOMOGLYPH, evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), lookup, connect);
      assertAll(
          () -> H.denied(run, lookup, "UnknownHostException"),
          () -> H.blocked(run, connect),
          () -> assertEquals(0, evil.accepted()),
          () -> H.record(run, H.HOMOGLYPH_ACE, "not-allowed", "DNS"));
    }
  }

  /** Fullwidth letters map to ASCII (IDNA): "ｅｖｉｌ.example.net" is evil.example.net, denied. */
  @Test
  void fullwidthSpellingOfADeniedNameIsDenied() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String lookup = a("lookup", H.FULLWIDTH_EVIL);
      String connect = a("socket", H.FULLWIDTH_EVIL, evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), lookup, connect);
      assertAll(
          () -> H.denied(run, lookup, "UnknownHostException"),
          () -> H.blocked(run, connect),
          () -> assertEquals(0, evil.accepted()),
          () -> H.record(run, Hosts.EVIL, "not-allowed", "DNS"));
    }
  }

  @Test
  void underscoreNamesAreJudgedLikeAnyOther() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String underscore = a("socket", H.UNDERSCORE_EVIL, evil.port());
      String service = a("lookup", "_dmarc.attacker.example");
      AgentJvm.Result run = H.runUser(H.jvm(dir), underscore, service);
      assertAll(
          () -> H.blocked(run, underscore),
          () -> H.denied(run, service, "UnknownHostException"),
          () -> assertEquals(0, evil.accepted()),
          () -> H.record(run, H.UNDERSCORE_EVIL, "not-allowed", "DNS"),
          () -> H.record(run, "_dmarc.attacker.example", "not-allowed", "DNS"));
    }
  }

  /**
   * A 64-character label and a 321-character name under the allowed wildcard *.wild.example.org:
   * not valid DNS names, so they match nothing; the hosts file resolves them, so only the agent
   * stands in the way.
   */
  @Test
  void overlongLabelsAndNamesUnderAnAllowedWildcardAreDenied() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String label = a("socket", H.LONG_LABEL, evil.port());
      String name = a("socket", H.LONG_NAME, evil.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), label, name);
      assertAll(
          () -> H.blocked(run, label),
          () -> H.blocked(run, name),
          () -> assertEquals(0, evil.accepted(), "an over-long name reached the server"));
      for (JsonNode r : run.records()) {
        assertTrue(r.path("destination").asText().length() <= 253, "destination is bounded: " + r);
        assertEquals("not-allowed", r.path("reason").asText(), r.toString());
      }
      assertTrue(run.records().size() >= 2, run.describe());
    }
  }
}
