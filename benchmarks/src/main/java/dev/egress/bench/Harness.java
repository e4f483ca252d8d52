package dev.egress.bench;

import com.sun.net.httpserver.HttpServer;
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
 * <p>Usage: {@code java -cp benchmarks/target/classes dev.egress.bench.Harness <agent.jar>
 * [rounds]}. It checks all five budgets of issue 7 (the two on single decisions through {@code
 * BudgetCheck}, JMH, in a child) and exits 1 when one is missed.
 */
public final class Harness {
  private static final String HOST = "allowed.bench.example";
  private static final String ADDRESS = "127.0.0.2";

  public static void main(String[] args) throws Exception {
    Path agent =
        Path.of(args.length > 0 ? args[0] : "agent/target/egress-agent.jar").toAbsolutePath();
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
            + "{\"destination\":\""
            + HOST
            + "\",\"internet_destination_type\":\"DNS_NAME\"}]}}}");
    String agentArg =
        "-javaagent:"
            + agent
            + "=policy="
            + policy
            + ",internal.cidrs=127.0.0.1/32,violations.log="
            + work.resolve("violations.jsonl");
    String classes =
        Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    Path bigPolicy = work.resolve("policy-100k.json");
    StringBuilder big =
        new StringBuilder(
            "{\"network_policy_id\":\"big\",\"egress\":{\"network_access\":{"
                + "\"restriction_mode\":\"RESTRICTED_ACCESS\",\"allowed_internet_destinations\":["
                + "{\"destination\":\""
                + HOST
                + "\",\"internet_destination_type\":\"DNS_NAME\"}");
    for (int i = 0; i < 100_000; i++) {
      big.append(",{\"destination\":\"host")
          .append(i)
          .append(".dept")
          .append(i % 97)
          .append(".example.com\",\"internet_destination_type\":\"DNS_NAME\"}");
    }
    big.append("]}}}");
    Files.writeString(bigPolicy, big);
    String bigAgentArg =
        "-javaagent:"
            + agent
            + "=policy="
            + bigPolicy
            + ",internal.cidrs=127.0.0.1/32,violations.log="
            + work.resolve("violations-big.jsonl");
    String hostsOpt = "-Djdk.net.hosts.file=" + hosts;
    List<String> missed = new ArrayList<>();

    HttpServer http = HttpServer.create(new InetSocketAddress(ADDRESS, 0), 0);
    http.createContext(
        "/",
        ex -> {
          ex.getResponseHeaders().add("Connection", "close"); // every request on a new connection
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    http.start();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(ADDRESS, 0), 4096);
      Thread acceptor = new Thread(() -> acceptForever(server), "acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      String port = String.valueOf(server.getLocalPort());
      String url = "http://" + HOST + ":" + http.getAddress().getPort() + "/";

      System.out.printf(
          Locale.ROOT,
          "java %s, %d rounds, %d cores%n",
          Runtime.version(),
          rounds,
          Runtime.getRuntime().availableProcessors());
      // The connect budget (2 %) is finer than the spread between two JVMs of the same side here
      // (up to 10 % between single runs, either sign): many child runs, and a verdict on the paired
      // ratios' median with its 95 % interval, missed only when even the interval's low end is
      // over.
      int connectRounds = 4 * rounds;
      for (String kind : List.of("socket", "channel")) {
        double[] ratio =
            compare(
                "connect+close " + kind + " (ns/op)",
                connectRounds,
                agentArg,
                List.of(
                    java,
                    hostsOpt,
                    "-cp",
                    classes,
                    ConnectLoop.class.getName(),
                    kind,
                    HOST,
                    port,
                    "20000",
                    "20000"));
        if (ratio[1] > 1.02) {
          missed.add(
              String.format(
                  Locale.ROOT,
                  "connect %s ratio %.3f (95 %% interval %.3f-%.3f) > 1.02",
                  kind,
                  ratio[0],
                  ratio[1],
                  ratio[2]));
        }
      }
      compare(
          "HttpClient GET, new connection (ns/op)",
          rounds,
          agentArg,
          List.of(
              java,
              hostsOpt,
              "-cp",
              classes,
              Workloads.class.getName(),
              "http",
              url,
              "500",
              "2000"));
      compare(
          "name lookup, cache off (ns/op)",
          rounds,
          agentArg,
          List.of(
              java,
              hostsOpt,
              "-Dnetworkaddress.cache.ttl=0",
              "-cp",
              classes,
              Workloads.class.getName(),
              "lookup",
              HOST,
              "20000"));

      long[] hb = new long[rounds * 2];
      long[] hw = new long[rounds * 2];
      String emptyAgentArg = "-javaagent:" + emptyAgentJar(work);
      long[] he = new long[rounds * 2];
      for (int r = 0; r < rounds * 2; r++) {
        List<String> cmd = List.of(java, "-cp", classes, Hello.class.getName());
        long t0 = System.nanoTime();
        run(cmd, null);
        hb[r] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        run(cmd, agentArg);
        hw[r] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        run(cmd, emptyAgentArg);
        he[r] = System.nanoTime() - t0;
      }
      double mb = median(Arrays.stream(hb).asDoubleStream().toArray()) / 1e6;
      double mw = median(Arrays.stream(hw).asDoubleStream().toArray()) / 1e6;
      double me = median(Arrays.stream(he).asDoubleStream().toArray()) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "%-40s without %8.1f  with %8.1f  added %+7.1f ms (an empty -javaagent alone: %+.1f ms)%n",
          "JVM start-up Hello (ms, median)",
          mb,
          mw,
          mw - mb,
          me - mb);
      if (mw - mb > 100) {
        missed.add(String.format(Locale.ROOT, "start-up added %.1f ms > 100 ms", mw - mb));
      }

      String storm =
          resultLine(
              run(
                  List.of(
                      java,
                      hostsOpt,
                      "-Xmx256m",
                      "-cp",
                      classes,
                      Workloads.class.getName(),
                      "storm",
                      "evil.bench.example",
                      port,
                      "8",
                      "125000"),
                  agentArg));
      System.out.printf(Locale.ROOT, "%-40s %s%n", "storm of 1,000,000 denials, 8 threads", storm);

      long[] base =
          footprint(
              run(
                  List.of(
                      java,
                      hostsOpt,
                      "-cp",
                      classes,
                      Workloads.class.getName(),
                      "footprint",
                      HOST,
                      port),
                  null));
      long[] with =
          footprint(
              run(
                  List.of(
                      java,
                      hostsOpt,
                      "-cp",
                      classes,
                      Workloads.class.getName(),
                      "footprint",
                      HOST,
                      port),
                  bigAgentArg));
      double heapMb = (with[0] - base[0]) / (1024.0 * 1024);
      double metaMb = (with[1] - base[1]) / (1024.0 * 1024);
      System.out.printf(
          Locale.ROOT,
          "%-40s heap %+.1f MB, metaspace %+.1f MB%n",
          "agent footprint, 100,000-destination policy",
          heapMb,
          metaMb);
      if (heapMb > 32) {
        missed.add(String.format(Locale.ROOT, "agent heap %.1f MB > 32 MB", heapMb));
      }
    } finally {
      http.stop(0);
    }
    decisionBudgets(java, missed);
    if (!missed.isEmpty()) {
      System.out.println("BUDGETS MISSED: " + String.join("; ", missed));
      System.exit(1);
    }
    System.out.println("all end-to-end budgets met");
  }

  /** A jar holding {@link EmptyAgent} as its premain class: the start-up cost of any agent. */
  private static Path emptyAgentJar(Path work) throws IOException {
    Path jar = work.resolve("empty-agent.jar");
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", EmptyAgent.class.getName());
    String entry = EmptyAgent.class.getName().replace('.', '/') + ".class";
    try (java.util.jar.JarOutputStream out =
            new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
        java.io.InputStream in = Harness.class.getResourceAsStream("/" + entry)) {
      out.putNextEntry(new java.util.jar.JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  /**
   * The two budgets on single decisions (an allowed decision at 100,000 destinations, a storage
   * decision with its walk at depth 100) are JMH measurements: {@code BudgetCheck} runs them in a
   * child on this same JVM, from the benchmarks jar next to these classes, so that this one command
   * checks all five budgets.
   */
  private static void decisionBudgets(String java, List<String> missed) throws Exception {
    Path classes =
        Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = classes.resolveSibling("benchmarks.jar");
    if (!Files.exists(jar)) {
      missed.add("decision budgets not checked: no " + jar + " (mvn -pl benchmarks -am package)");
      return;
    }
    System.out.println("decision budgets (JMH, dev.egress.bench.jmh.BudgetCheck):");
    Process p =
        new ProcessBuilder(java, "-cp", jar.toString(), "dev.egress.bench.jmh.BudgetCheck")
            .redirectErrorStream(true)
            .start();
    List<String> summary = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      boolean inSummary = false;
      for (String l; (l = r.readLine()) != null; ) {
        inSummary |= l.startsWith("Budgets (issue 7)");
        if (inSummary) {
          summary.add(l);
        }
      }
    }
    int exit = p.waitFor();
    summary.forEach(l -> System.out.println("  " + l));
    if (exit != 0) {
      missed.add("decision budgets (BudgetCheck exit " + exit + ")");
    }
  }

  /**
   * Runs both sides interleaved, alternating which goes first (a drift of the machine during a
   * round then weighs on both sides alike); prints and returns the ratio of the medians. Where the
   * with-agent child reports the agent's own work ({@code HOOKS} line), prints it as a share of the
   * operation: the figure that does not depend on the machine's noise.
   */
  private static double[] compare(String what, int rounds, String agentArg, List<String> cmd)
      throws Exception {
    double[] base = new double[rounds];
    double[] with = new double[rounds];
    double[] hooks = new double[rounds];
    double[] paired = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      List<String> withLines;
      if (r % 2 == 0) {
        base[r] = lastNumber(resultLine(run(cmd, null)));
        withLines = run(cmd, agentArg);
      } else {
        withLines = run(cmd, agentArg);
        base[r] = lastNumber(resultLine(run(cmd, null)));
      }
      with[r] = lastNumber(resultLine(withLines));
      paired[r] = with[r] / base[r];
      String h = line(withLines, "HOOKS ");
      hooks[r] = h == null ? Double.NaN : lastNumber(h);
    }
    double b = median(base);
    double w = median(with);
    double[] ratio = medianWithInterval(paired);
    System.out.printf(
        Locale.ROOT,
        "%-40s without %8.0f  with %8.0f  ratio %.3f, 95 %% interval %.3f-%.3f (%d paired runs;"
            + " best %.0f / %.0f)%n",
        what,
        b,
        w,
        ratio[0],
        ratio[1],
        ratio[2],
        rounds,
        Arrays.stream(base).min().orElseThrow(),
        Arrays.stream(with).min().orElseThrow());
    if (!Double.isNaN(hooks[0])) {
      double hk = median(hooks);
      System.out.printf(
          Locale.ROOT,
          "%-40s %.0f ns of agent work per operation = %.2f %% of it (median of %d)%n",
          "",
          hk,
          100 * hk / b,
          rounds);
    }
    return ratio;
  }

  /**
   * The median of {@code v} and a distribution-free 95 % interval for it: the k-th smallest and the
   * k-th largest value, with k the largest count where P(Binomial(n, 1/2) < k) <= 2.5 % (n = 20:
   * the 6th and the 15th of 20, coverage 95.9 %). With fewer than 6 values: the whole range.
   */
  static double[] medianWithInterval(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    int k = 0;
    double cumulative = 0;
    double p = Math.pow(0.5, n); // P(X = 0)
    for (int i = 0; i < n; i++) {
      cumulative += p;
      if (cumulative > 0.025) {
        k = Math.max(0, i - 1); // P(X <= i - 1) <= 2.5 %: the i-th value (1-based) bounds it
        break;
      }
      p = p * (n - i) / (i + 1); // P(X = i + 1)
    }
    return new double[] {median(v), s[k], s[n - 1 - k]};
  }

  private static String line(List<String> lines, String prefix) {
    for (String l : lines) {
      if (l.startsWith(prefix)) {
        return l.substring(prefix.length());
      }
    }
    return null;
  }

  private static double lastNumber(String result) {
    return Double.parseDouble(result.substring(result.lastIndexOf(' ') + 1));
  }

  private static String resultLine(List<String> lines) {
    String result = line(lines, "RESULT ");
    if (result == null) {
      throw new IllegalStateException("no RESULT line in " + lines);
    }
    return result;
  }

  private static long[] footprint(List<String> lines) {
    String r = resultLine(lines);
    long heap = Long.parseLong(r.replaceAll(".*heap=(\\d+).*", "$1"));
    long meta = Long.parseLong(r.replaceAll(".*metaspace=(\\d+).*", "$1"));
    return new long[] {heap, meta};
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static List<String> run(List<String> command, String agentArg)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command);
    if (agentArg != null) {
      cmd.add(1, agentArg);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
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
