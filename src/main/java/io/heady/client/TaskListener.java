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

  /**
   * A new attempt of the task began (a retry, perhaps on another node): the output that follows is its own,
   * from its start. Not called for the first attempt.
   */
  default void attempt(int attempt, String nodeId) {}

  /** Whether to ask the manager to stream output while the task runs ({@code stdout}/{@code stderr} live). */
  default boolean wantsOutput() {
    return false;
  }
}
