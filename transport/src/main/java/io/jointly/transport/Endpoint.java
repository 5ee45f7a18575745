package io.jointly.transport;

import java.util.Objects;

/**
 * Where a party listens or connects: a TCP host and port, or an in-process name (both parties in
 * one JVM, no sockets; for tests and benchmarks).
 */
public sealed interface Endpoint permits Endpoint.Tcp, Endpoint.InProcess {

  /**
   * A TCP endpoint.
   *
   * @param host a host name or IP literal (IPv6 without brackets)
   * @param port 0–65535; 0 only for listening, where it asks for an ephemeral port
   */
  record Tcp(String host, int port) implements Endpoint {
    public Tcp {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (port < 0 || port > 0xFFFF) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }

    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  /**
   * An in-process endpoint: the listening and connecting party share one JVM.
   *
   * @param name the server's name, unique within the JVM
   */
  record InProcess(String name) implements Endpoint {
    public InProcess {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
    }

    @Override
    public String toString() {
      return "in-process:" + name;
    }
  }

  /** A TCP endpoint. */
  static Endpoint tcp(String host, int port) {
    return new Tcp(host, port);
  }

  /** {@code 127.0.0.1:port}; port 0 asks for an ephemeral port when listening. */
  static Endpoint loopback(int port) {
    return new Tcp("127.0.0.1", port);
  }

  /** An in-process endpoint. */
  static Endpoint inProcess(String name) {
    return new InProcess(name);
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}, as given on a command line.
   *
   * @throws IllegalArgumentException if the text is not of that form
   */
  static Endpoint parse(String hostAndPort) {
    Objects.requireNonNull(hostAndPort);
    String host;
    String port;
    if (hostAndPort.startsWith("[")) {
      int close = hostAndPort.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("expected [ipv6]:port");
      }
      host = hostAndPort.substring(1, close);
      port = hostAndPort.substring(close + 2);
    } else {
      int colon = hostAndPort.lastIndexOf(':');
      if (colon <= 0 || hostAndPort.indexOf(':') != colon) {
        throw new IllegalArgumentException("expected host:port");
      }
      host = hostAndPort.substring(0, colon);
      port = hostAndPort.substring(colon + 1);
    }
    try {
      return new Tcp(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number");
    }
  }
}
