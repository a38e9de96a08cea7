package io.heady.common.protocol;

/** The error codes of the API, with their HTTP status. */
public enum ErrorCode {
  BAD_JSON(400),
  INVALID_FIELD(400),
  CYCLE(400),
  /** A task names a secret the cluster does not hold ({@code heady secret list}). */
  UNKNOWN_SECRET(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  RESERVED_ID(403),
  REVOKED(403),
  NOT_FOUND(404),
  UNKNOWN_NODE(404),
  UNKNOWN_TASK(404),
  STALE_LEASE(409),
  /** A node name that several nodes share; the details list their ids ({@code node_ids}). */
  AMBIGUOUS_NODE(409),
  CONFLICT(409),
  DUPLICATE(409),
  ID_TAKEN(409),
  /** A client-chosen task id is taken by a task with a different spec (the same spec is an idempotent repeat). */
  ID_CONFLICT(409),
  BODY_TOO_LARGE(413),
  /** A body declared as something other than JSON ({@code Content-Type}). */
  UNSUPPORTED_MEDIA_TYPE(415),
  NODE_FULL(429),
  RATE_LIMITED(429),
  TOO_MANY_PENDING(429),
  NOT_LEADER(503),
  /** The manager keeps no more enrollments (its cap on nodes). */
  TOO_MANY_NODES(507),
  STORE_UNAVAILABLE(503),
  INTERNAL(500);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
