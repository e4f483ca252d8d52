package dev.egress.collector.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens file, re-read when it changes (checked by the policy rescan's timer), so that adding
 * or revoking a token needs no restart. A file that stops being valid is refused and the previous
 * tokens stay.
 */
public final class TokenFile {
  private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);

  private final Path file;
  private volatile Tokens tokens;
  private FileTime modified;

  /** Loads the file; at start-up an invalid file is an error, not an empty token list. */
  public TokenFile(Path file) throws IOException {
    this.file = file;
    this.modified = Files.getLastModifiedTime(file);
    this.tokens = Tokens.load(file);
    LOG.info("tokens: {} loaded from {}", tokens.size(), file);
  }

  public TokenScope authenticate(String authorizationHeader) {
    return tokens.authenticate(authorizationHeader);
  }

  public synchronized void reloadIfChanged() {
    try {
      FileTime now = Files.getLastModifiedTime(file);
      if (now.equals(modified)) {
        return;
      }
      modified = now;
      tokens = Tokens.load(file);
      LOG.info("tokens: {} reloaded from {}", tokens.size(), file);
    } catch (IOException e) {
      LOG.error("tokens file refused, the previous tokens stay in force: {}", e.getMessage());
    }
  }
}
