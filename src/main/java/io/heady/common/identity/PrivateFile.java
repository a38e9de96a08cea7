package io.heady.common.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets on disk (tokens, keys, the cluster's identity): files only their owner reads, replaced atomically. */
public final class PrivateFile {
  private PrivateFile() {}

  /**
   * Writes {@code content} (UTF-8) to a file readable by its owner only (0600 where the file system has POSIX
   * permissions), through a temporary file moved into place: a reader sees the old or the new content, never
   * part of it, and the secret is never readable by others, not even for a moment.
   */
  public static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
