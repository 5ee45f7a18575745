package io.jointly.cli;

import static io.jointly.cli.HelpLayout.Section.CONNECTION;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.cli.HelpLayout.In;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.PsiRole;
import io.jointly.transport.Endpoint;
import io.jointly.transport.GrpcTransport;
import io.jointly.transport.PartyCredentials;
import io.jointly.transport.TransportChannel;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.TransportSecurity;
import io.jointly.transport.TransportServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * How a party reaches its peer: listen or connect, mutual TLS from a directory of PEM files (or
 * plaintext on loopback with {@code --insecure}), party names, session id and time-outs. Shared by
 * every two-party command.
 */
final class ConnectionOptions {

  static final class Where {
    @In(CONNECTION)
    @Option(
        names = "--listen",
        paramLabel = "HOST:PORT",
        description = "Wait for the peer on this address; 0.0.0.0 listens on every interface.")
    String listen;

    @In(CONNECTION)
    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "Connect to the peer at this address.")
    String connect;
  }

  static final class Security {
    @In(CONNECTION)
    @Option(
        names = "--tls",
        paramLabel = "DIR",
        description =
            "Mutual TLS with the PEM files in this directory: ca.crt and this party's own NAME.crt"
                + " and NAME.key (see 'jointly tls-init').")
    Path tls;

    @In(CONNECTION)
    @Option(
        names = "--insecure",
        description = "Plaintext instead of TLS, for trials: allowed on loopback addresses only.")
    boolean insecure;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Security security;

  @In(CONNECTION)
  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "This party's name in its certificate (default: its --role; aggregate: aggregator at the"
              + " server, and a client must give its name).")
  String name;

  @In(CONNECTION)
  @Option(
      names = "--peer",
      paramLabel = "NAME",
      description =
          "The peer's name in its certificate (default: the other --role; aggregate: aggregator).")
  String peer;

  @In(CONNECTION)
  @Option(
      names = "--session",
      defaultValue = "jointly",
      paramLabel = "ID",
      description = "The session id; both parties give the same (default ${DEFAULT-VALUE}).")
  String session;

  @In(CONNECTION)
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "120s",
      converter = DurationConverter.class,
      description =
          "Dead-peer bound: how long the peer may give no sign of life before this party gives up"
              + " (exit 4). A busy peer is waited for however long its step takes; one that is"
              + " gone, stopped or unreachable is noticed within this time, at once if its"
              + " connection drops (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @In(CONNECTION)
  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "120s",
      converter = DurationConverter.class,
      description =
          "How long to wait for the peer to come up: the connecting side retries, the listening"
              + " side waits for the connection (default ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  /** Opens the channel to the peer; the returned channel also closes any server it needed. */
  MessageChannel open(PsiRole role, PrintStream log) throws CliException, JointlyException {
    String self = self(role);
    String other = peer != null ? peer : role.other().displayName();
    TransportSecurity sec = security(self);
    TransportOptions options = transportOptions(timeout, connectTimeout);
    try {
      if (where.listen != null) {
        Endpoint bind = parse(where.listen, "--listen");
        TransportServer server = GrpcTransport.listen(bind, sec, Set.of(other), options);
        if (log != null) {
          log.println(self + ": listening on " + server.endpoint() + " for " + other);
        }
        MessageChannel ch;
        try {
          ch = server.accept(session, other, connectTimeout);
        } catch (JointlyException | RuntimeException e) {
          server.close();
          throw e;
        }
        return new ClosingServer(ch, server);
      }
      Endpoint target = parse(where.connect, "--connect");
      if (log != null) {
        log.println(self + ": connecting to " + other + " at " + target);
      }
      return GrpcTransport.connect(target, sec, session, other, options);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, e.getMessage());
    }
  }

  /**
   * The transport options for a dead-peer bound of {@code timeout} (the peer is asked for signs of
   * life well within it; a send held back by a busy peer waits as long as the peer shows life) and
   * {@code connectTimeout} to reach the peer.
   */
  static TransportOptions transportOptions(Duration timeout, Duration connectTimeout) {
    return TransportOptions.DEFAULTS.toBuilder()
        .peerTimeout(timeout)
        .connectTimeout(connectTimeout)
        .build();
  }

  /** Checks the address option's form now, before any long local work (exit 2 if malformed). */
  void checkAddress() throws CliException {
    if (where.listen != null) {
      parse(where.listen, "--listen");
    } else {
      parse(where.connect, "--connect");
    }
  }

  /** This party's TLS private key file (from which checkpoint keys derive), or null with --insecure. */
  Path tlsKey(PsiRole role) {
    if (security.insecure || security.tls == null) {
      return null;
    }
    return security.tls.resolve((name != null ? name : role.displayName()) + ".key");
  }

  /** The security loaded by {@link #security(String)}, kept so the key files are read once. */
  private TransportSecurity loaded;

  /**
   * The certificate chain {@code channel}'s peer authenticated with in mutual TLS (empty over
   * plaintext), for the run agreement to check the peer's receipt certificate against.
   */
  static List<X509Certificate> peerCertificates(MessageChannel channel) {
    MessageChannel inner = channel instanceof ClosingServer c ? c.inner() : channel;
    return inner instanceof TransportChannel t ? t.peerCertificates() : List.of();
  }

  /** This party's name as {@link #open} uses it. */
  String self(PsiRole role) {
    return name != null ? name : role.displayName();
  }

  TransportSecurity security(String self) throws CliException {
    if (loaded == null || !loaded.party().equals(self)) {
      loaded = security(security, self);
    }
    return loaded;
  }

  /**
   * The transport security {@code --tls} or {@code --insecure} asks for, for the party named {@code
   * self}: its certificate and key from the directory, or plaintext (which the transport allows on
   * loopback only). Missing or unreadable PEM files are a peer/TLS error (exit 4).
   */
  static TransportSecurity security(Security security, String self) throws CliException {
    if (security.insecure) {
      return TransportSecurity.insecurePlaintext(self);
    }
    Path dir = security.tls;
    for (String f : new String[] {"ca.crt", self + ".crt", self + ".key"}) {
      if (!Files.isReadable(dir.resolve(f))) {
        throw new CliException(CliException.PEER, "--tls: " + dir.resolve(f) + " is missing or unreadable");
      }
    }
    try {
      return TransportSecurity.mutualTls(PartyCredentials.fromPemDirectory(dir, self));
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(CliException.PEER, "--tls " + dir + ": " + e.getMessage());
    }
  }

  static Endpoint parse(String hostPort, String option) throws CliException {
    try {
      return Endpoint.parse(hostPort.trim());
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, option + " must be HOST:PORT: " + e.getMessage());
    }
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parseDuration(value);
    }
  }

  static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      Duration d =
          switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException();
          };
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration such as 30s, 2m or 500ms: " + value);
    }
  }

  /** A channel that closes the listening server with it. */
  private record ClosingServer(MessageChannel inner, TransportServer server) implements MessageChannel {
    @Override
    public String sessionId() {
      return inner.sessionId();
    }

    @Override
    public String self() {
      return inner.self();
    }

    @Override
    public String peer() {
      return inner.peer();
    }

    @Override
    public void send(RoundKey key, Bytes payload) throws ChannelException {
      inner.send(key, payload);
    }

    @Override
    public Bytes receive(RoundKey key, Duration t) throws ChannelException, ProtocolAbortException {
      return inner.receive(key, t);
    }

    @Override
    public void close() {
      try {
        inner.close();
      } finally {
        server.close();
      }
    }
  }
}
