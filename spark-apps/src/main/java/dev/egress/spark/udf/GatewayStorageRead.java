package dev.egress.spark.udf;

import org.apache.hadoop.fs.egress.GatewayRead;
import org.apache.spark.api.java.function.MapFunction;

/** The same user code reading the same storage through the platform data layer (the gateway). */
public final class GatewayStorageRead implements MapFunction<Long, String> {
  private static final long serialVersionUID = 1L;
  private final String baseUrl;

  public GatewayStorageRead(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public String call(Long part) throws Exception {
    return GatewayRead.read(baseUrl + "/gateway/part-" + part);
  }
}
