package dev.egress.bench.walk.user;

import dev.egress.bench.walk.Entry;
import dev.egress.bench.walk.Task;

/**
 * User code that itself recurses {@code depth} times and then connects: the first frame the walk
 * meets is user code, so the walk stops there whatever the depth (the cheap case, for contrast with
 * {@link UserCell}).
 */
public final class UserRecursion implements Entry {
  @Override
  public Object enter(int depth, Task top) {
    if (depth <= 0) {
      return top.run();
    }
    Object r = enter(depth - 1, top);
    return r;
  }
}
