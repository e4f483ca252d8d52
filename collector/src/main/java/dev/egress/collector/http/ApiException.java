package dev.egress.collector.http;

import java.util.Map;

/**
 * A request the collector refuses, with the HTTP status and a message for the sender. The response
 * body is {@code {"error": code, "message": message, ...details}}.
 */
public final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, Object> details;

  public ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public ApiException(int status, String code, String message, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = Map.copyOf(details);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }
}
