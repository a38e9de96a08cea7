package io.heady.manager.store;

/**
 * The store could not be reached or did not answer in time. A write that fails with it may or may not
 * have landed (writes are idempotent: save the current state again). The API answers 503
 * {@code STORE_UNAVAILABLE} with {@code Retry-After}.
 */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreUnavailableException(String message) {
    super(message);
  }
}
