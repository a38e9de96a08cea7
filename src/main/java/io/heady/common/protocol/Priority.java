package io.heady.common.protocol;

/** Task priority, P0 (most urgent) to P3. */
public enum Priority {
  P0, P1, P2, P3;

  public static Priority parse(String s) {
    if (s == null) {
      return P2;
    }
    return switch (s) {
      case "P0", "p0" -> P0;
      case "P1", "p1" -> P1;
      case "P2", "p2" -> P2;
      case "P3", "p3" -> P3;
      default -> throw new InvalidInputException("priority", "priority must be one of P0, P1, P2, P3");
    };
  }

  /** One step more urgent (the watchdog's escalation); P0 stays P0. */
  public Priority escalated() {
    return this == P0 ? P0 : values()[ordinal() - 1];
  }
}
