package io.heady.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The URL a leader keeps with its lease, for a standby to name: what clients can reach it on. */
class ApiUrlTest {
  @Test
  void theAdvertisedUrlWinsWithoutItsTrailingSlash() {
    assertEquals("https://heady.example.org", ManagerMain.apiUrl("https://heady.example.org/", "http", "0.0.0.0",
        "10.0.0.5", 7070));
  }

  @Test
  void elseTheAddressItListensOnOrTheClusterHostWhenItListensEverywhere() {
    assertEquals("http://127.0.0.1:7070", ManagerMain.apiUrl("", "http", "127.0.0.1", "10.0.0.5", 7070));
    assertEquals("https://10.0.0.5:7443", ManagerMain.apiUrl(null, "https", "0.0.0.0", "10.0.0.5", 7443));
    assertEquals("http://10.0.0.5:7070", ManagerMain.apiUrl(" ", "http", "::", "10.0.0.5", 7070));
    assertEquals("http://[fd00::5]:7070", ManagerMain.apiUrl("", "http", "fd00::5", "10.0.0.5", 7070));
  }
}
