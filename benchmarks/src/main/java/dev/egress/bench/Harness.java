package dev.egress.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the same workloads with and without the agent, interleaved in one run, and prints the
 * ratios. Everything goes to loopback: a server on 127.0.0.2 that the child JVMs reach by the name
 * {@code allowed.bench.example} (mapped in a hosts file), which the benchmark policy allows, so the
 * with-agent runs take the full allowed decision path (a verified name, not the internal network).
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes dev.egress.bench.Harness <agent.jar> [rounds]}
 */
public final class Harness {
  private static final String HOST = "allowed.bench.example";
  private static final String ADDRESS = "127.0.0.2";

  public static void main(String[] args) throws Exception {
    Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/egress-agent.jar").toAbsolutePath();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    if (!Files.exists(agent)) {
      throw new IllegalArgumentException("no agent jar at " + agent + ": run mvn package first");
    }
    Path work = Files.createTempDirectory("egress-bench");
    Path hosts = work.resolve("hosts");
    Files.writeString(hosts, ADDRESS + " " + HOST + "\n");
    Path policy = work.resolve("policy.json");
    Files.writeString(
        policy,
        "{\"network_policy_id\":\"bench\",\"egress\":{\"network_access\":{"
            + "\"restriction_mode\":\"RESTRICTED_ACCESS\",\"allowed_internet_destinations\":["
            + "{\"destination\":\"" + HOST + "\",\"internet_destination_type\":\"DNS_NAME\"}]}}}");
    String agentArg =
        "-javaagent:" + agent + "=policy=" + policy + ",internal.cidrs=127.0.0.1/32,violations.log="
            + work.resolve("violations.jsonl");
    String classes = Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(ADDRESS, 0), 4096);
      Thread acceptor = new Thread(() -> acceptForever(server), "acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      String port = String.valueOf(server.getLocalPort());

      System.out.printf(Locale.ROOT, "java %s, %d rounds, %d cores%n", Runtime.version(),
          rounds, Runtime.getRuntime().availableProcessors());
      for (String kind : List.of("socket", "channel")) {
        double[] base = new double[rounds];
        double[] with = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          List<String> cmd = List.of(java, "-Djdk.net.hosts.file=" + hosts, "-cp", classes,
              ConnectLoop.class.getName(), kind, HOST, port, "20000", "50000");
          base[r] = resultOf(run(cmd, null));
          with[r] = resultOf(run(cmd, agentArg));
        }
        report("connect+close " + kind + " (ns/op)", base, with);
      }
      long[] hb = new long[rounds * 2];
      long[] hw = new long[rounds * 2];
      for (int r = 0; r < rounds * 2; r++) {
        List<String> cmd = List.of(java, "-cp", classes, Hello.class.getName());
        long t0 = System.nanoTime();
        run(cmd, null);
        hb[r] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        run(cmd, agentArg);
        hw[r] = System.nanoTime() - t0;
      }
      double mb = median(Arrays.stream(hb).asDoubleStream().toArray()) / 1e6;
      double mw = median(Arrays.stream(hw).asDoubleStream().toArray()) / 1e6;
      System.out.printf(Locale.ROOT, "%-34s without %8.1f  with %8.1f  added %+7.1f ms%n",
          "JVM start-up Hello (ms, median)", mb, mw, mw - mb);
    }
  }

  private static void report(String what, double[] base, double[] with) {
    double b = median(base);
    double w = median(with);
    System.out.printf(Locale.ROOT, "%-34s without %8.0f  with %8.0f  ratio %.3f%n", what, b, w, w / b);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double resultOf(List<String> lines) {
    for (String l : lines) {
      if (l.startsWith("RESULT ")) {
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException("no RESULT line in " + lines);
  }

  private static List<String> run(List<String> command, String agentArg) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command);
    if (agentArg != null) {
      cmd.add(1, agentArg);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        lines.add(l);
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("child failed: " + cmd + "\n" + String.join("\n", lines));
    }
    return lines;
  }

  private static void acceptForever(ServerSocket server) {
    while (true) {
      try (Socket s = server.accept()) {
        // accept and close: the client measures connect+close
      } catch (IOException e) {
        return;
      }
    }
  }
}
