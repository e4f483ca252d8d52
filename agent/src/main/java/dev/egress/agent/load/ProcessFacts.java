package dev.egress.agent.load;

import dev.egress.agent.report.ProcessInfo;
import java.net.InetAddress;

/**
 * Facts about this JVM for the violation record's {@code process} object. Spark executors are
 * recognised by their main class and its arguments ({@code --executor-id}, {@code --app-id}); a
 * driver by {@code SparkSubmit} or a {@code spark.app.id} system property.
 */
public final class ProcessFacts {
  private ProcessFacts() {}

  /** Detects the facts; call from an agent thread (the host name lookup is not judged there). */
  public static ProcessInfo detect() {
    String command = System.getProperty("sun.java.command", "");
    String[] words = command.split("\\s+");
    String main = words.length > 0 ? words[0] : "";
    String role = "application";
    String appId = System.getProperty("spark.app.id");
    String executorId = null;
    if (main.endsWith("CoarseGrainedExecutorBackend") || main.endsWith("ExecutorBackend")) {
      role = "executor";
      executorId = argument(words, "--executor-id");
      appId = appId != null ? appId : argument(words, "--app-id");
    } else if (main.equals("org.apache.spark.deploy.SparkSubmit") || appId != null) {
      role = "driver";
    } else if (main.startsWith("org.apache.spark.deploy.worker.")) {
      role = "worker";
    } else if (main.startsWith("org.apache.spark.deploy.master.")) {
      role = "master";
    }
    return new ProcessInfo(ProcessHandle.current().pid(), hostName(), role, appId, executorId);
  }

  private static String argument(String[] words, String flag) {
    for (int i = 0; i < words.length - 1; i++) {
      if (words[i].equals(flag)) {
        return words[i + 1];
      }
    }
    return null;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      // The resolver may not know this machine's own name (a hosts file without it): ask the
      // kernel.
      try {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
            .trim();
      } catch (Exception ignored) {
        String env = System.getenv("HOSTNAME");
        return env != null ? env : "unknown";
      }
    }
  }
}
