package org.apache.hadoop.fs;

import dev.egress.bench.walk.Entry;
import dev.egress.bench.walk.PlatformFrames;
import dev.egress.bench.walk.Task;

/**
 * Stands in for the platform's data layer: an application class-path class under the gateway prefix
 * {@code org.apache.hadoop.fs.}. With it at the bottom of the stack and only platform frames above
 * it, the walk crosses the whole depth and answers PLATFORM_MEDIATED.
 */
public final class BenchGatewayFileSystem implements Entry {
  @Override
  public Object enter(int depth, Task top) {
    return PlatformFrames.descend(depth, top);
  }
}
