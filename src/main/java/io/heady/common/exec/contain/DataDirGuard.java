package io.heady.common.exec.contain;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps a node's data dir (its keys, tokens, other tasks' logs) out of its tasks' reach: the folder and every
 * folder in it {@code 0700}, every file {@code 0600} (group and others lose every right, the owner keeps
 * theirs). Run at start, so files an older version left readable are fixed; it returns what it changed.
 * Symbolic links are not followed. Where the file system has no POSIX modes it does nothing.
 */
public final class DataDirGuard {
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private DataDirGuard() {}

  /** Takes every group and other right away under {@code dir} (made if missing); the paths it changed. */
  public static List<Path> secure(Path dir) throws IOException {
    List<Path> changed = new ArrayList<>();
    if (!Files.getFileStore(Files.createDirectories(dir)).supportsFileAttributeView("posix")) {
      return changed;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        fix(d, changed);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        if (a.isRegularFile()) {
          fix(f, changed);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) {
        return FileVisitResult.CONTINUE; // why: a file that vanished meanwhile needs no fixing
      }
    });
    return changed;
  }

  private static void fix(Path p, List<Path> changed) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> keep = EnumSet.noneOf(PosixFilePermission.class);
    keep.addAll(perms);
    if (keep.removeAll(OTHERS)) {
      Files.setPosixFilePermissions(p, keep);
      changed.add(p);
    }
  }

  /** The mode of a path as {@code rwx------} text, for messages and tests. */
  public static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
