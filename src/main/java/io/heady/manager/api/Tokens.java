package io.heady.manager.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The two secrets: the join token (agents) and the admin token (people and programs). Generated on first
 * start into {@code <data-dir>/join.token} and {@code admin.token} with mode 0600, unless given.
 */
public final class Tokens {
  /** Which secret a request presented. */
  public enum Kind { JOIN, ADMIN, NONE }

  private final String join;
  private final String admin;
  private final Path joinFile;
  private final Path adminFile;

  private Tokens(String join, String admin, Path joinFile, Path adminFile) {
    this.join = join;
    this.admin = admin;
    this.joinFile = joinFile;
    this.adminFile = adminFile;
  }

  /** Loads or creates the tokens; an explicit value (flag or env) wins and is not written to disk. */
  public static Tokens load(Path dataDir, String joinGiven, String adminGiven) throws IOException {
    Files.createDirectories(dataDir);
    Path jf = dataDir.resolve("join.token");
    Path af = dataDir.resolve("admin.token");
    String j = joinGiven != null && !joinGiven.isBlank() ? joinGiven.trim() : readOrCreate(jf, "hj_");
    String a = adminGiven != null && !adminGiven.isBlank() ? adminGiven.trim() : readOrCreate(af, "ha_");
    if (j.equals(a)) {
      throw new IllegalArgumentException("the join token and the admin token must differ");
    }
    if (j.length() < 16 || a.length() < 16) {
      throw new IllegalArgumentException("tokens must be at least 16 characters");
    }
    return new Tokens(j, a, jf, af);
  }

  private static String readOrCreate(Path file, String prefix) throws IOException {
    if (Files.isRegularFile(file)) {
      String t = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!t.isEmpty()) {
        return t;
      }
    }
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String t = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, t + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return t;
  }

  /** Which token the presented secret is; compared in constant time. */
  public Kind classify(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Kind.NONE;
    }
    byte[] p = presented.getBytes(StandardCharsets.UTF_8);
    boolean isAdmin = MessageDigest.isEqual(p, admin.getBytes(StandardCharsets.UTF_8));
    boolean isJoin = MessageDigest.isEqual(p, join.getBytes(StandardCharsets.UTF_8));
    return isAdmin ? Kind.ADMIN : isJoin ? Kind.JOIN : Kind.NONE;
  }

  public String join() {
    return join;
  }

  public String admin() {
    return admin;
  }

  public Path joinFile() {
    return joinFile;
  }

  public Path adminFile() {
    return adminFile;
  }
}
