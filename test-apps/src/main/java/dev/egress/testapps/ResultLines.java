package dev.egress.testapps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code RESULT} lines every test program prints ({@link Probe}, the hostile and storage
 * programs), parsed by the tests' {@code ProbeResult}: {@code RESULT <label> OK <detail>}, or
 * {@code RESULT <label> DENIED|ERROR top=<class> egress=<class> types=<JDK types> msg=<message>},
 * DENIED when the throwable or a cause (the deepest one, also through suppressed exceptions) has a
 * message starting {@code Egress denied}; an ERROR also names the top throwable's cause ({@code
 * cause=}).
 */
public final class ResultLines {
  private ResultLines() {}

  /** What one action does; returns the OK detail. */
  @FunctionalInterface
  public interface Action {
    String run() throws Throwable;
  }

  public static void attempt(String label, Action action) {
    try {
      String detail = action.run();
      System.out.println("RESULT " + label + " OK " + oneLine(detail));
    } catch (Throwable t) {
      report(label, t);
    }
    System.out.flush();
  }

  public static void report(String label, Throwable t) {
    Throwable egress = deepestEgress(t, 0);
    Throwable subject = egress != null ? egress : t;
    System.out.println(
        "RESULT "
            + label
            + " "
            + (egress != null ? "DENIED" : "ERROR")
            + " top="
            + t.getClass().getName()
            + " egress="
            + (egress == null ? "-" : egress.getClass().getName())
            + " types="
            + jdkTypes(subject)
            + " msg="
            + oneLine(String.valueOf(subject.getMessage()))
            + (egress == null && t.getCause() != null
                ? " cause=" + oneLine(String.valueOf(t.getCause()))
                : ""));
    if (egress == null) {
      // an unexpected error: its stack goes to stderr for the test's failure message
      t.printStackTrace();
    }
  }

  private static Throwable deepestEgress(Throwable t, int depth) {
    Throwable found = null;
    for (Throwable c = t; c != null && depth < 50; c = c.getCause(), depth++) {
      if (c.getMessage() != null && c.getMessage().startsWith("Egress denied")) {
        found = c;
      }
      for (Throwable s : c.getSuppressed()) {
        Throwable inS = deepestEgress(s, depth + 1);
        if (inS != null && found == null) {
          found = inS;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return found;
  }

  private static String jdkTypes(Throwable t) {
    List<String> types = new ArrayList<>();
    for (Class<?> c :
        Arrays.asList(
            java.net.ConnectException.class,
            java.net.UnknownHostException.class,
            java.net.SocketException.class,
            java.net.http.HttpConnectTimeoutException.class,
            java.net.SocketTimeoutException.class,
            IOException.class)) {
      if (c.isInstance(t)) {
        types.add(c.getSimpleName());
      }
    }
    return types.isEmpty() ? "-" : String.join(",", types);
  }

  /** {@code s} on one line (null as empty). */
  public static String oneLine(String s) {
    return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
  }
}
