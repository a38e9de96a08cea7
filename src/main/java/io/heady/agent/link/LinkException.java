package io.heady.agent.link;

/** The manager refused a request ({@code status} as HTTP would say it), or could not be reached (status 0). */
public final class LinkException extends RuntimeException {
  private final int status;
  private final String code;

  public LinkException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The manager does not know this node (it restarted): register again. */
  public boolean unknownNode() {
    return status == 404 && "UNKNOWN_NODE".equals(code);
  }

  /** A final answer about a result: it was taken, is stale, or its task is unknown. Stop retrying. */
  public boolean settled() {
    return io.heady.common.node.Reports.settled(status);
  }
}
