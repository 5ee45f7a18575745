package io.jointly.psi.unbalanced;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;

import io.jointly.channel.MessageChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import java.time.Instant;

/** The client's side of the OPRF handshake, shared by batch runs and membership sessions. */
final class ClientHandshake {
  private ClientHandshake() {}

  /**
   * Checks that {@code cache} belongs to the party on {@code channel}, sends the hello and checks
   * the answer.
   *
   * @throws InputException {@code CACHE_MISMATCH} if the cache is of another server, or not the
   *     server's current one (other key, encoding or version)
   * @throws ProtocolAbortException if the server refuses (purpose, budget, sizes) or disagrees
   */
  static ServerHello run(
      MessageChannel channel,
      OprfCache cache,
      Wire.Mode mode,
      UnbalancedPsiParameters params,
      long setSize,
      int batchSize)
      throws JointlyException {
    return run(channel, cache, mode, params, setSize, batchSize, null);
  }

  /** As above, absorbing both hellos into {@code transcript} if it is given. */
  static ServerHello run(
      MessageChannel channel,
      OprfCache cache,
      Wire.Mode mode,
      UnbalancedPsiParameters params,
      long setSize,
      int batchSize,
      SessionDigest transcript)
      throws JointlyException {
    CacheHeader h = cache.header();
    if (!h.serverName().equals(channel.peer())) {
      throw new InputException(
          InputException.Kind.CACHE_MISMATCH,
          -1,
          "the cache is of server " + h.serverName() + ", but this session is with " + channel.peer());
    }
    ClientHello hello =
        new ClientHello(
            ClientHello.VERSION, mode, h.suite(), h.profile(), h.keyColumns(), h.keyId(), h.lineage(), h.version(),
            setSize, batchSize, params.minServerSetSize(), params.purpose());
    Bytes mine = hello.encode();
    channel.send(Wire.Round.HELLO.key(0), mine);
    Bytes theirs = channel.receive(Wire.Round.HELLO.key(0), params.receiveTimeout());
    if (transcript != null) {
      transcript.absorb(mine);
      transcript.absorb(theirs);
    }
    ServerHello answer = ServerHello.decode(theirs);
    Abort.unless(answer.mode() == mode, HANDSHAKE_MISMATCH, "server answered for another session mode");
    refuseUnlessOk(answer.status(), h, answer, params.purpose(), setSize);
    Abort.unless(
        answer.suite() == h.suite() && answer.profile() == h.profile() && answer.keyColumns() == h.keyColumns(),
        HANDSHAKE_MISMATCH,
        "server's suite, profile or key columns differ from the cache's");
    Abort.unless(
        answer.keyId().equals(h.keyId()) && answer.lineage().equals(h.lineage()) && answer.cacheVersion() == h.version()
            && answer.serverSetSize() == h.count(),
        HANDSHAKE_MISMATCH,
        "server accepted the session for another cache than this one");
    Abort.unless(
        mode != Wire.Mode.BATCH || batchSize <= answer.maxBatchSize(),
        HANDSHAKE_MISMATCH,
        "server accepted a batch size above its own maximum");
    return answer;
  }

  /** Turns a refusal into this party's typed error. */
  static void refuseUnlessOk(Wire.Status status, CacheHeader h, ServerHello server, Purpose purpose, long setSize)
      throws JointlyException {
    switch (status) {
      case OK -> {}
      case MISMATCH -> throw new ProtocolAbortException(
          HANDSHAKE_MISMATCH,
          "the server refuses the session's version, mode, suite (" + h.suite() + "), profile ("
              + h.profile().displayName() + ") or key columns (" + h.keyColumns() + ")");
      case STALE_CACHE -> throw staleCache(h, server.keyId().equals(h.keyId()), server.lineage().equals(h.lineage()),
          server.cacheVersion());
      case PURPOSE_REFUSED -> throw new ProtocolAbortException(
          ProtocolAbortException.Reason.POLICY_REFUSED,
          "the server does not serve purpose " + purpose + " to this party");
      case BUDGET_EXHAUSTED -> throw budgetExhausted(purpose, server.budgetLimit(), server.budgetUsed(), server.resetsAt(), setSize);
      case CLIENT_SET_REFUSED -> throw new ProtocolAbortException(
          ProtocolAbortException.Reason.POLICY_REFUSED,
          "the server refuses a set of " + setSize + " items: it takes " + server.minClientSetSize() + " to "
              + server.maxClientSetSize());
      case SERVER_SET_REFUSED -> throw new ProtocolAbortException(
          ProtocolAbortException.Reason.POLICY_REFUSED,
          "the server's set of " + h.count() + " items is below this party's minimum");
      case BATCH_REFUSED -> throw new ProtocolAbortException(
          HANDSHAKE_MISMATCH, "the server takes batches of at most " + server.maxBatchSize() + " elements");
    }
  }

  static InputException staleCache(CacheHeader h, boolean sameKey, boolean sameLineage, long serverVersion) {
    String why;
    if (!sameKey) {
      why = "the server's key was rotated: download its new cache";
    } else if (!sameLineage) {
      why = "the server encoded its set anew: download its new cache";
    } else if (serverVersion > h.version()) {
      why = "the server's set is at version " + serverVersion + ": apply its deltas " + (h.version() + 1) + ".."
          + serverVersion;
    } else {
      why = "the server's set is at version " + serverVersion + ", older than the cache";
    }
    return new InputException(
        InputException.Kind.CACHE_MISMATCH, -1, "the cache (" + h.describe() + ") is not the server's current one: " + why);
  }

  static ProtocolAbortException budgetExhausted(Purpose purpose, long limit, long used, long resetsAt, long asked) {
    return new ProtocolAbortException(
        ProtocolAbortException.Reason.BUDGET_EXHAUSTED,
        "the daily budget of " + limit + " evaluations for purpose " + purpose + " has " + Math.max(0, limit - used)
            + " left, " + asked + " asked; it resets at " + Instant.ofEpochSecond(resetsAt));
  }
}
