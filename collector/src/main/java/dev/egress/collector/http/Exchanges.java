package dev.egress.collector.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for {@link HttpExchange}: JSON responses, errors and query strings. */
public final class Exchanges {
  static final ObjectMapper JSON = new ObjectMapper();

  private Exchanges() {}

  public static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  public static void send(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    if (!ex.getResponseHeaders().containsKey("Cache-Control")) {
      ex.getResponseHeaders()
          .set("Cache-Control", "no-store"); // records and errors are never cached
    }
    boolean noBody = status == 304 || status == 204 || "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public static void sendError(HttpExchange ex, ApiException e) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    body.putAll(e.details());
    if (e.status() == 401) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"egress-collector\"");
    }
    if (e.status() == 503) {
      ex.getResponseHeaders().set("Retry-After", "5");
    }
    sendJson(ex, e.status(), body);
  }

  /**
   * The query string's parameters; a repeated parameter is an error rather than a silent choice.
   */
  public static Map<String, String> query(HttpExchange ex) throws ApiException {
    Map<String, String> params = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k;
      String v;
      try {
        k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("malformed query string: " + e.getMessage());
      }
      if (params.put(k, v) != null) {
        throw ApiException.badRequest("query parameter \"" + k + "\" is given twice");
      }
    }
    return params;
  }

  public static void requireMethod(HttpExchange ex, String... methods) throws ApiException {
    for (String m : methods) {
      if (m.equals(ex.getRequestMethod())) {
        return;
      }
    }
    ex.getResponseHeaders().set("Allow", String.join(", ", methods));
    throw new ApiException(
        405,
        "method_not_allowed",
        ex.getRequestMethod() + " is not supported here; use " + String.join(" or ", methods));
  }
}
