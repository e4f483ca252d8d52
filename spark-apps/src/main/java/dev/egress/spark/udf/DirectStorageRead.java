package dev.egress.spark.udf;

import org.apache.spark.api.java.function.MapFunction;

/** User code that reads an object from storage with its own HTTP client: direct storage access. */
public final class DirectStorageRead implements MapFunction<Long, String> {
  private static final long serialVersionUID = 1L;
  private final String baseUrl;

  public DirectStorageRead(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public String call(Long part) throws Exception {
    return Http.get(baseUrl + "/direct/part-" + part);
  }
}
