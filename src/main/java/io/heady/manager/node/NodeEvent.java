package io.heady.manager.node;

/** What can happen to a node; the inputs of {@link NodeStatusMachine}. */
public enum NodeEvent {
  /** The agent registered (first time or again). */
  REGISTERED,
  /** A heartbeat arrived. */
  HEARTBEAT,
  /** No heartbeat for the TTL. */
  TTL_EXPIRED,
  /** No heartbeat for the offline timeout. */
  OFFLINE_EXPIRED,
  /** The node's cluster member left (process died or was partitioned). */
  MEMBER_LOST,
  /** Too many consecutive active probes failed. */
  PROBES_FAILED,
  /** Reliability fell below the quarantine bar. */
  RELIABILITY_LOW,
  /** An operator reinstated a quarantined node. */
  REINSTATED,
  /** A dispatch to the node was not delivered (refused connection, no handler, no answer, closing). */
  UNDELIVERED,
  /** An active probe of the node answered. */
  PROBE_OK,
  /** The node sent a report (starts or results): it is alive. */
  REPORTED,
  /** A quarantined node ran enough probation tasks to its end. */
  PROBATION_PASSED,
  /** An operator drained the node. */
  DRAIN_ON,
  /** An operator lifted the drain. */
  DRAIN_OFF
}
