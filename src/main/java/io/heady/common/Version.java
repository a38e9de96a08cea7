package io.heady.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * heady's version, as the build set it: {@code heady/version.properties} (filled in from the pom's
 * {@code project.version} by Maven resource filtering), else the jar manifest's {@code Implementation-Version},
 * else {@code dev} (classes compiled outside Maven).
 */
public final class Version {
  public static final String VERSION = readVersion();

  private Version() {}

  private static String readVersion() {
    String v = fromResource();
    if (v == null) {
      v = Version.class.getPackage().getImplementationVersion();
    }
    return v == null || v.isBlank() ? "dev" : v;
  }

  /** The filtered resource's version, or {@code null} when it is missing or was not filtered. */
  static String fromResource() {
    try (InputStream in = Version.class.getResourceAsStream("/heady/version.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "").trim();
      return v.isEmpty() || v.contains("${") ? null : v;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
