package io.heady.manager.scheduler;

/** Predictable ids: t1, t2, …; l1, l2, …; dag1, … */
final class SequentialIds extends IdSource {
  private int task;
  private int lease;
  private int dag;

  @Override
  public String taskId() {
    return "t" + (++task);
  }

  @Override
  public String leaseId() {
    return "l" + (++lease);
  }

  @Override
  public String dagId() {
    return "dag" + (++dag);
  }
}
