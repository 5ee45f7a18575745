package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.PsiResult;
import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.SuiteId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What crosses the wire: the traffic budget, and never a raw identifier. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EcdhPsiWireTest {

  @ParameterizedTest
  @EnumSource(
      value = SuiteId.class,
      names = {"RISTRETTO255", "X25519"})
  void run_bankMode_staysWithinFortyBytesPerItemFramingIncluded(SuiteId suite) throws Exception {
    Random rnd = new Random(5);
    List<String> shared = EcdhPsiPropertyTest.ids("s", 2000, rnd);
    List<String> bank = new ArrayList<>(shared);
    bank.addAll(EcdhPsiPropertyTest.ids("b", 2000, rnd));
    List<String> partner = new ArrayList<>(shared);
    partner.addAll(EcdhPsiPropertyTest.ids("p", 2000, rnd));
    EcdhPsiParameters params =
        EcdhPsiParameters.preset(suite).toBuilder().batchSize(EcdhPsiParameters.DEFAULT_BATCH_SIZE).build();
    var o = PsiRunner.run(params, bank, partner);
    PsiResult b = o.first().value();
    double perItem = (double) b.traffic().totalBytes() / (bank.size() + partner.size());
    // 32 + 32 + 8 bytes per pair of items at this size, plus small per-batch framing
    assertThat(perItem).isLessThanOrEqualTo(40.0);
    assertThat(b.traffic().totalBytes()).isEqualTo(o.second().value().traffic().totalBytes());
  }

  @Test
  void run_anyMode_noPayloadContainsARawIdentifier() throws Exception {
    Random rnd = new Random(11);
    List<String> shared = EcdhPsiPropertyTest.ids("customer-", 150, rnd);
    List<String> bank = new ArrayList<>(shared);
    List<String> partner = new ArrayList<>(shared);
    Collections.shuffle(partner, rnd);
    for (RevealMode mode : RevealMode.values()) {
      List<Bytes> seen = Collections.synchronizedList(new ArrayList<>());
      UnaryOperator<MessageChannel> record = ch -> new Recording(ch, seen);
      EcdhPsiParameters params = PsiRunner.testParams(EcdhPsiParameters.RISTRETTO255_SHA512, mode);
      var o = PsiRunner.runAll(params, bank, params, partner, record, record);
      assertThat(o.firstFailure()).isNull();
      assertThat(seen).isNotEmpty();
      for (Bytes payload : seen) {
        String asText = new String(payload.toByteArray(), StandardCharsets.ISO_8859_1);
        for (String id : shared) {
          assertThat(asText).doesNotContain(id);
        }
      }
    }
  }

  /** Records every payload sent. */
  private record Recording(MessageChannel inner, List<Bytes> seen) implements MessageChannel {
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
      seen.add(payload);
      inner.send(key, payload);
    }

    @Override
    public Bytes receive(RoundKey key, Duration timeout) throws ChannelException, ProtocolAbortException {
      return inner.receive(key, timeout);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
