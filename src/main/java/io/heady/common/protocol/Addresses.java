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
  /** Agent → manager: a task started running or produced output (fire and forget). */
  public static final String PROGRESS = "heady.cluster.progress";
  /** Agent → manager: the node is shutting down and leaves the cluster (request/reply). */
  public static final String DEREGISTER = "heady.cluster.deregister";
  /** Client → manager: submit a task or a DAG (request/reply, admin token in the message). */
  public static final String SUBMIT = "heady.cluster.submit";
  /** Manager → everyone: node.*, task.* and watchdog.* events (publish). */
  public static final String EVENTS = "heady.events";

  private static final String NODE_PREFIX = "heady.node.";

  private Addresses() {}

  /** Manager → agent: run this task (request/reply: accepted, or refused with a reason). */
  public static String nodeDispatch(String nodeId) {
    return NODE_PREFIX + nodeId + ".dispatch";
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
