package io.heady.common.http;

import java.util.Locale;

/**
 * Whether a request's {@code Content-Type} lets its body be read as JSON. Every body heady's servers take is a
 * JSON document, so a body declared as something else is refused (415) before a byte of it is read; above all a
 * form ({@code curl -d} sends {@code application/x-www-form-urlencoded}), which the body reader would otherwise try
 * to decode as form fields and fail on with an error about percent-encoding that names nothing the caller did.
 *
 * <p>Accepted: {@code application/json} and {@code application/*+json}, with no charset or UTF-8 (the body is
 * decoded as UTF-8), and no {@code Content-Type} at all.
 */
public final class JsonMediaType {
  /** The type heady's bodies are. */
  public static final String EXPECTED = "application/json";

  private JsonMediaType() {}

  /**
   * Why a body of this declared type is not taken, or {@code null} when it is.
   *
   * <p>why no header is accepted: a body without a declared type cannot be mistaken for a form (the body reader
   * decodes forms only when the header says so), HTTP lets a receiver judge such a body by its content, and simple
   * clients (Java's HttpClient, scripts) send none; the JSON parser then names what is wrong with the text.
   *
   * @param header the request's {@code Content-Type}, or {@code null}
   */
  public static String refusal(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String[] parts = header.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    boolean json = type.equals(EXPECTED) || (type.startsWith("application/") && type.endsWith("+json"));
    if (!json) {
      return "the body must be JSON sent as Content-Type: " + EXPECTED + ", not " + shown(type)
          + (type.equals("application/x-www-form-urlencoded")
              ? " (curl -d sends that; add -H 'Content-Type: application/json', or use curl --json)" : "");
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
        String cs = p.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!cs.equals("utf-8") && !cs.equals("utf8") && !cs.equals("us-ascii")) {
          return "the body must be UTF-8 JSON (Content-Type: " + EXPECTED + "; charset=utf-8), not charset "
              + shown(cs);
        }
      }
    }
    return null;
  }

  /** The type as the caller sent it, cut short and stripped of control characters (it goes into a message). */
  private static String shown(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.isEmpty() ? "an empty type" : clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
  }
}
