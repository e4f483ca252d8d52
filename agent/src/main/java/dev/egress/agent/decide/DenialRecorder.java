package dev.egress.agent.decide;

/** Where the gate sends each denial: the violation record pipeline. Must not block or throw. */
public interface DenialRecorder {
  void record(Denial denial);
}
