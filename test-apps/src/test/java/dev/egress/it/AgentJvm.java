package dev.egress.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts a child JVM under the built agent (OpenTelemetry-agent style integration test launcher).
 *
 * <p>The child resolves names only from a hosts file ({@code -Djdk.net.hosts.file}) that maps every
 * test name to a loopback address, so no lookup and no connection can leave the machine.
 */
public final class AgentJvm {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDir;
  private String javaHome = System.getProperty("it.java.home", System.getProperty("java.home"));
  private Path agentJar = agentJarPath();

  /**
   * {@code -Dit.without.agent=true} runs every child without the agent: each test must then fail.
   */
  private boolean withAgent = !Boolean.getBoolean("it.without.agent");

  private final Map<String, String> agentArgs = new LinkedHashMap<>();
  private final Map<String, String> sysProps = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private String mainClass = "dev.egress.testapps.Probe";
  private final List<String> args = new ArrayList<>();
  private String hostsFile = Hosts.content();
  private String classPath = System.getProperty("test.apps.classes", "target/classes");
  private Path violationsLog;
  private long timeoutSeconds = 60;
  private boolean loopbackOnlyNetns;
  private boolean viaJavaToolOptions;

  private AgentJvm(Path workDir) {
    this.workDir = workDir;
    this.violationsLog = workDir.resolve("violations.log");
  }

  /** A child JVM working in {@code workDir}, with no agent arguments yet. */
  public static AgentJvm in(Path workDir) {
    return new AgentJvm(workDir);
  }

  /**
   * A child JVM with the standard agent arguments: the policy file, workspace 1234, the violation
   * log in the work dir, and only 127.0.0.1 internal (so the other loopback addresses are
   * external).
   */
  public static AgentJvm standard(Path workDir, Path policy) {
    return in(workDir)
        .agentArg("policy", policy.toString())
        .agentArg("workspace.id", "1234")
        .agentArg("violations.log", workDir.resolve("violations.log").toString())
        .agentArg("internal.cidrs", "127.0.0.1/32");
  }

  static Path agentJarPath() {
    String p = System.getProperty("egress.agent.jar");
    if (p == null) {
      p = "../agent/target/egress-agent.jar";
    }
    return Paths.get(p).toAbsolutePath().normalize();
  }

  public AgentJvm javaHome(String home) {
    this.javaHome = home;
    return this;
  }

  public AgentJvm withoutAgent() {
    this.withAgent = false;
    return this;
  }

  public AgentJvm agentArg(String key, String value) {
    agentArgs.put(key, value);
    return this;
  }

  public AgentJvm removeAgentArg(String key) {
    agentArgs.remove(key);
    return this;
  }

  public AgentJvm sysProp(String key, String value) {
    sysProps.put(key, value);
    return this;
  }

  public AgentJvm env(String key, String value) {
    env.put(key, value);
    return this;
  }

  public AgentJvm jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  public AgentJvm main(String className, String... mainArgs) {
    this.mainClass = className;
    this.args.clear();
    this.args.addAll(Arrays.asList(mainArgs));
    return this;
  }

  /** Runs {@code Probe} with these actions. */
  public AgentJvm probe(String... actions) {
    return main("dev.egress.testapps.Probe", actions);
  }

  /** The child's class path (default: the test apps' classes). */
  public AgentJvm classPath(String path) {
    this.classPath = path;
    return this;
  }

  public AgentJvm hosts(String content) {
    this.hostsFile = content;
    return this;
  }

  /** Where the test reads violation records from (the agent setting itself is up to the test). */
  public AgentJvm violationsLog(Path log) {
    this.violationsLog = log;
    return this;
  }

  public AgentJvm timeoutSeconds(long seconds) {
    this.timeoutSeconds = seconds;
    return this;
  }

  /** Runs the child inside a new network namespace that has only loopback (skips if impossible). */
  public AgentJvm loopbackOnlyNetns() {
    Assumptions.assumeTrue(
        Netns.available(),
        "unshare --net is not available here (needs root and "
            + "util-linux unshare): cannot test non-loopback destinations safely, skipping");
    this.loopbackOnlyNetns = true;
    return this;
  }

  /** Attaches the agent through {@code JAVA_TOOL_OPTIONS} instead of the command line. */
  public AgentJvm viaJavaToolOptions() {
    this.viaJavaToolOptions = true;
    return this;
  }

  String javaagentOption() {
    assertTrue(
        Files.isRegularFile(agentJar),
        "agent jar missing: " + agentJar + " (build it with mvn -o install -DskipTests)");
    String a = agentArgString();
    return "-javaagent:" + agentJar + (a.isEmpty() ? "" : "=" + a);
  }

  String agentArgString() {
    return agentArgs.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  public List<String> command() throws IOException {
    Files.createDirectories(workDir);
    Path hosts = workDir.resolve("hosts");
    Files.writeString(hosts, hostsFile);
    List<String> cmd = new ArrayList<>();
    if (loopbackOnlyNetns) {
      cmd.addAll(List.of("unshare", "--net", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh"));
    }
    cmd.add(Paths.get(javaHome, "bin", "java").toString());
    cmd.add("-Xshare:auto");
    if (withAgent && !viaJavaToolOptions) {
      cmd.add(javaagentOption());
    }
    cmd.add("-Djdk.net.hosts.file=" + hosts);
    cmd.add("-Dnetworkaddress.cache.ttl=0");
    cmd.add("-Dnetworkaddress.cache.negative.ttl=0");
    cmd.add("-XX:TieredStopAtLevel=1");
    for (Map.Entry<String, String> e : sysProps.entrySet()) {
      cmd.add("-D" + e.getKey() + "=" + e.getValue());
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  public Result run() {
    try {
      List<String> cmd = command();
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
      pb.environment()
          .keySet()
          .removeIf(
              k ->
                  k.startsWith("EGRESS_")
                      || k.equals("JAVA_TOOL_OPTIONS")
                      || k.equals("JDK_JAVA_OPTIONS")
                      || k.equals("_JAVA_OPTIONS"));
      pb.environment().putAll(env);
      if (withAgent && viaJavaToolOptions) {
        pb.environment().put("JAVA_TOOL_OPTIONS", javaagentOption());
      }
      Path out = workDir.resolve("child.stdout");
      Path err = workDir.resolve("child.stderr");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        fail(
            "child JVM did not finish within "
                + timeoutSeconds
                + " s: "
                + cmd
                + "\nstdout:\n"
                + Files.readString(out)
                + "\nstderr:\n"
                + Files.readString(err));
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new Result(
          cmd,
          p.exitValue(),
          Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          violationsLog,
          ms,
          p.pid());
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** What a child JVM did. */
  public static final class Result {
    public final List<String> command;
    public final int exitCode;
    public final List<String> stdout;
    public final String stderr;
    public final Path violationsLog;
    public final long elapsedMs;

    /**
     * The child's pid as the parent sees it (the java process itself unless run through unshare).
     */
    public final long pid;

    private List<JsonNode> records;

    Result(
        List<String> command,
        int exitCode,
        List<String> stdout,
        String stderr,
        Path log,
        long ms,
        long pid) {
      this.pid = pid;
      this.command = command;
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.violationsLog = log;
      this.elapsedMs = ms;
    }

    /** Lines of the violation log (empty when the file does not exist). */
    public List<String> logLines() {
      try {
        if (!Files.exists(violationsLog)) {
          return List.of();
        }
        return Files.readAllLines(violationsLog, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .collect(Collectors.toList());
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    /** Every record of the violation log, each line parsed as one JSON object. */
    public List<JsonNode> records() {
      if (records == null) {
        List<JsonNode> list = new ArrayList<>();
        for (String line : logLines()) {
          try {
            list.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new AssertionError(
                "violation log line is not JSON: " + line + "\n" + describe(), e);
          }
        }
        records = list;
      }
      return records;
    }

    /** Records whose {@code destination} equals {@code destination}. */
    public List<JsonNode> recordsFor(String destination) {
      return records().stream()
          .filter(r -> destination.equals(r.path("destination").asText()))
          .collect(Collectors.toList());
    }

    public ProbeResult result(String label) {
      String prefix = "RESULT " + label + " ";
      for (String line : stdout) {
        if (line.startsWith(prefix)) {
          return ProbeResult.parse(label, line.substring(prefix.length()));
        }
      }
      throw new AssertionError("no RESULT line for " + label + "\n" + describe());
    }

    public List<ProbeResult> results() {
      List<ProbeResult> list = new ArrayList<>();
      for (String line : stdout) {
        if (line.startsWith("RESULT ")) {
          String rest = line.substring("RESULT ".length());
          int sp = rest.indexOf(' ');
          list.add(ProbeResult.parse(rest.substring(0, sp), rest.substring(sp + 1)));
        }
      }
      return list;
    }

    public String describe() {
      StringBuilder b = new StringBuilder();
      b.append("command: ").append(String.join(" ", command)).append('\n');
      b.append("exit code: ").append(exitCode).append('\n');
      b.append("stdout:\n");
      stdout.forEach(l -> b.append("  ").append(l).append('\n'));
      b.append("stderr:\n")
          .append(stderr.lines().limit(60).map(l -> "  " + l + "\n").collect(Collectors.joining()));
      b.append("violations.log (").append(violationsLog).append("):\n");
      logLines().stream().limit(40).forEach(l -> b.append("  ").append(l).append('\n'));
      return b.toString();
    }
  }
}
