package dev.egress.bootstrap;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.ForkJoinTask;
import org.junit.jupiter.api.Test;

/**
 * The bridge's task hooks are public (instrumented {@code ForkJoinTask.doExec} calls them), so
 * anyone can call them: an end of a running task's requester must come from {@code ForkJoinTask}.
 */
class TaskEndsTest {
  @Test
  void anEndNotCalledByForkJoinTaskLeavesTheRequesterInstalled() {
    ForkJoinTask<?> task = ForkJoinTask.adapt(() -> {});
    Object requester = new Object();
    EgressContext.carry(task, requester);
    EgressContext.taskStarts(task); // as doExec's entry hook would
    try {
      assertSame(requester, EgressContext.current());
      EgressBridge.taskEnds(task); // user code, not ForkJoinTask
      assertSame(requester, EgressContext.current(), "a forged end removed the requester");
    } finally {
      task.complete(null); // done: the next start on this thread drops it
      EgressContext.taskStarts(ForkJoinTask.adapt(() -> {}));
    }
    assertSame(null, EgressContext.current());
  }
}
