package io.jointly.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import io.jointly.group.PrimeOrderGroup;
import io.jointly.testing.Vectors;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Chou–Orlandi base OT over ristretto255: correctness, key separation and malformed messages. */
class BaseOtTest {
  private static final PrimeOrderGroup GROUP = EcdhGroups.ristretto255();
  private static final byte[] TAG = "test-session".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @Property(tries = 8)
  void receiverGetsExactlyTheChosenKey(@ForAll @IntRange(min = 1, max = 40) int count, @ForAll long seed) throws Exception {
    SecureRandom random = new SecureRandom();
    boolean[] choices = new boolean[count];
    for (int j = 0; j < count; j++) {
      choices[j] = ((seed >>> (j % 64)) & 1) != 0;
    }
    BaseOt.Sender sender = new BaseOt.Sender(GROUP, TAG, random);
    BaseOt.Receiver receiver = new BaseOt.Receiver(GROUP, TAG, choices, random);
    byte[] reply = receiver.respond(sender.firstMessage());
    byte[][][] pairs = sender.keys(reply, count);
    byte[][] got = receiver.keys();
    for (int j = 0; j < count; j++) {
      assertThat(got[j]).hasSize(BaseOt.KEY_BYTES);
      assertThat(got[j]).isEqualTo(pairs[j][choices[j] ? 1 : 0]);
      assertThat(got[j]).isNotEqualTo(pairs[j][choices[j] ? 0 : 1]);
    }
  }

  @Test
  void differentSessionTags_giveDifferentKeys() throws Exception {
    SecureRandom random = new SecureRandom();
    boolean[] choices = {true, false};
    BaseOt.Sender sender = new BaseOt.Sender(GROUP, TAG, random);
    BaseOt.Receiver receiver = new BaseOt.Receiver(GROUP, "other".getBytes(java.nio.charset.StandardCharsets.US_ASCII), choices, random);
    byte[][][] pairs = sender.keys(receiver.respond(sender.firstMessage()), 2);
    byte[][] got = receiver.keys();
    assertThat(got[0]).isNotEqualTo(pairs[0][1]);
    assertThat(got[1]).isNotEqualTo(pairs[1][0]);
  }

  @Test
  void malformedMessages_abortWithTypedErrors() throws Exception {
    SecureRandom random = new SecureRandom();
    BaseOt.Receiver receiver = new BaseOt.Receiver(GROUP, TAG, new boolean[] {true}, random);
    assertThatThrownBy(() -> receiver.respond(new byte[31]))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("MALFORMED_MESSAGE");
    assertThatThrownBy(() -> receiver.respond(new byte[32]))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("INVALID_ELEMENT");
    byte[] notCanonical = new byte[32];
    Arrays.fill(notCanonical, (byte) 0xFF);
    assertThatThrownBy(() -> receiver.respond(notCanonical))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("INVALID_ELEMENT");

    BaseOt.Sender sender = new BaseOt.Sender(GROUP, TAG, random);
    assertThatThrownBy(() -> sender.keys(new byte[65], 2)).hasMessageContaining("MALFORMED_MESSAGE");
    BaseOt.Sender sender2 = new BaseOt.Sender(GROUP, TAG, random);
    assertThatThrownBy(() -> sender2.keys(new byte[64], 2)).hasMessageContaining("INVALID_ELEMENT");
    // B = A makes B − A the identity: refused, not a key from the identity.
    BaseOt.Sender sender3 = new BaseOt.Sender(GROUP, TAG, random);
    assertThatThrownBy(() -> sender3.keys(sender3.firstMessage(), 1)).hasMessageContaining("INVALID_ELEMENT");
    assertThat(sender3.toString()).contains("redacted");
  }

  @Test
  void group_generatorIsRfc9496Multiple1_andLawsHold() throws Exception {
    JsonNode one = Vectors.vectors("ristretto255.json", "multiple").get(1);
    GroupScalar k1 = EcdhGroups.create(io.jointly.group.SuiteId.RISTRETTO255).scalarFromBytes(Vectors.hex(one, "scalar"));
    assertThat(HexFormat.of().formatHex(GROUP.baseMultiply(k1))).isEqualTo(one.get("encoding").asText());
    JsonNode two = Vectors.vectors("ristretto255.json", "multiple").get(2);
    byte[] g = GROUP.baseMultiply(k1);
    assertThat(HexFormat.of().formatHex(GROUP.add(g, g))).isEqualTo(two.get("encoding").asText());
    JsonNode three = Vectors.vectors("ristretto255.json", "multiple").get(3);
    byte[] g3 = Vectors.hex(three, "encoding");
    assertThat(GROUP.subtract(g3, g)).isEqualTo(GROUP.add(g, g));
    assertThatThrownBy(() -> GROUP.subtract(g, g)).hasMessageContaining("identity");
  }
}
