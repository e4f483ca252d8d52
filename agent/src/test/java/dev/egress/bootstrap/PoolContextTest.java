package dev.egress.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bridge's side of carrying a requester into pool tasks, without an agent: what the hooks in
 * {@code ScheduledThreadPoolExecutor}, {@code ForkJoinPool} and {@code ForkJoinTask} call. The
 * instrumented JDK classes themselves are exercised by the integration tests.
 */
class PoolContextTest {
  private final AtomicInteger captures = new AtomicInteger();

  /** Hooks whose {@code contextForTask} answers {@code context} (and counts the calls). */
  private EgressHooks hooksCarrying(Object context) {
    return (EgressHooks)
        Proxy.newProxyInstance(
            EgressHooks.class.getClassLoader(),
            new Class<?>[] {EgressHooks.class},
            (proxy, method, args) -> {
              if (method.getName().equals("contextForTask")) {
                captures.incrementAndGet();
                return context;
              }
              return null;
            });
  }

  private static ForkJoinTask<Object> probeTask() {
    return ForkJoinTask.adapt(EgressContext::current);
  }

  @Test
  void aForkJoinTaskStaysItselfAndGetsItsRequesterWhenItRuns() {
    ForkJoinTask<Object> task = probeTask();
    Runnable submitted = (Runnable) ForkJoinTask.adapt(() -> {});
    assertSame(submitted, HookCalls.carryToPool(hooksCarrying("user"), submitted));
    HookCalls.carryToPool(hooksCarrying("user"), task);
    EgressContext.taskStarts(task);
    assertEquals("user", EgressContext.current());
    EgressContext.taskEnds(task);
    assertNull(EgressContext.current());
    EgressContext.taskStarts(submitted); // taken from the table, so that nothing stays behind
    EgressContext.taskEnds(submitted);
    assertNull(EgressContext.current());
  }

  @Test
  void tasksRunInsideATaskRestoreWhatTheOuterOneCarries() {
    ForkJoinTask<Object> outer = probeTask();
    ForkJoinTask<Object> inner = probeTask();
    ForkJoinTask<Object> plain = probeTask();
    EgressContext.carry(outer, "outer");
    EgressContext.carry(inner, "inner");
    EgressContext.taskStarts(outer);
    EgressContext.taskStarts(plain); // carries nothing: what the outer task carries stays
    assertEquals("outer", EgressContext.current());
    EgressContext.taskEnds(plain);
    EgressContext.taskStarts(inner);
    assertEquals("inner", EgressContext.current());
    EgressContext.taskEnds(inner);
    assertEquals("outer", EgressContext.current());
    EgressContext.taskEnds(outer);
    assertNull(EgressContext.current());
  }

  @Test
  void plainTasksAreWrappedOnceAndKeepTheirExceptions() throws Exception {
    Callable<Object> c = EgressContext::current;
    Callable<Object> wrapped = HookCalls.carry(hooksCarrying("user"), c);
    assertNotSame(c, wrapped);
    assertEquals("user", wrapped.call());
    assertNull(EgressContext.current());
    assertSame(wrapped, HookCalls.carry(hooksCarrying("other"), wrapped));
    assertEquals(1, captures.get(), "an already wrapped task is not captured again");
    Callable<Object> failing =
        () -> {
          throw new java.io.IOException("as is");
        };
    assertEquals(
        "as is",
        assertThrows(
                java.io.IOException.class, HookCalls.carry(hooksCarrying("user"), failing)::call)
            .getMessage());
    assertNull(EgressContext.current());
    assertSame(c, HookCalls.carry(hooksCarrying(null), c), "nothing to carry: the task itself");
  }

  @Test
  void invokeAllGetsTheSameTasksWrappedInOrder() throws Exception {
    Callable<Object> a = () -> "a";
    Callable<Object> b = EgressContext::current;
    List<?> out = (List<?>) HookCalls.carryTasks(hooksCarrying("user"), List.of(a, b));
    assertEquals("a", ((Callable<?>) out.get(0)).call());
    assertEquals("user", ((Callable<?>) out.get(1)).call());
  }

  @Test
  void aForkInsideAWorkerCarriesOnlyWhatTheWorkerRunsForWithoutAWalk() throws Exception {
    EgressHooks hooks = hooksCarrying("walked");
    ForkJoinPool pool = new ForkJoinPool(1);
    try {
      ForkJoinTask<Object> uncarried = probeTask();
      ForkJoinTask<Object> carried = probeTask();
      pool.submit(() -> HookCalls.forked(hooks, uncarried)).get();
      assertEquals(0, captures.get(), "a worker's fork never captures");
      pool.submit(() -> EgressContext.runWith("running", () -> HookCalls.forked(hooks, carried)))
          .get();
      EgressContext.taskStarts(carried);
      assertEquals("running", EgressContext.current());
      EgressContext.taskEnds(carried);
      EgressContext.taskStarts(uncarried);
      assertNull(EgressContext.current());
      EgressContext.taskEnds(uncarried);
    } finally {
      pool.shutdown();
    }
    ForkJoinTask<Object> external = probeTask();
    HookCalls.forked(hooks, external); // from this thread, outside any pool: captured
    assertEquals(1, captures.get());
    EgressContext.taskStarts(external);
    assertEquals("walked", EgressContext.current());
    EgressContext.taskEnds(external);
  }
}
