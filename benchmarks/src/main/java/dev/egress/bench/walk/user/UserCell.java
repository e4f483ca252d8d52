package dev.egress.bench.walk.user;

import dev.egress.bench.walk.Entry;
import dev.egress.bench.walk.PlatformFrames;
import dev.egress.bench.walk.Task;

/**
 * A notebook cell: loaded by its own {@link dev.egress.bench.walk.UserLoader}, so user code. It
 * calls into a platform library that is {@code depth} frames deep when it connects: the walk
 * crosses all of them.
 */
public final class UserCell implements Entry {
  @Override
  public Object enter(int depth, Task top) {
    return PlatformFrames.descend(depth, top);
  }
}
