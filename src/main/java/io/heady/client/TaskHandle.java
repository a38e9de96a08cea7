package io.heady.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A submitted (or looked-up) task: read it, cancel it, or wait for its result.
 *
 * <pre>{@code
 * TaskResult r = client.run("echo hi").await();   // r.exitCode() == 0, r.stdout() == "hi\n"
 * }</pre>
 */
public final class TaskHandle {
  /** First pause between looks at a running task; it grows to {@link #MAX_PAUSE}. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(20);
  static final Duration MAX_PAUSE = Duration.ofMillis(500);

  private final HeadyClient client;
  private final String id;
  private final Submission submission;

  TaskHandle(HeadyClient client, String id, Submission submission) {
    this.client = client;
    this.id = id;
    this.submission = submission;
  }

  public String id() {
    return id;
  }

  /** The manager's answer to the submission; empty for a handle made from an id. */
  public Optional<Submission> submission() {
    return Optional.ofNullable(submission);
  }

  /** The task's record now. */
  public TaskInfo info() {
    return client.task(id);
  }

  public TaskStatus status() {
    return info().status();
  }

  /** Cancels it (queued: it never runs; running: its process tree is killed). */
  public TaskInfo cancel() {
    return client.cancel(id);
  }

  /** Waits, however long it takes, until the task is finished. */
  public TaskResult await() {
    return await(null, TaskListener.NONE);
  }

  /** Waits up to {@code limit}; a {@link HeadyException} with code {@code TIMEOUT} after that. */
  public TaskResult await(Duration limit) {
    return await(limit, TaskListener.NONE);
  }

  /**
   * Waits up to {@code limit} ({@code null}: no limit), telling {@code listener} about each look at the task
   * and its output. Output is streamed live when the listener wants it and the manager can stream it
   * ({@code GET …/log?follow=true}); otherwise it is handed on as the task record shows it.
   */
  public TaskResult await(Duration limit, TaskListener listener) {
    TaskListener l = listener == null ? TaskListener.NONE : listener;
    long start = System.nanoTime();
    long limitNanos = limit == null ? Long.MAX_VALUE : Math.max(0, limit.toNanos());
    OutputTracker out = new OutputTracker(l);
    boolean streamTried = !l.wantsOutput();
    boolean streamed = false;
    long pause = FIRST_PAUSE.toNanos();
    while (true) {
      TaskInfo t = client.task(id);
      l.update(t);
      if (!streamed) {
        out.attempt(t.attempts(), t.nodeId());
      }
      if (t.status().terminal()) {
        if (!streamed) {
          // why: the record's tails are the output only when the stream did not hand on all of it
          out.offer(t.stdout(), t.stderr());
        }
        return t.toResult();
      }
      long left = limitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : limitNanos - (System.nanoTime() - start);
      if (!streamTried && (t.status() == TaskStatus.RUNNING || t.status() == TaskStatus.DISPATCHED)) {
        streamTried = true;
        HeadyClient.Follow f = client.followLog(id, out, left);
        if (f != HeadyClient.Follow.NOT_STREAMED) {
          streamed = f == HeadyClient.Follow.ENDED;
          pause = FIRST_PAUSE.toNanos();
          continue;
        }
      }
      if (!streamed) {
        out.offer(t.stdout(), t.stderr());
      }
      left = limitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : limitNanos - (System.nanoTime() - start);
      if (left <= 0) {
        throw new HeadyException(0, HeadyException.TIMEOUT, "task " + id + " is still " + t.status().wire()
            + " after " + Duration.ofNanos(limitNanos).toMillis() + " ms");
      }
      // why: a client polling interval, short at first so quick tasks return at once, then backing off
      LockSupport.parkNanos(Math.min(pause, left));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new HeadyException(0, HeadyException.INTERRUPTED, "interrupted while waiting for task " + id);
      }
      pause = Math.min(MAX_PAUSE.toNanos(), pause * 3 / 2);
    }
  }

  /**
   * Waits for the task like {@link #await()} and hands each line of its output to {@code onLine} as soon as the
   * manager streams it (stdout and stderr kept apart, in the order the task wrote them), on this thread.
   *
   * <pre>{@code
   * TaskResult r = client.run("make test").follow(line ->
   *     (line.stderr() ? System.err : System.out).println(line.text()));
   * }</pre>
   */
  public TaskResult follow(Consumer<OutputLine> onLine) {
    return follow(null, onLine);
  }

  /** {@link #follow(Consumer)} for at most {@code limit} ({@code null}: no limit); then a {@code TIMEOUT}. */
  public TaskResult follow(Duration limit, Consumer<OutputLine> onLine) {
    LineListener lines = new LineListener(onLine);
    TaskResult r = await(limit, lines);
    lines.flush();
    return r;
  }

  /** {@link #await()} on a common-pool thread. */
  public CompletableFuture<TaskResult> awaitAsync() {
    return CompletableFuture.supplyAsync(this::await);
  }

  @Override
  public String toString() {
    return "TaskHandle[" + id + "]";
  }
}
