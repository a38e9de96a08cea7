package io.heady.common.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonMediaTypeTest {
  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8",
      "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", "application/merge-patch+json",
      "application/json; charset=us-ascii"})
  void jsonOrNoTypeIsTaken(String type) {
    assertNull(JsonMediaType.refusal(type));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain",
      "text/plain;charset=UTF-8", "application/xml", "application/octet-stream", "json", "text/json+xml"})
  void anythingElseIsRefusedNamingTheExpectedType(String type) {
    String why = JsonMediaType.refusal(type);
    assertNotNull(why, type);
    assertTrue(why.contains("Content-Type: application/json"), why);
    assertTrue(why.contains(type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT)), why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=iso-8859-1", "application/json; charset=utf-16"})
  void aCharsetOtherThanUtf8IsRefused(String type) {
    String why = JsonMediaType.refusal(type);
    assertNotNull(why, type);
    assertTrue(why.contains("UTF-8") && why.contains(type.substring(type.indexOf('=') + 1)), why);
  }

  @org.junit.jupiter.api.Test
  void curlsFormTypeGetsAHintAndControlCharactersAreNotEchoed() {
    assertTrue(JsonMediaType.refusal("application/x-www-form-urlencoded").contains("curl --json"));
    String why = JsonMediaType.refusal("text/\u001b[31mred");
    assertTrue(!why.contains("\u001b"), why);
  }
}
