package io.heady.common.tls;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subject alternative names of a self-signed certificate: always {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}; then the names the operator configured (the advertised URL's host, the bind and cluster
 * addresses); then this machine's host name and its non-loopback interface addresses. Wildcards
 * ({@code 0.0.0.0}, {@code ::}), link-local addresses and anything that is neither a DNS name nor an IP
 * address are left out.
 */
public final class CertNames {
  private static final Pattern DNS = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private CertNames() {}

  /**
   * keytool's {@code -ext SAN=} value for these names, the fixed loopback names first, without duplicates.
   *
   * @param configured the operator's names, in order (blank and {@code null} entries are skipped)
   * @param hostName this machine's host name, or {@code null}
   * @param addresses this machine's interface addresses (loopback and link-local ones are skipped)
   */
  public static List<String> san(List<String> configured, String hostName, List<InetAddress> addresses) {
    Set<String> out = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:0:0:0:0:0:0:0:1"));
    List<String> all = new ArrayList<>(configured);
    all.add(hostName);
    for (InetAddress a : addresses) {
      if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()) {
        all.add(a.getHostAddress());
      }
    }
    for (String n : all) {
      String e = entry(n);
      if (e != null) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }

  /** One name as a SAN entry ({@code dns:…} or {@code ip:…}), or {@code null} when it is not one. */
  static String entry(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String n = name.trim();
    if (n.startsWith("[") && n.endsWith("]")) {
      n = n.substring(1, n.length() - 1);
    }
    int zone = n.indexOf('%');
    if (zone >= 0) {
      n = n.substring(0, zone);
    }
    if (IPV4.matcher(n).matches() || IPV6.matcher(n).matches()) {
      InetAddress a = literal(n);
      if (a == null || a.isAnyLocalAddress() || a.isLinkLocalAddress()) {
        return null;
      }
      return "ip:" + a.getHostAddress();
    }
    if (DNS.matcher(n).matches() && !n.equalsIgnoreCase("auto")) {
      return "dns:" + n.toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /**
   * Whether a certificate's SANs (as {@code X509Certificate.getSubjectAlternativeNames()} gives them) name
   * {@code host}; a host no SAN can hold (or none) is covered, so it never asks for a new certificate.
   */
  public static boolean covers(java.util.Collection<List<?>> sans, String host) {
    String want = entry(host);
    if (want == null || sans == null) {
      return want == null;
    }
    for (List<?> s : sans) {
      // why: type 2 is a DNS name, 7 an IP address (RFC 5280); entry() writes both as keytool would
      boolean nameOrIp = s.get(0) instanceof Integer t && (t == 2 || t == 7);
      if (nameOrIp && want.equals(entry(String.valueOf(s.get(1))))) {
        return true;
      }
    }
    return false;
  }

  /** The host of a URL ({@code https://heady.example.org:7070} gives {@code heady.example.org}), or {@code null}. */
  public static String hostOf(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      return URI.create(url.trim()).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** This machine's host name ({@code /proc/sys/kernel/hostname}, else Java's), or {@code null}. */
  public static String localHostName() {
    try {
      Path p = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(p)) {
        String h = Files.readString(p).trim();
        if (!h.isEmpty()) {
          return h;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return null;
    }
  }

  /** The addresses of this machine's interfaces that are up. */
  public static List<InetAddress> localAddresses() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (ni.isUp()) {
          out.addAll(Collections.list(ni.getInetAddresses()));
        }
      }
    } catch (SocketException e) {
      // no interface list: the configured names and loopback still go in
    }
    return out;
  }

  private static InetAddress literal(String n) {
    try {
      // why: the pattern admits only digits, hex, dots and colons, which Java parses as a literal (no lookup)
      InetAddress a = InetAddress.getByName(n);
      return a instanceof Inet6Address || IPV4.matcher(n).matches() ? a : null;
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }
}
