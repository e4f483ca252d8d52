package dev.egress.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** The test names and the loopback address each one resolves to in the child JVM's hosts file. */
public final class Hosts {
  public static final String ALLOWED = "allowed.example.com";
  public static final String EVIL = "evil.example.net";
  public static final String LAKEPROD = "lakeprod.dfs.core.windows.net";
  public static final String OWN_WORKSPACE = "adb-1234.5.azuredatabricks.net";
  public static final String OTHER_WORKSPACE = "adb-9999.1.azuredatabricks.net";
  public static final String UC_CONNECTION = "crm.db.example.com";
  public static final String ALLOWED_WORKSPACE = "adb-5678.2.azuredatabricks.net";
  public static final String WILD_ONE = "pkg.wild.example.org";
  public static final String WILD_DEEP = "a.b.wild.example.org";
  public static final String WILD_APEX = "wild.example.org";
  public static final String ALLOWED_UPPER = "ALLOWED.EXAMPLE.COM";
  public static final String ALLOWED_DOT = "allowed.example.com.";
  public static final String WILD_BLOCKED = "blocked.wild.example.org";
  public static final String EVIL_UPPER_DOT = "EVIL.EXAMPLE.NET.";
  public static final String OWN_DEPLOYMENT = "ws1234.deploy.example.com";
  public static final String OTHER_DEPLOYMENT = "ws9999.deploy.example.com";
  public static final String METADATA_NAME = "metadata.google.internal";
  public static final String WILD_MIXED_DOT = "Pkg.Wild.Example.Org.";
  public static final String OTHER_STORAGE = "otherlake.dfs.core.windows.net";

  /** name → address; every address is a distinct 127.0.0.x so a server can stand behind each. */
  public static final Map<String, String> ADDRESS = new LinkedHashMap<>();

  static {
    ADDRESS.put(ALLOWED, "127.0.0.2");
    ADDRESS.put(EVIL, "127.0.0.3");
    ADDRESS.put(LAKEPROD, "127.0.0.4");
    ADDRESS.put(OWN_WORKSPACE, "127.0.0.5");
    ADDRESS.put(OTHER_WORKSPACE, "127.0.0.6");
    ADDRESS.put(UC_CONNECTION, "127.0.0.7");
    ADDRESS.put(ALLOWED_WORKSPACE, "127.0.0.8");
    ADDRESS.put(WILD_ONE, "127.0.0.9");
    ADDRESS.put(WILD_DEEP, "127.0.0.10");
    ADDRESS.put(WILD_APEX, "127.0.0.11");
    ADDRESS.put(ALLOWED_UPPER, "127.0.0.12");
    ADDRESS.put(ALLOWED_DOT, "127.0.0.13");
    ADDRESS.put(WILD_BLOCKED, "127.0.0.14");
    ADDRESS.put(EVIL_UPPER_DOT, "127.0.0.15");
    ADDRESS.put(OWN_DEPLOYMENT, "127.0.0.16");
    ADDRESS.put(OTHER_DEPLOYMENT, "127.0.0.17");
    ADDRESS.put(METADATA_NAME, "127.0.0.18");
    ADDRESS.put(WILD_MIXED_DOT, "127.0.0.19");
    ADDRESS.put(OTHER_STORAGE, "127.0.0.20");
  }

  private Hosts() {}

  public static String address(String name) {
    String a = ADDRESS.get(name);
    if (a == null) {
      throw new IllegalArgumentException("not a test name: " + name);
    }
    return a;
  }

  /** The hosts file: one {@code address name} line per test name. */
  public static String content() {
    StringBuilder b =
        new StringBuilder("# written by the egress integration tests: loopback only\n");
    ADDRESS.forEach((name, addr) -> b.append(addr).append(' ').append(name).append('\n'));
    return b.toString();
  }
}
