package io.heady.common.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OsNamesTest {

  @Test
  void prettyNameFromOsRelease() {
    String debian = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        """;
    assertEquals(Optional.of("Debian GNU/Linux 12 (bookworm)"), OsNames.prettyName(debian));
    assertEquals(Optional.of("Raspbian GNU/Linux 11 (bullseye)"),
        OsNames.prettyName("NAME=Raspbian\nPRETTY_NAME='Raspbian GNU/Linux 11 (bullseye)'\n"));
    assertEquals(Optional.of("Alpine Linux v3.19"), OsNames.prettyName("PRETTY_NAME=\"Alpine Linux v3.19\""));
    assertEquals(Optional.empty(), OsNames.prettyName("NAME=Foo\n"));
    assertEquals(Optional.empty(), OsNames.prettyName("PRETTY_NAME=\"\"\n"));
  }

  @Test
  void familyAndVersion() {
    assertEquals("macOS 14.5", OsNames.join("macOS", "14.5"));
    assertEquals("Windows 11", OsNames.join("Windows", "11"));
    assertEquals("FreeBSD", OsNames.join("FreeBSD", "unknown"));
    assertEquals(null, OsNames.join(" ", null));
  }
}
