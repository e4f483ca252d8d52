package dev.egress.agent.load;

import dev.egress.policy.PolicyDocument;
import dev.egress.policy.PolicyException;
import dev.egress.policy.PolicyParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the policy document from a file or from the collector's policy endpoint. Runs only on the
 * agent's own threads, so its HTTP request is never judged by the policy it is fetching.
 */
public final class PolicySource {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 10_000;
  private static final int MAX_BYTES = 64 * 1024 * 1024;

  private final String location;
  private final String bearerToken;
  private volatile String etag;

  public PolicySource(String location, String bearerToken) {
    this.location = location;
    this.bearerToken = bearerToken;
  }

  public boolean isUrl() {
    return location.startsWith("http://") || location.startsWith("https://");
  }

  public String location() {
    return location;
  }

  /**
   * Reads and parses the document. Returns null when the endpoint answered 304 Not Modified.
   *
   * @throws PolicyUnavailableException with a reason fit for the operator
   */
  /** The document's bytes, or null when the endpoint answered 304 Not Modified. */
  public byte[] readBytes() throws PolicyUnavailableException {
    return isUrl() ? fetch() : readFile();
  }

  /** Parses a document read from {@code origin}. */
  public static PolicyDocument parse(byte[] body, String origin) throws PolicyUnavailableException {
    try {
      return PolicyParser.parse(new ByteArrayInputStream(body));
    } catch (PolicyException e) {
      throw new PolicyUnavailableException("policy " + origin + " is invalid: " + e.getMessage());
    }
  }

  private byte[] readFile() throws PolicyUnavailableException {
    try {
      Path p = Path.of(location);
      if (Files.size(p) > MAX_BYTES) {
        throw new PolicyUnavailableException(
            "policy file " + location + " is larger than " + MAX_BYTES + " bytes");
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new PolicyUnavailableException("policy file " + location + " does not exist");
    } catch (IOException | RuntimeException e) {
      throw new PolicyUnavailableException("policy file " + location + " cannot be read: " + e);
    }
  }

  private byte[] fetch() throws PolicyUnavailableException {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) URI.create(location).toURL().openConnection();
      c.setConnectTimeout(CONNECT_TIMEOUT_MS);
      c.setReadTimeout(READ_TIMEOUT_MS);
      c.setInstanceFollowRedirects(false);
      c.setRequestProperty("Accept", "application/json");
      if (bearerToken != null) {
        c.setRequestProperty("Authorization", "Bearer " + bearerToken);
      }
      String known = etag;
      if (known != null) {
        c.setRequestProperty("If-None-Match", known);
      }
      int status = c.getResponseCode();
      if (status == HttpURLConnection.HTTP_NOT_MODIFIED) {
        return null;
      }
      if (status != HttpURLConnection.HTTP_OK) {
        throw new PolicyUnavailableException(
            "policy endpoint " + location + " answered HTTP " + status);
      }
      byte[] body;
      try (InputStream in = c.getInputStream()) {
        body = in.readNBytes(MAX_BYTES + 1);
      }
      if (body.length > MAX_BYTES) {
        throw new PolicyUnavailableException(
            "policy from " + location + " is larger than " + MAX_BYTES + " bytes");
      }
      etag = c.getHeaderField("ETag");
      return body;
    } catch (IOException | RuntimeException e) {
      throw new PolicyUnavailableException("policy endpoint " + location + " unreachable: " + e);
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  /** Why no policy could be had; the message is for the operator. */
  public static final class PolicyUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public PolicyUnavailableException(String message) {
      super(message);
    }
  }
}
