package dev.egress.clientit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM's hosts file. Every name is a loopback address: nothing a client resolves can leave
 * the machine. Each client gets its own denied name ({@code <client>.evil.example.net}, all on
 * 127.0.0.3) and its own denied address literal (127.0.0.4x), so that each record says which
 * request made it.
 */
public final class ClientHosts {
  /** In the policy's allowed_internet_destinations. */
  public static final String ALLOWED = "allowed.example.com";

  public static final String ALLOWED_ADDRESS = "127.0.0.2";

  /** The host of the workspace's Unity Catalog connection "crm" (allowed). */
  public static final String UC_CONNECTION = "crm.db.example.com";

  public static final String UC_CONNECTION_ADDRESS = "127.0.0.7";

  /** Where every denied name points. */
  public static final String DENIED_ADDRESS = "127.0.0.3";

  /** The clients, in the order of their denied address literals. */
  public static final List<String> CLIENTS =
      List.of(
          "okhttp",
          "okhttp-async",
          "hc5",
          "hc5-async",
          "netty-nio",
          "netty-epoll",
          "grpc",
          "grpc-nio",
          "pg");

  private ClientHosts() {}

  /** The denied name of one client. */
  public static String deniedName(String client) {
    return client + ".evil.example.net";
  }

  /**
   * The denied address literal of one client (outside internal.cidrs=127.0.0.1/32, not in the
   * policy).
   */
  public static String deniedAddress(String client) {
    int i = CLIENTS.indexOf(client);
    if (i < 0) {
      throw new IllegalArgumentException(client);
    }
    return "127.0.0." + (40 + i);
  }

  public static String content() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ALLOWED, ALLOWED_ADDRESS);
    m.put(UC_CONNECTION, UC_CONNECTION_ADDRESS);
    for (String c : CLIENTS) {
      m.put(deniedName(c), DENIED_ADDRESS);
    }
    StringBuilder b = new StringBuilder("# written by the client-apps tests: loopback only\n");
    m.forEach((name, addr) -> b.append(addr).append(' ').append(name).append('\n'));
    return b.toString();
  }
}
