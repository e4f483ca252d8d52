package dev.egress.agent.decide;

/** The frame a violation record names as its caller. */
public record CallerFrame(
    String className, String methodName, int line, String codeSource, boolean userCode) {}
