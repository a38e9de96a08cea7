package io.heady.common.http;

/**
 * What a {@link RequestGate.Check} decided from a request's head: let it in (with or without a valid
 * credential, which sets its body limit), or refuse it with a status and an error code.
 *
 * @param status 0 when admitted, else the HTTP status of the refusal (401, 403, 400)
 * @param code the error code of a refusal ({@code UNAUTHORIZED}, {@code FORBIDDEN}, …)
 * @param message what is wrong and what to do
 * @param authenticated whether an admitted caller holds a valid credential (its body may be as large as the
 *     route allows; without one it gets the small anonymous limit)
 */
public record Verdict(int status, String code, String message, boolean authenticated) {
  private static final Verdict ANONYMOUS = new Verdict(0, null, null, false);
  private static final Verdict AUTHENTICATED = new Verdict(0, null, null, true);

  /** Admitted with a valid credential. */
  public static Verdict withCredential() {
    return AUTHENTICATED;
  }

  /** Admitted without one (an open route). */
  public static Verdict anonymous() {
    return ANONYMOUS;
  }

  /** 401 {@code UNAUTHORIZED}: no credential, or one this server does not know. */
  public static Verdict unauthorized(String message) {
    return new Verdict(401, "UNAUTHORIZED", message, false);
  }

  /** 403 {@code FORBIDDEN}: a valid credential that may not do this. */
  public static Verdict forbidden(String message) {
    return forbidden("FORBIDDEN", message);
  }

  /** 403 with a more specific code. */
  public static Verdict forbidden(String code, String message) {
    return new Verdict(403, code, message, true);
  }

  /** Any other refusal decided from the head (a bad query string: 400). */
  public static Verdict refuse(int status, String code, String message) {
    return new Verdict(status, code, message, false);
  }

  public boolean admitted() {
    return status == 0;
  }
}
