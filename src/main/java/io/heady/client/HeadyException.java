package io.heady.client;

import io.vertx.core.json.JsonObject;

/**
 * What went wrong talking to the manager: the API's error ({@code code}, {@code message}, {@code details}) with
 * its HTTP status, or a client-side failure ({@code CONNECTION_FAILED}, {@code TIMEOUT}, {@code BAD_RESPONSE},
 * {@code INTERRUPTED}, {@code NO_HANDLERS}) with status 0.
 */
public final class HeadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The manager could not be reached. */
  public static final String CONNECTION_FAILED = "CONNECTION_FAILED";
  /** The manager (or a wait) did not finish in time. */
  public static final String TIMEOUT = "TIMEOUT";
  /** The manager's answer was not the JSON the API documents. */
  public static final String BAD_RESPONSE = "BAD_RESPONSE";
  /** The calling thread was interrupted while waiting. */
  public static final String INTERRUPTED = "INTERRUPTED";

  private final int status;
  private final String code;
  private final transient JsonObject details;

  public HeadyException(int status, String code, String message, JsonObject details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details == null ? new JsonObject() : details;
  }

  public HeadyException(int status, String code, String message) {
    this(status, code, message, null);
  }

  HeadyException(String code, String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.code = code;
    this.details = new JsonObject();
  }

  /** The HTTP status (or the event-bus failure code); 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The API's {@code UPPER_SNAKE} error code, or one of this class's client-side codes. */
  public String code() {
    return code;
  }

  /** The API's {@code details} object (for example {@code {"field": "command"}}); never null. */
  public JsonObject details() {
    return details;
  }

  /** The token was missing or not valid for this cluster (401). */
  public boolean unauthorized() {
    return status == 401;
  }

  /** The task or node does not exist (404). */
  public boolean notFound() {
    return status == 404;
  }

  /**
   * Builds the exception from an error body {@code {"error": {code, message, details}}}; anything else becomes
   * {@code BAD_RESPONSE} quoting the start of the body.
   */
  public static HeadyException fromErrorBody(int status, String body) {
    try {
      JsonObject err = new JsonObject(body).getJsonObject("error");
      if (err != null && err.getString("message") != null) {
        return new HeadyException(status, err.getString("code", "HTTP_" + status), err.getString("message"),
            err.getJsonObject("details"));
      }
    } catch (RuntimeException notJson) {
      // fall through: a proxy's HTML page, a plain-text answer
    }
    String first = body == null ? "" : body.strip().lines().findFirst().orElse("");
    if (first.length() > 120) {
      first = first.substring(0, 120) + "…";
    }
    return new HeadyException(status, BAD_RESPONSE, "the manager answered HTTP " + status
        + (first.isEmpty() ? "" : ": " + first) + " (is the URL a heady manager?)");
  }
}
