package dev.egress.collector.policy;

import dev.egress.policy.PolicyDocument;
import java.time.Instant;

/**
 * One valid version of a policy file: its exact bytes (served as they are, so the ETag is the hash
 * of what the agent receives) and the parsed document (for the workspace bindings).
 */
public record PolicyVersion(
    String fileName, byte[] bytes, String etag, PolicyDocument document, Instant loadedAt) {}
