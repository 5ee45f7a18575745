package io.jointly.bench.lr;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pass-through channel on the bank's side that watches the vertical-LR rounds go by: it takes a
 * {@link PartyClock} reading when PSI is over (the bank's first LR message), when training starts
 * (the last message before the first batch's partial scores: after the handshake and the partner's
 * encrypted features) and at the end of every epoch (the bank's per-epoch control
 * message), counts the LR bytes in both directions, and attributes the bank thread's wall time
 * between consecutive LR events to the pair of events (for example {@code recv SCORES → send
 * GRADIENT}, the bank's residuals and the encrypted gradient). The protocol is a strict ping-pong, so
 * each interval is one party's step. It reads only round keys and payload sizes, never payloads.
 *
 * <p>Not thread-safe: the bank's protocol thread is its only user.
 */
final class LrProbe implements MessageChannel {
  static final String PROTOCOL = "vertical-lr";
  /** Round wire codes of {@code io.jointly.lr.internal.LrRound} (part of the wire format, so stable). */
  private static final String[] ROUNDS = {
    "?", "ALIGN", "HELLO", "SCORES", "FEATURES", "GRADIENT", "6", "CONTROL", "CONFIRM", "LABELS", "IV_SUMS", "KEYS", "GRAM",
    "DIRECTION", "LINE_SEARCH"
  };

  private static final int SCORES = 3;
  private static final int CONTROL = 7;
  private boolean scoresSeen;

  private final MessageChannel inner;
  private long bytes;
  private String lastEvent;
  private long lastNanos;
  private final Map<String, long[]> phases = new LinkedHashMap<>();

  PartyClock.Reading psiDone;
  PartyClock.Reading trainStart;
  long bytesAtTrainStart;
  final List<PartyClock.Reading> epochEnds = new ArrayList<>();
  final List<Long> bytesAtEpochEnd = new ArrayList<>();
  /** Phase totals (nanoseconds, count) up to the last epoch's end. */
  Map<String, long[]> phasesAtLastEpoch = Map.of();

  LrProbe(MessageChannel inner) {
    this.inner = inner;
  }

  private void event(String direction, RoundKey key, Bytes payload) {
    if (!key.protocol().equals(PROTOCOL)) {
      return;
    }
    long now = System.nanoTime();
    bytes += CountingChannel.frameBytes(key, payload);
    if (psiDone == null) {
      psiDone = PartyClock.now();
    }
    String name = direction + " " + (key.round() < ROUNDS.length ? ROUNDS[key.round()] : String.valueOf(key.round()));
    if (trainStart != null && lastEvent != null) {
      long[] p = phases.computeIfAbsent(lastEvent + " → " + name, k -> new long[2]);
      p[0] += now - lastNanos;
      p[1]++;
    }
    if (key.round() == SCORES) {
      scoresSeen = true;
    } else if (!scoresSeen) {
      // Setup (handshake, the partner's encrypted features, information value) ends with the last
      // message before the first batch's scores.
      trainStart = PartyClock.now();
      bytesAtTrainStart = bytes;
    }
    if (direction.equals("send") && key.round() == CONTROL) {
      epochEnds.add(PartyClock.now());
      bytesAtEpochEnd.add(bytes);
      Map<String, long[]> copy = new LinkedHashMap<>();
      phases.forEach((k, v) -> copy.put(k, v.clone()));
      phasesAtLastEpoch = copy;
    }
    lastEvent = name;
    lastNanos = System.nanoTime();
  }

  /** Training bytes per epoch (both directions, framing included), averaged over the epochs. */
  double bytesPerEpoch() {
    return epochEnds.isEmpty() ? 0 : (double) (bytesAtEpochEnd.get(epochEnds.size() - 1) - bytesAtTrainStart) / epochEnds.size();
  }

  /** From the start of training to the end of the last epoch. */
  PartyClock.Reading training() {
    return epochEnds.get(epochEnds.size() - 1).minus(trainStart);
  }

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
    event("send", key, payload);
    inner.send(key, payload);
  }

  @Override
  public Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
    Bytes b = inner.receive(key, timeout);
    event("recv", key, b);
    return b;
  }

  @Override
  public void close() {
    inner.close();
  }
}
