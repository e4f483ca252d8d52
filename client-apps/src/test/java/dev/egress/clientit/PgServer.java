package dev.egress.clientit;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster: {@code initdb} in a temp dir (trust authentication, user {@code
 * postgres}), {@code pg_ctl start} listening on the given loopback addresses only (never 127.0.0.1,
 * never a non-loopback address) and a free port, its Unix socket in the data dir. As root it runs
 * as the {@code postgres} user ({@code runuser}), which PostgreSQL requires. {@link #close()} stops
 * it ({@code pg_ctl stop -m immediate}) and deletes the directory.
 */
final class PgServer implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final boolean asPostgres;

  private PgServer(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /**
   * The directory of initdb/pg_ctl/postgres, or null: /usr/lib/postgresql/<newest>/bin, or PG_BIN.
   */
  static Path findBin() {
    String env = System.getenv("PG_BIN");
    if (env != null && Files.isExecutable(Paths.get(env, "initdb"))) {
      return Paths.get(env);
    }
    Path root = Paths.get("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int versionOf(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String whyUnavailable() {
    if (findBin() == null) {
      return "PostgreSQL server binaries not found (/usr/lib/postgresql/<version>/bin/initdb, or PG_BIN): "
          + "run client-apps/ci-setup.sh (apt-get install -y postgresql); skipping the PostgreSQL tests";
    }
    if (isRoot() && !userExists("postgres")) {
      return "running as root but there is no 'postgres' user to run the server as; skipping";
    }
    return null;
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean userExists(String user) {
    try {
      return Files.readAllLines(Paths.get("/etc/passwd")).stream()
          .anyMatch(l -> l.startsWith(user + ":"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts a cluster listening on {@code addresses} (loopback literals other than 127.0.0.1). */
  static PgServer start(String... addresses) throws Exception {
    for (String a : addresses) {
      if (!a.startsWith("127.") || a.equals("127.0.0.1")) {
        throw new IllegalArgumentException("loopback addresses other than 127.0.0.1 only: " + a);
      }
    }
    Path bin = findBin();
    Path dir = Files.createTempDirectory(Paths.get("/tmp"), "egress-pg");
    boolean asPostgres = isRoot();
    PgServer pg = new PgServer(bin, dir, freePort(addresses), asPostgres);
    try {
      if (asPostgres) {
        pg.run(60, "chown", "-R", "postgres:postgres", dir.toString());
      }
      pg.runAsOwner(
          120,
          bin.resolve("initdb").toString(),
          "-D",
          pg.data.toString(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-locale",
          "--no-sync");
      String options =
          "-c listen_addresses='"
              + String.join(",", addresses)
              + "' -p "
              + pg.port
              + " -c unix_socket_directories='"
              + pg.data
              + "' -c fsync=off -c shared_buffers=16MB"
              + " -c max_connections=20";
      pg.runAsOwner(
          120,
          bin.resolve("pg_ctl").toString(),
          "-D",
          pg.data.toString(),
          "-w",
          "-t",
          "60",
          "-l",
          dir.resolve("server.log").toString(),
          "-o",
          options,
          "start");
      return pg;
    } catch (Exception e) {
      String log = "";
      try {
        log = Files.readString(dir.resolve("server.log"));
      } catch (IOException ignored) {
        // no log
      }
      pg.close();
      throw new IllegalStateException(
          "PostgreSQL did not start: " + e.getMessage() + "\nserver.log:\n" + log, e);
    }
  }

  int port() {
    return port;
  }

  private static int freePort(String[] addresses) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int candidate;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName(addresses[0]), 0));
        candidate = s.getLocalPort();
      }
      boolean free = true;
      for (String a : addresses) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(InetAddress.getByName(a), candidate));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return candidate;
      }
    }
    throw new IOException("no free port on " + Arrays.toString(addresses));
  }

  private void runAsOwner(long timeoutS, String... command) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(Arrays.asList(command));
    run(timeoutS, cmd.toArray(new String[0]));
  }

  private void run(long timeoutS, String... command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(new File("/tmp")).redirectErrorStream(true);
    pb.environment().remove("PGDATA");
    Path out = dir.resolve("cmd-" + System.nanoTime() + ".out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", command));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "exit "
              + p.exitValue()
              + ": "
              + String.join(" ", command)
              + "\n"
              + Files.readString(out, StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        runAsOwner(
            60,
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-m",
            "immediate",
            "-w",
            "stop");
      }
    } catch (Exception e) {
      System.err.println("could not stop PostgreSQL in " + data + ": " + e.getMessage());
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
