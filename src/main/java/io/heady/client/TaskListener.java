package io.heady.client;

/** Follows a task while {@link TaskHandle#await(java.time.Duration, TaskListener)} waits for it. */
public interface TaskListener {
  /** Listens to nothing. */
  TaskListener NONE = new TaskListener() {};

  /** The latest record, after every look at the task (so a progress display can tick). */
  default void update(TaskInfo task) {}

  /** New standard output, in order, each byte once. */
  default void stdout(String text) {}

  /** New standard error, in order, each byte once. */
  default void stderr(String text) {}

  /** Whether to ask the manager to stream output while the task runs ({@code stdout}/{@code stderr} live). */
  default boolean wantsOutput() {
    return false;
  }
}
