package dev.egress.spark.driver;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * The Spark driver program the tests and the harness start as a child JVM. Everything Spark needs
 * (master, driver host, extraJavaOptions, spark.jars, …) comes in as {@code -Dspark.*} system
 * properties, which {@code SparkConf} reads. It prints one {@code RESULT key=value} line per fact.
 *
 * <pre>
 *   EgressJobs shuffle &lt;rows&gt; &lt;repeats&gt;
 *   EgressJobs jobs &lt;udf-jar&gt; &lt;evil-url&gt; &lt;storage-base-url&gt; &lt;rows&gt;
 * </pre>
 */
public final class EgressJobs {
  private EgressJobs() {}

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    SparkSession spark = SparkSession.builder().appName("egress-" + scenario).getOrCreate();
    try {
      result("app_id", spark.sparkContext().applicationId());
      if (scenario.equals("shuffle")) {
        long rows = Long.parseLong(args[1]);
        int repeats = Integer.parseInt(args[2]);
        for (int i = 0; i < repeats; i++) {
          shuffle(spark, rows, "shuffle." + i);
        }
      } else if (scenario.equals("jobs")) {
        jobs(spark, args[1], args[2], args[3], Long.parseLong(args[4]));
      } else {
        throw new IllegalArgumentException("unknown scenario " + scenario);
      }
      // Let every executor's agent write its records before the executors are killed at stop.
      Thread.sleep(1_500);
    } finally {
      spark.stop();
    }
    result("done", "true");
  }

  /**
   * A groupBy over generated rows with about one key per row: nearly every row crosses the shuffle.
   */
  static void shuffle(SparkSession spark, long rows, String name) {
    long t0 = System.nanoTime();
    List<Row> r =
        spark
            .range(0, rows, 1, 4)
            .selectExpr("id % " + (rows / 3) + " as k", "id as v")
            .groupBy("k")
            .count()
            .selectExpr("count(*) as groups", "sum(count) as total")
            .collectAsList();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    result(name + ".groups", r.get(0).get(0));
    result(name + ".total", r.get(0).get(1));
    result(name + ".ms", ms);
  }

  static void jobs(SparkSession spark, String udfJar, String evilUrl, String storageUrl, long rows)
      throws Exception {
    // Spark's own traffic: RPC to the executors, block manager, a shuffle between them.
    shuffle(spark, rows, "shuffle");

    // The UDF classes: a jar that only spark.jars ships to the executors; the driver loads it here
    // only to build the functions it serializes into the tasks.
    URLClassLoader userJar =
        new URLClassLoader(
            new URL[] {new File(udfJar).toURI().toURL()}, EgressJobs.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(userJar);

    // 1. A UDF that connects to a denied host.
    @SuppressWarnings("unchecked")
    UDF1<String, String> fetch =
        (UDF1<String, String>)
            userJar.loadClass("dev.egress.spark.udf.FetchUdf").getConstructor().newInstance();
    spark.udf().register("fetch", fetch, DataTypes.StringType);
    outcome(
        "udf",
        () ->
            spark
                .range(0, 2, 1, 2)
                .selectExpr("fetch(concat('" + evilUrl + "/udf?i=', id)) as body")
                .as(Encoders.STRING())
                .collectAsList());

    // 2. User code reading allowed storage through the platform data layer (the gateway).
    outcome(
        "gateway",
        () ->
            spark
                .range(0, 2, 1, 2)
                .map(
                    function(userJar, "dev.egress.spark.udf.GatewayStorageRead", storageUrl),
                    Encoders.STRING())
                .collectAsList());

    // 3. The same read, user code with its own HTTP client: direct storage access.
    outcome(
        "direct",
        () ->
            spark
                .range(0, 2, 1, 2)
                .map(
                    function(userJar, "dev.egress.spark.udf.DirectStorageRead", storageUrl),
                    Encoders.STRING())
                .collectAsList());

    // 4. The driver itself connecting to the denied host (its own record, jvm_role of the driver).
    outcome(
        "driver",
        () -> {
          java.net.URI u = java.net.URI.create(evilUrl);
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5_000);
          }
          return List.of("connected");
        });

    // 5. Spark still works after the denials.
    shuffle(spark, rows / 10, "after");
  }

  @SuppressWarnings("unchecked")
  private static MapFunction<Long, String> function(ClassLoader l, String name, String url)
      throws Exception {
    return (MapFunction<Long, String>)
        l.loadClass(name).getConstructor(String.class).newInstance(url);
  }

  interface Job {
    List<?> run() throws Exception;
  }

  private static void outcome(String name, Job job) {
    try {
      List<?> out = job.run();
      result(name + ".ok", out);
    } catch (Throwable t) {
      StringBuilder sb = new StringBuilder();
      for (Throwable c = t; c != null; c = c.getCause()) {
        sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" || ");
      }
      result(name + ".error", sb);
    }
  }

  static void result(String key, Object value) {
    String v = String.valueOf(value).replace('\n', ' ').replace('\r', ' ');
    System.out.println("RESULT " + key + "=" + v);
    System.out.flush();
  }
}
