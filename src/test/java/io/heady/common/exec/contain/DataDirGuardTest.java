package io.heady.common.exec.contain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirGuardTest {
  @TempDir
  Path tmp;

  @Test
  void groupAndOthersLoseEveryRightAndWhatChangedIsListed() throws Exception {
    Path data = tmp.resolve("data");
    Path id = Files.createDirectories(data.resolve("identity/n1"));
    Path key = Files.writeString(id.resolve("key.pem"), "secret");
    Path token = Files.writeString(data.resolve("admin.token"), "t");
    Path log = Files.createDirectories(data.resolve("logs")).resolve("t1.log");
    Files.writeString(log, "out");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
    List<Path> changed = DataDirGuard.secure(data);
    assertEquals("rwx------", DataDirGuard.mode(data));
    assertEquals("rwx------", DataDirGuard.mode(id));
    assertEquals("rw-------", DataDirGuard.mode(key));
    assertEquals("rw-------", DataDirGuard.mode(log));
    Set<Path> c = changed.stream().collect(Collectors.toSet());
    assertEquals(true, c.contains(key) && c.contains(log) && c.contains(data) && !c.contains(token), changed.toString());
    assertEquals(List.of(), DataDirGuard.secure(data), "nothing left to fix");
  }
}
