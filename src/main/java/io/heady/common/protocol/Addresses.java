package io.heady.common.protocol;

/**
 * Event-bus addresses: a public contract for other Vert.x applications in the cluster. Every message is the
 * same JSON as the HTTP endpoint of the same name.
 */
public final class Addresses {
  /** Agent → manager: register or re-register a node (request/reply). */
  public static final String REGISTER = "heady.cluster.register";
  /** Agent → manager: heartbeat (request/reply). */
  public static final String HEARTBEAT = "heady.cluster.heartbeat";
  /** Agent → manager: a task's result (request/reply). */
  public static final String COMPLETE = "heady.cluster.complete";
  /**
   * Agent → manager: a batch of started attempts and results ({@link Report}; request/reply with one answer
   * per result).
   */
  public static final String REPORT = "heady.cluster.report";
  /** Agent → manager: a task started running or produced output (fire and forget). */
  public static final String PROGRESS = "heady.cluster.progress";
  /** Agent → manager: the node is shutting down and leaves the cluster (request/reply). */
  public static final String DEREGISTER = "heady.cluster.deregister";
  /** Client → manager: submit a task or a DAG (request/reply, admin token in the message). */
  public static final String SUBMIT = "heady.cluster.submit";
  /**
   * Manager → everyone: node.*, task.* and watchdog.* events, published in batches as
   * {@code {events: [{id, type, at, data}, …]}}, oldest first, after the state they describe is written.
   */
  public static final String EVENTS = "heady.events";

  private static final String NODE_PREFIX = "heady.node.";

  private Addresses() {}

  /** Manager → agent: run this task (request/reply: accepted, or refused with a reason). */
  public static String nodeDispatch(String nodeId) {
    return NODE_PREFIX + nodeId + ".dispatch";
  }

  /**
   * Manager → agent: run these tasks ({@code {dispatches: [...]}}; request/reply with
   * {@code {results: [{task_id, status}]}}, status as the single dispatch's: 202, 409, 429, 503, 400).
   */
  public static String nodeDispatchBatch(String nodeId) {
    return NODE_PREFIX + nodeId + ".dispatch-batch";
  }

  /** Manager → agent: cancel this task (request/reply). */
  public static String nodeCancel(String nodeId) {
    return NODE_PREFIX + nodeId + ".cancel";
  }

  /** Manager → agent: a task's full log from an offset (request/reply {@code {data, next_offset, eof}}). */
  public static String nodeLog(String nodeId) {
    return NODE_PREFIX + nodeId + ".log";
  }

  /** Manager → agent: health probe (request/reply with the node's health document). */
  public static String nodeHealth(String nodeId) {
    return NODE_PREFIX + nodeId + ".health";
  }
}
