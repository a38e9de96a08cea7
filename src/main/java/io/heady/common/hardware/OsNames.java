package io.heady.common.hardware;

import java.util.Optional;

/** A human name for the operating system: "Debian GNU/Linux 12 (bookworm)", "macOS 14.5", "Windows 11". */
final class OsNames {
  private OsNames() {}

  /** {@code PRETTY_NAME} from the text of an os-release file (quotes and escapes removed). */
  static Optional<String> prettyName(String osRelease) {
    if (osRelease == null) {
      return Optional.empty();
    }
    for (String raw : osRelease.split("\\R")) {
      String line = raw.strip();
      if (!line.startsWith("PRETTY_NAME=")) {
        continue;
      }
      String v = line.substring("PRETTY_NAME=".length()).strip();
      if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.endsWith(v.substring(0, 1))) {
        v = v.substring(1, v.length() - 1);
      }
      v = v.replace("\\\"", "\"").replace("\\$", "$").replace("\\`", "`").replace("\\\\", "\\").strip();
      return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
    return Optional.empty();
  }

  /** {@code family version}, skipping blank or "unknown" parts; null when nothing is left. */
  static String join(String family, String version) {
    StringBuilder sb = new StringBuilder();
    for (String part : new String[] {family, version}) {
      if (part != null && !part.isBlank() && !"unknown".equalsIgnoreCase(part.strip())) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(part.strip());
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }
}
