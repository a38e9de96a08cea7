package io.heady.common.exec.contain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of the control-group file systems, seen from a root directory: {@code /} on a node; tests give a
 * temporary folder and override {@link #mkdir} to fill a new group with the files the kernel would make.
 * Paths handed in are absolute as the node sees them ({@code /sys/fs/cgroup/memory/heady}).
 */
public class CgroupFs {
  private final Path root;

  public CgroupFs(Path root) {
    this.root = root;
  }

  /** This node's control groups, under {@code /}. */
  public static CgroupFs system() {
    return new CgroupFs(Path.of("/"));
  }

  /** Where an absolute node path lies under the root. */
  public Path at(String absolute) {
    String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  /** The root this instance reads under ({@code /} on a node). */
  public Path root() {
    return root;
  }

  /** The file's text, trimmed; {@code null} when it does not exist or cannot be read. */
  public String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Writes {@code value} to an existing control file, as one write. Control files exist or they do not: this
   * never creates one on a node (a missing file means the kernel lacks the feature).
   */
  public void write(Path file, String value) throws IOException {
    if (!exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    Files.write(file, value.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  public boolean exists(Path p) {
    return Files.exists(p);
  }

  public boolean writable(Path p) {
    return Files.isWritable(p);
  }

  /** Makes a group (a directory) unless it exists; tests override it to add the kernel's files. */
  public void mkdir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectory(dir);
    }
  }

  /**
   * Removes an empty group. The control files in it are not real files on a node, so only the directory is
   * removed; a fake tree's files are removed first. False when it is still in use (or gone already: true).
   */
  public boolean rmdir(Path dir) {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try {
      Files.delete(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The child groups of a group (directories only). */
  public List<Path> children(Path dir) {
    List<Path> out = new ArrayList<>();
    try (var s = Files.list(dir)) {
      s.filter(Files::isDirectory).forEach(out::add);
    } catch (IOException | RuntimeException e) {
      // why: a group that vanished has no children
    }
    return out;
  }

  /** The process ids listed in a {@code cgroup.procs} or {@code tasks} file; empty when none or unreadable. */
  public List<Long> pids(Path file) {
    List<Long> out = new ArrayList<>();
    String s = read(file);
    if (s == null || s.isEmpty()) {
      return out;
    }
    for (String line : s.split("\n")) {
      String t = line.trim();
      if (!t.isEmpty()) {
        try {
          out.add(Long.parseLong(t));
        } catch (NumberFormatException e) {
          // why: not a pid; the kernel writes only numbers, a fake tree might not
        }
      }
    }
    return out;
  }
}
