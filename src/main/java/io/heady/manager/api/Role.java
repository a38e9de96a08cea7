package io.heady.manager.api;

import java.util.Locale;

/**
 * What a person's token may do. Each role includes the ones below it: a viewer reads, an operator also
 * submits, cancels and drains, an admin also deletes and reinstates nodes, rotates and manages tokens.
 */
public enum Role {
  VIEWER, OPERATOR, ADMIN;

  /** Whether this role may do what {@code needed} may. */
  public boolean covers(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  /** The name on the wire and on the command line: {@code viewer}, {@code operator}, {@code admin}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code s} (any case), or {@code null}. */
  public static Role parse(String s) {
    if (s == null) {
      return null;
    }
    for (Role r : values()) {
      if (r.wire().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    return null;
  }
}
