package dev.egress.spark.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Starts the Spark driver ({@link dev.egress.spark.driver.EgressJobs}) as a child JVM in {@code
 * local-cluster[2,1,1024]} mode: the Master and two Workers run inside the driver JVM, each Worker
 * starts one executor JVM. The agent goes on the driver's own command line and, for the executors,
 * only in {@code spark.executor.extraJavaOptions} (and {@code spark.driver.extraJavaOptions}, which
 * Spark only applies when spark-submit launches the driver). Everything is on loopback.
 */
public final class SparkDriverJvm {
  /**
   * Names of the test's "external" servers; the hosts file maps each to its own loopback address.
   */
  public static final String EVIL = "evil.example.net";

  public static final String EVIL_ADDRESS = "127.0.0.3";
  public static final String LAKEPROD = "lakeprod.dfs.core.windows.net";
  public static final String LAKEPROD_ADDRESS = "127.0.0.4";

  private final Path workDir;
  private String javaHome = System.getProperty("it.java.home", System.getProperty("java.home"));
  private Path agentJar;
  private Path policy;
  private Path sparkHome =
      Path.of(System.getProperty("spark.home", "target/spark-home")).toAbsolutePath();
  private Path platformJar =
      Path.of(
              System.getProperty(
                  "spark.apps.platform.jar",
                  "target/egress-spark-apps-0.1.0-SNAPSHOT-platform.jar"))
          .toAbsolutePath();
  private Path udfJar;
  private final Map<String, String> sparkConf = new LinkedHashMap<>();
  private final List<String> args = new ArrayList<>();
  private long timeoutSeconds = 240;
  private String driverMemory = "768m";
  private boolean driverAgent = true;

  public SparkDriverJvm(Path workDir) {
    this.workDir = workDir.toAbsolutePath();
  }

  public SparkDriverJvm javaHome(String home) {
    this.javaHome = home;
    return this;
  }

  /** With the agent (null: without) and this policy. */
  public SparkDriverJvm agent(Path jar, Path policyFile) {
    this.agentJar = jar == null ? null : jar.toAbsolutePath();
    this.policy = policyFile == null ? null : policyFile.toAbsolutePath();
    return this;
  }

  /** The agent only in spark.executor.extraJavaOptions, not on the driver's own command line. */
  public SparkDriverJvm driverWithoutAgent() {
    this.driverAgent = false;
    return this;
  }

  public SparkDriverJvm sparkHome(Path home) {
    this.sparkHome = home.toAbsolutePath();
    return this;
  }

  public SparkDriverJvm platformJar(Path jar) {
    this.platformJar = jar.toAbsolutePath();
    return this;
  }

  /** A jar shipped to the executors with spark.jars (user code there). */
  public SparkDriverJvm udfJar(Path jar) {
    this.udfJar = jar.toAbsolutePath();
    return this;
  }

  public SparkDriverJvm conf(String key, String value) {
    sparkConf.put(key, value);
    return this;
  }

  public SparkDriverJvm args(String... a) {
    args.clear();
    args.addAll(Arrays.asList(a));
    return this;
  }

  public SparkDriverJvm timeoutSeconds(long s) {
    this.timeoutSeconds = s;
    return this;
  }

  public Path workDir() {
    return workDir;
  }

  /** The driver JVM's own violation log (absolute). */
  public Path driverLog() {
    return workDir.resolve("driver-violations.log");
  }

  /**
   * Executors run in SPARK_HOME/work/&lt;app-id&gt;/&lt;executor-id&gt;/; each writes
   * violations.log there.
   */
  public Path executorLog(String appId, String executorId) {
    return sparkHome.resolve("work").resolve(appId).resolve(executorId).resolve("violations.log");
  }

  public Path hostsFile() {
    return workDir.resolve("hosts");
  }

  static String hostsContent() {
    String self;
    try {
      self = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      self = "localhost";
    }
    return "127.0.0.1 localhost "
        + self
        + "\n"
        + EVIL_ADDRESS
        + " "
        + EVIL
        + "\n"
        + LAKEPROD_ADDRESS
        + " "
        + LAKEPROD
        + "\n";
  }

  /** The agent options of one JVM role: -javaagent plus settings as -Degress.* properties. */
  String agentOptions(String violationsLog) {
    return "-javaagent:"
        + agentJar
        + " -Degress.policy="
        + policy
        + " -Degress.workspace.id=1234"
        + " -Degress.internal.cidrs=127.0.0.1/32"
        + " -Degress.violations.log="
        + violationsLog;
  }

  public List<String> command() throws IOException {
    Files.createDirectories(workDir);
    Files.writeString(hostsFile(), hostsContent());
    String hosts = "-Djdk.net.hosts.file=" + hostsFile();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(javaHome, "bin", "java").toString());
    if (agentJar != null && driverAgent) {
      cmd.addAll(Arrays.asList(agentOptions(driverLog().toString()).split(" ")));
    }
    cmd.add(hosts);
    cmd.add("-Xmx" + driverMemory);
    // What spark-submit would put on a driver's command line for Java 17+.
    cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", "local-cluster[2,1,1024]");
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.driver.bindAddress", "127.0.0.1");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.sql.shuffle.partitions", "4");
    conf.put("spark.task.maxFailures", "1");
    conf.put("spark.executor.extraClassPath", platformJar.toString());
    if (udfJar != null) {
      conf.put("spark.jars", udfJar.toString());
    }
    if (agentJar != null) {
      // Executors: relative path = the executor's own working directory (unique per executor).
      conf.put("spark.executor.extraJavaOptions", agentOptions("violations.log") + " " + hosts);
      conf.put("spark.driver.extraJavaOptions", agentOptions(driverLog().toString()) + " " + hosts);
    } else {
      conf.put("spark.executor.extraJavaOptions", hosts);
      conf.put("spark.driver.extraJavaOptions", hosts);
    }
    conf.putAll(sparkConf);
    for (Map.Entry<String, String> e : conf.entrySet()) {
      cmd.add("-D" + e.getKey() + "=" + e.getValue());
    }
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + "/*" + java.io.File.pathSeparator + platformJar);
    cmd.add("dev.egress.spark.driver.EgressJobs");
    cmd.addAll(args);
    return cmd;
  }

  public Result run() throws IOException, InterruptedException {
    List<String> cmd = command();
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("EGRESS_")
                    || k.equals("JAVA_TOOL_OPTIONS")
                    || k.equals("JDK_JAVA_OPTIONS")
                    || k.equals("_JAVA_OPTIONS")
                    || k.startsWith("SPARK_"));
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", javaHome);
    Path out = workDir.resolve("driver.stdout");
    Path err = workDir.resolve("driver.stderr");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "driver did not finish within " + timeoutSeconds + " s; see " + out + " and " + err);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Result(
        p.exitValue(),
        Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8),
        ms,
        p.pid());
  }

  /** What the driver JVM did. */
  public static final class Result {
    public final int exitCode;
    public final List<String> stdout;
    public final String stderr;
    public final long elapsedMs;

    /** The driver JVM's pid. */
    public final long pid;

    public final Map<String, String> results = new LinkedHashMap<>();

    Result(int exitCode, List<String> stdout, String stderr, long elapsedMs, long pid) {
      this.pid = pid;
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.elapsedMs = elapsedMs;
      for (String l : stdout) {
        if (l.startsWith("RESULT ")) {
          int eq = l.indexOf('=');
          results.put(l.substring(7, eq), l.substring(eq + 1));
        }
      }
    }

    public String get(String key) {
      return results.get(key);
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " in "
          + elapsedMs
          + " ms, results "
          + results
          + "\nstderr (tail):\n"
          + tail(stderr, 6000);
    }

    static String tail(String s, int n) {
      return s.length() <= n ? s : "…" + s.substring(s.length() - n);
    }
  }
}
