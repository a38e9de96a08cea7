package io.heady.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, one request per connection ({@code Connection: close}): sends exactly the
 * bytes given (methods, paths and encodings a well-behaved client refuses to send), from a chosen local
 * address, and reads the status and body. A stream answer (server-sent events) is cut after its headers.
 */
public final class RawHttp {
  /** An answer: status (0 when the server closed without one), headers as text, body. */
  public record Res(int status, String head, String body) {
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
          return line.substring(c + 1).trim();
        }
      }
      return null;
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code method target} with the headers and body given.
   *
   * @param local local address to connect from, or {@code null}
   * @param token bearer token, or {@code null}
   */
  public static Res send(String host, int port, String local, String method, String target, String token,
      byte[] body, int timeoutMs) throws IOException {
    return send(host, port, local, method, target, token, "application/json", body, timeoutMs);
  }

  /** With this {@code Content-Type} ({@code null}: none) on a body. */
  public static Res send(String host, int port, String local, String method, String target, String token,
      String contentType, String body, int timeoutMs) throws IOException {
    return send(host, port, local, method, target, token, contentType, body == null ? null
        : body.getBytes(StandardCharsets.UTF_8), timeoutMs);
  }

  private static Res send(String host, int port, String local, String method, String target, String token,
      String contentType, byte[] body, int timeoutMs) throws IOException {
    try (Socket s = new Socket()) {
      if (local != null) {
        s.bind(new InetSocketAddress(local, 0));
      }
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      StringBuilder h = new StringBuilder();
      h.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      h.append("Host: ").append(host).append(':').append(port).append("\r\n");
      h.append("Connection: close\r\n");
      if (token != null) {
        h.append("Authorization: ").append(token.startsWith("Heady ") ? "" : "Bearer ").append(token).append("\r\n");
      }
      if (body != null && contentType != null) {
        h.append("Content-Type: ").append(contentType).append("\r\n");
      }
      if (body != null) {
        h.append("Content-Length: ").append(body.length).append("\r\n");
      }
      h.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(s.getInputStream());
    }
  }

  private static Res read(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int headEnd = -1;
    String head = null;
    int n;
    while ((n = in.read(chunk)) >= 0) {
      buf.write(chunk, 0, n);
      if (head == null) {
        String sofar = buf.toString(StandardCharsets.ISO_8859_1);
        headEnd = sofar.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
          head = sofar.substring(0, headEnd);
          if (head.toLowerCase(Locale.ROOT).contains("text/event-stream")) {
            break; // a stream: the status is all we want
          }
        }
      }
    }
    if (head == null) {
      return new Res(0, buf.toString(StandardCharsets.ISO_8859_1), "");
    }
    String statusLine = head.split("\r\n", 2)[0];
    String[] parts = statusLine.split(" ");
    int status = parts.length > 1 && parts[1].matches("[0-9]{3}") ? Integer.parseInt(parts[1]) : 0;
    byte[] all = buf.toByteArray();
    String body = new String(all, Math.min(all.length, headEnd + 4), Math.max(0, all.length - headEnd - 4),
        StandardCharsets.UTF_8);
    return new Res(status, head, body);
  }
}
