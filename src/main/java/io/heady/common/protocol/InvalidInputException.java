package io.heady.common.protocol;

/** Bad input from a client or agent: the API answers 400 naming {@link #field()}. */
public final class InvalidInputException extends RuntimeException {
  private final String field;

  public InvalidInputException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
