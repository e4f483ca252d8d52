package dev.egress.agent.decide;

import dev.egress.policy.CidrSet;
import java.util.List;

/**
 * What the gate needs beyond the policy, built from the settings on the agent's init thread while
 * the application starts: the hooks are installed first, and a decision that comes before the
 * wiring waits for it.
 *
 * @param unixSockets Unix domain socket path prefixes user code may connect to
 * @param childJvms how a child process gets the agent, or null not to follow
 */
public record Wiring(
    CidrSet internal, DenialRecorder recorder, List<String> unixSockets, ChildJvms childJvms) {}
