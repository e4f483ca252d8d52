package dev.egress.policy;

/**
 * Lazily identifies the caller. Walking the stack costs microseconds, so the engine calls {@link
 * #kind()} only when the decision depends on it (metadata endpoints under FULL_ACCESS, and
 * storage).
 */
@FunctionalInterface
public interface CallerProbe {
  CallerKind kind();
}
