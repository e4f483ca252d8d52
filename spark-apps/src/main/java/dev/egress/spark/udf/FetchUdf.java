package dev.egress.spark.udf;

import org.apache.spark.sql.api.java.UDF1;

/**
 * A SQL UDF ({@code fetch(url)}) that GETs a URL itself. Shipped to the executors in a separate jar
 * with {@code spark.jars}, so there it is loaded by Spark's MutableURLClassLoader: user code.
 */
public final class FetchUdf implements UDF1<String, String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String call(String url) throws Exception {
    return Http.get(url);
  }
}
