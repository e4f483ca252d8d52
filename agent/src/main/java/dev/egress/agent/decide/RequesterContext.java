package dev.egress.agent.decide;

import dev.egress.policy.CallerKind;

/**
 * Who made a request, captured on the requesting thread and carried (by {@code
 * dev.egress.bootstrap.EgressContext}) to the threads that connect on its behalf.
 */
public record RequesterContext(CallerKind kind, CallerFrame frame) {}
