package dev.egress.agent.decide;

import dev.egress.policy.CidrSet;

/**
 * What the gate needs beyond the policy, built from the settings on the agent's init thread while
 * the application starts: the hooks are installed first, and a decision that comes before the
 * wiring waits for it.
 */
public record Wiring(CidrSet internal, CallerFinder callers, DenialRecorder recorder) {}
