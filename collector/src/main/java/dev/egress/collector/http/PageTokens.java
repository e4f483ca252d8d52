package dev.egress.collector.http;

import dev.egress.collector.store.ViolationStore.Cursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque {@code page_token}: where the previous page ended, (event_time_ms, event_id),
 * base64url.
 */
final class PageTokens {
  private PageTokens() {}

  static String encode(Cursor c) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            ("1:" + c.eventTimeMs() + ":" + c.eventId()).getBytes(StandardCharsets.UTF_8));
  }

  static Cursor decode(String token) throws ApiException {
    if (token == null) {
      return null;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = s.split(":", 3);
      if (parts.length != 3 || !parts[0].equals("1")) {
        throw new IllegalArgumentException();
      }
      UUID.fromString(parts[2]);
      return new Cursor(Long.parseLong(parts[1]), parts[2]);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("page_token is not one this collector issued");
    }
  }
}
