package dev.egress.bench.walk;

/**
 * The frame at the bottom of a built stack (user code, a gateway): builds {@code depth} frames,
 * then runs top.
 */
public interface Entry {
  Object enter(int depth, Task top);
}
