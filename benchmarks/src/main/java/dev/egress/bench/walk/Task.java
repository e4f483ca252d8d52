package dev.egress.bench.walk;

/** What runs at the top of a built stack: the connect's decision (or just the walk). */
public interface Task {
  Object run();
}
