package dev.egress.collector.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The tokens file: a JSON object from token to the workspace ids it serves, or {@code "*"} for an
 * admin token:
 *
 * <pre>{ "3f9c…": [1234, 5678], "a81e…": "*" }</pre>
 *
 * <p>Tokens are kept by their SHA-256 digest and looked up by the digest of the presented token, so
 * that the lookup's timing says nothing about how much of a guessed token was right, and no token
 * sits in a heap dump.
 */
public final class Tokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, TokenScope> byDigest;

  private Tokens(Map<String, TokenScope> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
  }

  public static Tokens load(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException("tokens file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(
          "tokens file "
              + file
              + ": expected a JSON object {\"<token>\": [workspace ids] or \"*\"}");
    }
    Map<String, TokenScope> tokens = new HashMap<>();
    int n = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      n++;
      String token = e.getKey();
      if (token.length() < 16) {
        throw new IOException(
            "tokens file " + file + ": token #" + n + " is shorter than 16 characters");
      }
      String name = "token#" + n + " (" + digest(token).substring(0, 8) + ")";
      tokens.put(digest(token), scope(file, name, e.getValue()));
    }
    return new Tokens(tokens);
  }

  private static TokenScope scope(Path file, String name, JsonNode v) throws IOException {
    if (v.isTextual() && v.asText().equals("*")) {
      return new TokenScope(name, true, Set.of());
    }
    if (!v.isArray()) {
      throw new IOException(
          "tokens file " + file + ": " + name + ": expected a list of workspace ids or \"*\"");
    }
    Set<Long> ids = new HashSet<>();
    for (JsonNode id : v) {
      if (id.isTextual() && id.asText().equals("*")) {
        return new TokenScope(name, true, Set.of());
      }
      if (!id.isIntegralNumber() || id.asLong() < 0) {
        throw new IOException(
            "tokens file " + file + ": " + name + ": \"" + id + "\" is not a workspace id");
      }
      ids.add(id.asLong());
    }
    return new TokenScope(name, false, ids);
  }

  /** The scope of the token in an {@code Authorization: Bearer <token>} header, or null. */
  public TokenScope authenticate(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorizationHeader.substring(7).trim();
    return token.isEmpty() ? null : byDigest.get(digest(token));
  }

  public int size() {
    return byDigest.size();
  }

  static String digest(String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
