package io.heady.client.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options the launcher would give a role ({@code launcher/<role>[-small].options}, shipped inside the
 * jar under {@code heady/install/launcher/}), so that a benchmarked process runs as an installed one would.
 */
public final class JvmProfile {
  private JvmProfile() {}

  /**
   * The options of a launcher file, e.g. {@code manager}, {@code agent}, {@code agent-small}.
   *
   * @throws IllegalArgumentException when the jar has no such file
   */
  public static List<String> options(String name) {
    String res = "/heady/install/launcher/" + name + ".options";
    try (InputStream in = JvmProfile.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalArgumentException("no launcher profile '" + name + "' in this jar (" + res + ")");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + res + ": " + e.getMessage(), e);
    }
  }

  /** An options file as the launcher reads it: words separated by blanks, {@code #} starts a comment. */
  static List<String> parse(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (!l.isEmpty()) {
        out.addAll(List.of(l.split("\\s+")));
      }
    }
    return out;
  }
}
