package io.heady.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.api.InstallRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the manager fills its URL into the installer, and which files it serves. */
class InstallRoutesTest {
  @Test
  void theHostHeaderGivesTheUrl() {
    assertEquals("http://192.168.1.10:7070", InstallRoutes.managerUrl("", false, "192.168.1.10:7070"));
    assertEquals("https://heady.lan", InstallRoutes.managerUrl(null, true, "heady.lan"));
    assertEquals("http://[fd7a:115c::1]:7070", InstallRoutes.managerUrl(" ", false, "[fd7a:115c::1]:7070"));
  }

  @Test
  void theAdvertisedUrlWins() {
    assertEquals("https://heady.example.org", InstallRoutes.managerUrl("https://heady.example.org", false, "x:1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil$(id)", "a b", "x';reboot;'", "host\nrm", "", "h:port", "`id`", "a/b"})
  void aHostThatCouldBreakTheScriptIsRefused(String host) {
    ApiException e = assertThrows(ApiException.class, () -> InstallRoutes.managerUrl("", false, host));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertEquals("Host", e.details().getString("field"));
  }

  @Test
  void noHostHeaderIsRefused() {
    assertThrows(ApiException.class, () -> InstallRoutes.managerUrl(null, false, null));
  }

  @Test
  void aBadAdvertisedUrlStopsTheManager() {
    assertThrows(IllegalArgumentException.class, () -> new InstallRoutes(null, "http://x/'$(id)'", null));
    assertThrows(IllegalArgumentException.class, () -> new InstallRoutes(null, "ftp://x", null));
  }

  @Test
  void personalizeChangesExactlyTheUrlLine() throws IOException {
    String script = Files.readString(Shell.PROJECT.resolve("bin/install-agent.sh"));
    String served = InstallRoutes.personalize(script, "http://10.0.0.2:7070", "1.2.3-SNAPSHOT");
    List<String> a = script.lines().toList();
    List<String> b = served.lines().toList();
    assertEquals(a.size(), b.size());
    List<String> changed = new java.util.ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        changed.add(a.get(i) + " -> " + b.get(i));
      }
    }
    assertEquals(List.of(InstallRoutes.URL_LINE + " -> SERVED_MANAGER_URL='http://10.0.0.2:7070'",
        InstallRoutes.VERSION_LINE + " -> SERVED_VERSION='1.2.3-SNAPSHOT'"), changed);
    assertTrue(InstallRoutes.personalize(script, "http://a:1", "1'; id").contains("\nSERVED_VERSION=''\n"),
        "a version that is not plain text is left out");
    assertEquals(script.endsWith("\n"), served.endsWith("\n"));
  }

  @Test
  void personalizeRefusesAScriptWithoutTheLineAndAnUnsafeUrl() {
    assertThrows(IllegalStateException.class, () -> InstallRoutes.personalize("#!/bin/sh\n", "http://a:1"));
    assertThrows(IllegalArgumentException.class,
        () -> InstallRoutes.personalize(InstallRoutes.URL_LINE + "\n", "http://a:1/'"));
  }

  @Test
  void everyLauncherAndUnitFileIsServed() throws IOException {
    assertEquals(names("launcher"), InstallRoutes.LAUNCHER_FILES.stream().sorted().toList());
    assertEquals(names("systemd"), InstallRoutes.UNIT_FILES.stream().sorted().toList());
  }

  @Test
  void theInstallerFetchesExactlyTheServedLauncherFiles() throws IOException {
    for (String script : List.of("bin/install-agent.sh", "bin/install-manager.sh")) {
      String text = Files.readString(Shell.PROJECT.resolve(script));
      assertEquals(1, text.lines().filter(l -> l.equals("LAUNCHER_FILES='"
          + String.join(" ", InstallRoutes.LAUNCHER_FILES) + "'")).count(), script);
    }
  }

  @Test
  void sha256IsHex() {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        InstallRoutes.sha256Hex(new byte[0]));
  }

  private static List<String> names(String dir) throws IOException {
    try (Stream<Path> s = Files.list(Shell.PROJECT.resolve(dir))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
