package io.heady.common;

/** heady's version, from the jar's manifest when there is one. */
public final class Version {
  public static final String VERSION = readVersion();

  private Version() {}

  private static String readVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
