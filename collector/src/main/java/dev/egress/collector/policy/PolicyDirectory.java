package dev.egress.collector.policy;

import dev.egress.collector.policy.PolicyFileState.PolicyError;
import dev.egress.policy.NetworkPolicy;
import dev.egress.policy.PolicyDocument;
import dev.egress.policy.PolicyEngine;
import dev.egress.policy.PolicyException;
import dev.egress.policy.PolicyParser;
import dev.egress.policy.WorkspaceBinding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy directory an administrator edits: every {@code *.json} file in it is a policy document
 * (usually a policy set for one account). A workspace is served the file whose {@code workspaces[]}
 * binds it; a workspace no file binds is served the file that has a {@code default-policy}, if any.
 *
 * <p>Each file is validated with the agent's own parser and compiler before it is served: a file
 * the agent would refuse is refused here, with its line and column, and the last valid version of
 * that file keeps being served (an agent that received a broken policy would fail closed and block
 * a whole workspace). A deleted file stops being served.
 *
 * <p>{@link #rescan()} is cheap when nothing changed (files are hashed, not parsed) and is called
 * by the directory watcher and by a timer; it is synchronized, readers use an immutable snapshot.
 */
public final class PolicyDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyDirectory.class);

  /** What requests read: replaced as a whole after each rescan. */
  public record Snapshot(
      Map<Long, PolicyVersion> byWorkspace,
      PolicyVersion defaultPolicy,
      List<PolicyFileState> files,
      List<String> warnings,
      Instant scannedAt) {}

  private final Path dir;
  private final Map<String, PolicyFileState> files = new TreeMap<>();
  private volatile Snapshot snapshot =
      new Snapshot(Map.of(), null, List.of(), List.of(), Instant.EPOCH);

  public PolicyDirectory(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * The version to serve to {@code workspaceId} (null: the default), or null when there is none.
   */
  public PolicyVersion forWorkspace(Long workspaceId) {
    Snapshot s = snapshot;
    PolicyVersion bound = workspaceId == null ? null : s.byWorkspace().get(workspaceId);
    return bound != null ? bound : s.defaultPolicy();
  }

  public synchronized void rescan() {
    Map<String, Path> present = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        // Hidden files are editors' temporaries and Kubernetes' ..data links; only regular files
        // are policies.
        if (!name.startsWith(".") && Files.isRegularFile(p)) {
          present.put(name, p);
        }
      }
    } catch (IOException e) {
      LOG.error(
          "policy directory {} cannot be listed, keeping what is loaded: {}", dir, e.toString());
      return;
    }
    boolean changed = files.keySet().retainAll(present.keySet());
    for (Map.Entry<String, Path> e : present.entrySet()) {
      changed |= check(e.getKey(), e.getValue());
    }
    if (changed || snapshot.scannedAt().equals(Instant.EPOCH)) {
      snapshot = index();
    }
  }

  /** Reads one file; returns whether its state changed. */
  private boolean check(String name, Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return files.remove(name) != null; // deleted between listing and reading
    } catch (IOException e) {
      LOG.warn(
          "policy file {} cannot be read, keeping its last valid version: {}", name, e.toString());
      return false;
    }
    String hash = sha256(bytes);
    PolicyFileState old = files.get(name);
    if (old != null && hash.equals(old.contentHash())) {
      return false;
    }
    PolicyVersion previous = old == null ? null : old.serving();
    Instant now = Instant.now();
    try {
      PolicyDocument doc = PolicyParser.parse(new ByteArrayInputStream(bytes));
      PolicyEngine.compile(
          doc); // what the agent will do with it: refuse here what it would refuse there
      PolicyVersion v = new PolicyVersion(name, bytes, "\"" + hash + "\"", doc, now);
      files.put(name, new PolicyFileState(name, v, null, hash, now));
      LOG.info(
          "policy file {} loaded (etag {}, {} policies, {} workspaces)",
          name,
          v.etag(),
          doc.networkPolicies().size(),
          doc.workspaces().size());
    } catch (PolicyException e) {
      refuse(
          name,
          previous,
          hash,
          now,
          new PolicyError(e.line(), e.column(), e.jsonPath(), e.problem()));
    } catch (IllegalArgumentException e) {
      refuse(name, previous, hash, now, new PolicyError(0, 0, "$", e.getMessage()));
    }
    return true;
  }

  private void refuse(
      String name, PolicyVersion previous, String hash, Instant now, PolicyError error) {
    files.put(name, new PolicyFileState(name, previous, error, hash, now));
    if (previous == null) {
      LOG.error(
          "policy file {} refused: {}; it has no valid version, so it serves no workspace",
          name,
          error);
    } else {
      LOG.error(
          "policy file {} refused: {}; still serving its version loaded at {} (etag {})",
          name,
          error,
          previous.loadedAt(),
          previous.etag());
    }
  }

  /**
   * Rebuilds the workspace index from the versions being served. Files are visited in name order.
   */
  private Snapshot index() {
    Map<Long, PolicyVersion> byWorkspace = new LinkedHashMap<>();
    PolicyVersion defaultPolicy = null;
    List<String> warnings = new ArrayList<>();
    for (PolicyFileState f : files.values()) {
      PolicyVersion v = f.serving();
      if (v == null) {
        continue;
      }
      for (WorkspaceBinding b : v.document().workspaces()) {
        PolicyVersion first = byWorkspace.putIfAbsent(b.workspaceId(), v);
        if (first != null) {
          warnings.add(
              "workspace "
                  + b.workspaceId()
                  + " is bound in "
                  + first.fileName()
                  + " and in "
                  + v.fileName()
                  + "; serving "
                  + first.fileName());
        }
      }
      if (hasDefault(v.document())) {
        if (defaultPolicy == null) {
          defaultPolicy = v;
        } else {
          warnings.add(
              PolicyEngine.DEFAULT_POLICY_ID
                  + " is in "
                  + defaultPolicy.fileName()
                  + " and in "
                  + v.fileName()
                  + "; unbound workspaces get "
                  + defaultPolicy.fileName());
        }
      }
    }
    warnings.forEach(w -> LOG.warn("policy directory: {}", w));
    return new Snapshot(
        Map.copyOf(byWorkspace),
        defaultPolicy,
        List.copyOf(files.values()),
        List.copyOf(warnings),
        Instant.now());
  }

  private static boolean hasDefault(PolicyDocument doc) {
    for (NetworkPolicy p : doc.networkPolicies()) {
      if (PolicyEngine.DEFAULT_POLICY_ID.equals(p.networkPolicyId())) {
        return true;
      }
    }
    return false;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
