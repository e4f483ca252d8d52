package dev.egress.collector.http;

import dev.egress.collector.record.EventTimes;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Typed reading of query parameters; every bad value is a 400 that names the parameter. */
final class QueryParams {
  private final Map<String, String> params;

  QueryParams(Map<String, String> params) {
    this.params = params;
  }

  String string(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  Long workspaceId(String name) throws ApiException {
    String v = string(name);
    if (v == null) {
      return null;
    }
    try {
      long id = Long.parseLong(v);
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("\"" + name + "\" is not a workspace id: " + v);
    }
  }

  /**
   * An ISO-8601 instant ({@code 2025-01-31T00:00:00Z}), a date ({@code 2025-01-31}, UTC midnight)
   * or epoch ms.
   */
  Long time(String name) throws ApiException {
    String v = string(name);
    if (v == null) {
      return null;
    }
    v = v.replace(' ', '+'); // "+02:00" sent unencoded arrives as " 02:00"
    if (v.chars().allMatch(Character::isDigit) && v.length() <= 15) {
      return Long.parseLong(v);
    }
    Instant t = EventTimes.parse(v.length() == 10 ? v + "T00:00:00Z" : v);
    if (t == null) {
      throw ApiException.badRequest(
          "\""
              + name
              + "\" is not a time (ISO-8601 such as 2025-01-31T12:00:00Z, a date"
              + " 2025-01-31, or epoch milliseconds): "
              + v);
    }
    return t.toEpochMilli();
  }

  int integer(String name, int dflt, int min, int max) throws ApiException {
    String v = string(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "\"" + name + "\" must be an integer from " + min + " to " + max + ": " + v);
    }
  }

  String oneOf(String name, Set<String> allowed) throws ApiException {
    String v = string(name);
    if (v != null && !allowed.contains(v)) {
      throw ApiException.badRequest(
          "\"" + name + "\" must be one of " + new java.util.TreeSet<>(allowed) + ": " + v);
    }
    return v;
  }
}
