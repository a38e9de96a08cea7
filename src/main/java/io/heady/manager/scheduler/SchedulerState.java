package io.heady.manager.scheduler;

import io.heady.manager.node.NodeLiveness;
import io.heady.manager.task.TaskLifecycle;
import io.heady.manager.task.TaskRecord;
import java.util.PriorityQueue;

/**
 * What the scheduler's parts ({@link Coordinator}, {@link NodeOps}, {@link TaskOps}) share: the state the
 * scheduler owns, the lifecycles that decide how it moves, the changes of the operation under way, and the sink
 * where decisions leave. Made once, by {@link Scheduler}.
 *
 * @param delayed queued tasks waiting out a retry delay, soonest first
 */
record SchedulerState(SchedulerSink sink, NodeBook nodes, TaskBook tasks, PriorityQueue<TaskRecord> delayed,
    DagReadiness dag, Counters counters, Changes changes, DispatchPass pass, NodeLiveness liveness,
    TaskLifecycle lifecycle) {}
