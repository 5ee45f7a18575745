package io.jointly.transport.internal;

import io.grpc.Status;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.io.IOException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Maps gRPC failures to Jointly's exceptions. gRPC's {@link Status} and its exception types stay
 * inside this module: the exceptions made here carry a message (status code name and the root
 * cause's message, never payload data) and no gRPC or Netty cause.
 */
public final class Failures {
  private Failures() {}

  /**
   * Whether the failure is a TLS refusal: a TLS or certificate error that is not caused by a
   * socket error. A connection reset during the handshake (a peer that is still starting or
   * restarting) also surfaces as a TLS error, but with the socket's I/O error as its cause, and is
   * worth a retry; a refusal (the peer's alert, a certificate check) is not.
   */
  public static boolean isTlsRefusal(Throwable t) {
    boolean tls = false;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException || c instanceof CertificateException) {
        tls = true;
      } else if (c instanceof IOException) {
        return false;
      }
    }
    return tls;
  }

  /** A short description: the status code and the deepest cause's message. */
  public static String describe(Throwable t) {
    Status s = Status.fromThrowable(t);
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    if (root == t && s.getDescription() != null) {
      why = s.getDescription();
    }
    return s.getCode() + (why == null || why.isBlank() ? "" : ": " + why);
  }

  /** The status code of a failure. */
  public static Status.Code code(Throwable t) {
    return Status.fromThrowable(t).getCode();
  }

  /** The peer's connection ended abnormally. */
  public static ChannelException connectionLost(String peer, Throwable t) {
    Status.Code code = code(t);
    if (code == Status.Code.DEADLINE_EXCEEDED) {
      return new ChannelException(
          ChannelException.Kind.TIMEOUT, "connection to " + peer + " timed out (" + describe(t) + ")");
    }
    return new ChannelException(
        ChannelException.Kind.IO, "connection to " + peer + " lost (" + describe(t) + ")");
  }

  /**
   * The listening party refused the session with {@code code} (see {@code SessionRegistry}); the
   * message is fixed per code.
   */
  public static ProtocolAbortException refused(String peer, Status.Code code) {
    String why =
        switch (code) {
          case NOT_FOUND -> "it does not serve this session (wrong session id?)";
          case PERMISSION_DENIED -> "this party is not the one it expects";
          case ALREADY_EXISTS -> "the session is already under way or was used before";
          case FAILED_PRECONDITION -> "it speaks another transport protocol version";
          case INVALID_ARGUMENT -> "it found the hello malformed";
          default -> "status " + code;
        };
    return new ProtocolAbortException(
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, peer + " refused the session: " + why);
  }

  /** Whether {@code code} is one of the listening party's session refusals. */
  public static boolean isRefusal(Status.Code code) {
    return switch (code) {
      case NOT_FOUND, PERMISSION_DENIED, ALREADY_EXISTS, FAILED_PRECONDITION, INVALID_ARGUMENT -> true;
      default -> false;
    };
  }
}
