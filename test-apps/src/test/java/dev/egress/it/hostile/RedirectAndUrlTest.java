package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.HttpTestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redirects from an allowed host to a denied one, and URL-parser confusions. The agent decides on
 * the address each hop actually connects to, never on a parsed URL string.
 */
class RedirectAndUrlTest {
  @TempDir Path dir;

  private static String redirect(HttpTestServer from, String to) {
    return from.url(Hosts.ALLOWED, "/redirect?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
  }

  @Test
  void httpUrlConnectionRedirectToADeniedHostIsDenied() {
    try (HttpTestServer allowed = HttpTestServer.start(Hosts.address(Hosts.ALLOWED));
        HttpTestServer evil = HttpTestServer.start(Hosts.address(Hosts.EVIL))) {
      String byName = a("urlconn", redirect(allowed, evil.url(Hosts.EVIL, "/exfil")));
      String byLiteral = a("urlconn", redirect(allowed, evil.url("127.0.0.3", "/exfil")));
      String byDecimal = a("urlconn", redirect(allowed, evil.url("2130706435", "/exfil")));
      AgentJvm.Result run = H.runUser(H.jvm(dir), byName, byLiteral, byDecimal);
      assertAll(
          () -> H.blocked(run, byName),
          () -> H.denied(run, byLiteral, "ConnectException"),
          () -> H.denied(run, byDecimal, "ConnectException"),
          () -> assertEquals(0, evil.requests(), "a redirect reached the denied server"),
          () -> assertEquals(3, allowed.requests(), "the allowed first hop is served"),
          () -> H.record(run, Hosts.EVIL, "not-allowed"),
          () -> H.record(run, "127.0.0.3", "not-allowed", "TCP"));
    }
  }

  @Test
  void httpClientRedirectNormalToADeniedHostIsDenied() {
    try (HttpTestServer allowed = HttpTestServer.start(Hosts.address(Hosts.ALLOWED));
        HttpTestServer evil = HttpTestServer.start(Hosts.address(Hosts.EVIL))) {
      String byName = a("redirect-client", redirect(allowed, evil.url(Hosts.EVIL, "/exfil")));
      String byLiteral = a("redirect-client", redirect(allowed, evil.url("127.0.0.3", "/exfil")));
      AgentJvm.Result run = H.runUser(H.jvm(dir), byName, byLiteral);
      assertAll(
          () -> H.blocked(run, byName),
          () -> H.denied(run, byLiteral, "ConnectException"),
          () -> assertEquals(0, evil.requests(), "a redirect reached the denied server"),
          () -> H.record(run, Hosts.EVIL, "not-allowed"),
          () -> H.record(run, "127.0.0.3", "not-allowed", "TCP"));
    }
  }

  /**
   * {@code http://evil.example.net\@allowed.example.com/}: java.net.URL takes allowed.example.com
   * as the host (URI refuses the string). Whatever the parser decides, the request goes where the
   * socket goes: here the allowed server, which is fine; the denied server sees nothing.
   */
  @Test
  void backslashAtConfusionConnectsWhereTheParserSaysAndNowhereElse() {
    try (HttpTestServer allowed = HttpTestServer.start(Hosts.address(Hosts.ALLOWED));
        HttpTestServer evil = HttpTestServer.start(Hosts.address(Hosts.EVIL))) {
      String confused =
          a(
              "urlconn",
              "http://"
                  + Hosts.EVIL
                  + ":"
                  + evil.port()
                  + "\\@"
                  + Hosts.ALLOWED
                  + ":"
                  + allowed.port()
                  + "/");
      String client =
          a(
              "redirect-client",
              "http://" + Hosts.EVIL + "\\@" + Hosts.ALLOWED + ":" + allowed.port() + "/");
      AgentJvm.Result run = H.runUser(H.jvm(dir), confused, client);
      assertAll(
          () ->
              assertTrue(
                  !run.result(client).ok(), "URI refuses the backslash: " + run.result(client)),
          () -> assertEquals(0, evil.requests(), "the parser confusion reached the denied server"),
          () -> {
            if (run.result(confused).ok()) {
              assertEquals(1, allowed.requests(), "it went to the allowed host");
            }
          });
    }
  }

  @Test
  void userinfoAndPercentEncodedHostsDoNotReachTheDeniedServer() {
    try (HttpTestServer allowed = HttpTestServer.start(Hosts.address(Hosts.ALLOWED));
        HttpTestServer evil = HttpTestServer.start(Hosts.address(Hosts.EVIL))) {
      String userinfo =
          a("urlconn", "http://" + Hosts.ALLOWED + "@" + Hosts.EVIL + ":" + evil.port() + "/");
      String userinfoClient =
          a(
              "redirect-client",
              "http://" + Hosts.ALLOWED + "@" + Hosts.EVIL + ":" + evil.port() + "/");
      String percent = a("urlconn", "http://%65vil.example.net:" + evil.port() + "/");
      String percentClient = a("redirect-client", "http://%65vil.example.net:" + evil.port() + "/");
      String trailingDot =
          a("redirect-client", "http://" + Hosts.EVIL_UPPER_DOT + ":" + evil.port() + "/");
      AgentJvm.Result run =
          H.runUser(H.jvm(dir), userinfo, userinfoClient, percent, percentClient, trailingDot);
      assertAll(
          () -> H.blocked(run, userinfo),
          () -> H.blocked(run, userinfoClient),
          () -> H.notOk(run, percent),
          () -> H.notOk(run, percentClient),
          () -> H.blocked(run, trailingDot),
          () -> assertEquals(0, evil.requests(), "a confused URL reached the denied server"),
          () -> assertEquals(0, allowed.requests()),
          () -> H.record(run, Hosts.EVIL, "not-allowed"));
    }
  }
}
