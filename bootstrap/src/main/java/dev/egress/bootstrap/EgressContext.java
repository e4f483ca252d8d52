package dev.egress.bootstrap;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requester's context, carried to the threads that do the work of its request. An HTTP client
 * connects on its own worker or event-loop threads, whose stacks hold no trace of the notebook cell
 * or UDF that asked; the agent captures who asked where the request is made and installs it on the
 * worker for the duration of each task of that request.
 *
 * <p>The context object is the agent's own; this class only stores and forwards it.
 */
public final class EgressContext {
  private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

  /**
   * The requester each thread was started by, when that was a requester (user code, or a thread
   * carrying one): a thread whose task is plain JDK code (a method-handle proxy, a JDK functional
   * object) otherwise shows nothing of who set it to work. Weak keys: a dead thread's entry goes.
   */
  private static final java.util.Map<Thread, Object> INHERITED =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** Requesters of submitted {@code ForkJoinTask}s that have not started yet. */
  private static final TaskContexts TASKS = new TaskContexts();

  /** The fork/join tasks running now on each thread with a requester installed, innermost first. */
  private static final ThreadLocal<RunningTask> RUNNING = new ThreadLocal<>();

  /** How many such tasks run now on all threads: zero keeps a task's end to one volatile read. */
  private static final AtomicInteger RUNNING_COUNT = new AtomicInteger();

  private EgressContext() {}

  /** The requester on whose behalf this thread runs now, or null. */
  public static Object current() {
    Object c = CURRENT.get();
    return c != null ? c : INHERITED.get(Thread.currentThread());
  }

  /**
   * The requester installed on this thread for the task it runs (never the one it inherited): what
   * a pool's worker, which inherits nothing, works for right now. One thread-local read.
   */
  static Object installed() {
    return CURRENT.get();
  }

  /**
   * Records that {@code thread} works for {@code context} (called as it starts). This and the
   * wrapping methods below are package-private: public, they would let user code hand a pool a task
   * pre-wrapped with no requester, or erase a thread's inherited one.
   */
  static void inherit(Thread thread, Object context) {
    INHERITED.put(thread, context);
  }

  /** An executor that runs each task with {@code context} installed. */
  static Executor carrying(Executor delegate, Object context) {
    return new ContextExecutor(delegate, context);
  }

  /** {@code task}, to run with {@code context} installed. */
  static Runnable wrap(Runnable task, Object context) {
    return task instanceof ContextTask ? task : new ContextTask(task, context);
  }

  /** {@code task}, to run with {@code context} installed. */
  static <V> Callable<V> wrap(Callable<V> task, Object context) {
    return task instanceof ContextCallable ? task : new ContextCallable<>(task, context);
  }

  /** True when {@code task} is already wrapped with a requester by this class. */
  static boolean wrapped(Object task) {
    return task instanceof ContextTask || task instanceof ContextCallable;
  }

  /**
   * Records that the fork/join task {@code task} works for {@code context}: installed when the task
   * starts ({@link #taskStarts}), so that the task itself is not replaced by a wrapper.
   */
  static void carry(Object task, Object context) {
    TASKS.put(task, context);
  }

  /**
   * Called as a fork/join task starts to run ({@code ForkJoinTask.doExec}, on whatever thread runs
   * it): installs the requester recorded for it, if any. Costs one volatile read while no submitted
   * task carries a requester.
   */
  static void taskStarts(Object task) {
    if (RUNNING_COUNT.get() != 0) {
      dropFinished();
    }
    if (TASKS.isEmpty()) {
      return;
    }
    Object context = TASKS.take(task);
    if (context == null) {
      return;
    }
    RUNNING.set(new RunningTask(task, CURRENT.get(), RUNNING.get()));
    RUNNING_COUNT.incrementAndGet();
    CURRENT.set(context);
  }

  /**
   * Called as a fork/join task's run ends: restores what the thread carried before, when {@link
   * #taskStarts} installed a requester for this very task (a task may run other tasks while it
   * waits for them: each restores its own).
   */
  static void taskEnds(Object task) {
    if (RUNNING_COUNT.get() == 0) {
      return;
    }
    RunningTask top = RUNNING.get();
    if (top == null || top.task() != task) {
      return;
    }
    pop(top);
  }

  /**
   * True when {@link #taskEnds} of {@code task} would undo an install on this thread: only then
   * does the public {@code EgressBridge.taskEnds} check that {@code ForkJoinTask} is calling it
   * (user code calling it for its own running task would end that task's requester early).
   */
  static boolean endWouldUndo(Object task) {
    if (RUNNING_COUNT.get() == 0) {
      return false;
    }
    RunningTask top = RUNNING.get();
    return top != null && top.task() == task;
  }

  /** Removes {@code top}, this thread's innermost installed task, and restores what it replaced. */
  private static void pop(RunningTask top) {
    if (top.outer() == null) {
      RUNNING.remove();
    } else {
      RUNNING.set(top.outer());
    }
    RUNNING_COUNT.decrementAndGet();
    restore(top.previous());
  }

  /**
   * Undoes the installs of tasks on this thread that are done although their end was never seen:
   * {@code doExec} can leave by an exception thrown past its own handler (a completer's {@code
   * onExceptionalCompletion} that throws), and the thread would otherwise keep that requester for
   * the tasks it runs next.
   */
  private static void dropFinished() {
    RunningTask top = RUNNING.get();
    while (top != null
        && top.task() instanceof java.util.concurrent.ForkJoinTask
        && ((java.util.concurrent.ForkJoinTask<?>) top.task()).isDone()) {
      pop(top);
      top = top.outer();
    }
  }

  /** Runs {@code task} with {@code context} installed, then restores what was there. */
  static void runWith(Object context, Runnable task) {
    Object previous = CURRENT.get();
    CURRENT.set(context);
    try {
      task.run();
    } finally {
      restore(previous);
    }
  }

  private static void restore(Object previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** A fork/join task running with a requester installed, and what the thread carried before. */
  private record RunningTask(Object task, Object previous, RunningTask outer) {}

  private static final class ContextExecutor implements Executor {
    private final Executor delegate;
    private final Object context;

    ContextExecutor(Executor delegate, Object context) {
      this.delegate = delegate;
      this.context = context;
    }

    @Override
    public void execute(Runnable task) {
      delegate.execute(new ContextTask(task, context));
    }
  }

  private static final class ContextTask implements Runnable {
    private final Runnable task;
    private final Object context;

    ContextTask(Runnable task, Object context) {
      this.task = task;
      this.context = context;
    }

    @Override
    public void run() {
      runWith(context, task);
    }

    @Override
    public String toString() {
      return String.valueOf(task); // what a pool's or future's toString shows of its task
    }
  }

  private static final class ContextCallable<V> implements Callable<V> {
    private final Callable<V> task;
    private final Object context;

    ContextCallable(Callable<V> task, Object context) {
      this.task = task;
      this.context = context;
    }

    @Override
    public V call() throws Exception {
      Object previous = CURRENT.get();
      CURRENT.set(context);
      try {
        return task.call();
      } finally {
        restore(previous);
      }
    }

    @Override
    public String toString() {
      return String.valueOf(task);
    }
  }
}
