package io.jointly.psi.unbalanced;

import io.jointly.core.Bytes;
import io.jointly.psi.unbalanced.internal.CacheFiles;
import java.security.MessageDigest;

/**
 * The running SHA-256 of a membership session as each side saw it: both hellos, then each query
 * and each answer's body, each length-prefixed. Every answer carries the server's digest up to and
 * including itself; the client compares it with its own, so a query or answer altered, dropped or
 * replayed in transit ends the check with {@code TRANSCRIPT_MISMATCH} instead of a wrong answer
 * (the per-query form of {@link io.jointly.channel.TranscriptChannel}, for a session that has no
 * end to confirm at). Not thread-safe.
 */
final class SessionDigest {
  static final int LENGTH = 32;

  private final MessageDigest digest = CacheFiles.sha256();

  void absorb(Bytes message) {
    int n = message.length();
    digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    digest.update(message.toByteArray());
  }

  /** The digest so far (the running digest continues). */
  byte[] snapshot() {
    try {
      return ((MessageDigest) digest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests must be cloneable", e);
    }
  }
}
