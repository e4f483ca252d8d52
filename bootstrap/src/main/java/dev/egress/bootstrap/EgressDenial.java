package dev.egress.bootstrap;

/**
 * Marks the exceptions the agent throws on purpose to deny egress. The bridge rethrows these and
 * treats any other throwable from the agent as the agent's own failure.
 */
public interface EgressDenial {}
