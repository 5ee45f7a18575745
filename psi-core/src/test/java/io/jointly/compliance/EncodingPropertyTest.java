package io.jointly.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.compliance.internal.Encoding;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The canonical encoding: one value, one encoding, and nothing but a malformed-message abort on bad bytes. */
class EncodingPropertyTest {

  @Provide
  Arbitrary<PartyStatement> statements() {
    Arbitrary<String> names = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1).ofMaxLength(20)
        .filter(s -> Character.isLetterOrDigit(s.charAt(0)));
    Arbitrary<Optional<Purpose>> purposes =
        Combinators.combine(names, Arbitraries.strings().alpha().numeric().withChars(" 年月日中文").ofMinLength(1).ofMaxLength(80).filter(s -> !s.isBlank()),
                Arbitraries.of(LegalBasis.class))
            .as((c, t, b) -> new Purpose(c, t, b))
            .optional();
    Arbitrary<Map<String, String>> params = Arbitraries.maps(names, Arbitraries.strings().ofMaxLength(30).filter(s -> s.chars().noneMatch(Character::isISOControl))).ofMaxSize(5);
    Arbitrary<RunTerms> terms =
        Combinators.combine(purposes, names, names, names, params, Arbitraries.longs().between(0, 1L << 40), Arbitraries.longs().between(0, 1000).optional(), Arbitraries.longs().between(0, 1L << 40))
            .as((p, c, pr, r, m, min, cell, rows) -> {
              RunTerms.Builder b = RunTerms.builder(c, pr).purpose(p).reveal(r).minPeerSetSize(min).inputRows(rows);
              m.forEach(b::parameter);
              cell.ifPresent(b::minCellSize);
              return b.build();
            });
    return Combinators.combine(names, names, terms, Arbitraries.longs().between(0, 4_000_000_000L))
        .as((party, role, t, seconds) -> new PartyStatement(party, role, "jointly 0.1.0", t, Instant.ofEpochSecond(seconds, 1_000_000), CertificateChain.NONE));
  }

  @Property(tries = 100)
  void statement_roundTrips(@ForAll("statements") PartyStatement s) throws ProtocolAbortException {
    assertThat(Encoding.decodeStatement(Encoding.statement(s))).isEqualTo(s);
  }

  @Property(tries = 100)
  void receiptBody_roundTrips(@ForAll("statements") PartyStatement a, @ForAll("statements") PartyStatement b) throws ProtocolAbortException {
    if (a.party().equals(b.party())) {
      return;
    }
    Learned learned = new Learned(new TreeMap<>(Map.of("intersection_size", 42L)), "shared rows");
    ReceiptBody body =
        new ReceiptBody(
            "session-1",
            RunAgreement.parties(a, Optional.of(new PartyOutcome(a.start(), learned)), b, Optional.of(new PartyOutcome(b.start(), Learned.NOTHING))),
            ReceiptBody.Status.COMPLETED,
            Optional.empty(),
            "",
            Optional.of(Bytes.wrap(new byte[32])));
    Receipt r = new Receipt(body, List.of());
    assertThat(Receipt.decode(r.encode())).isEqualTo(r);
    assertThat(Receipt.decode(r.encode()).digest()).isEqualTo(r.digest());
  }

  @Property(tries = 150)
  void truncatedOrChangedStatement_isMalformedOrAnotherValidStatement(
      @ForAll("statements") PartyStatement s, @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll boolean truncate) {
    byte[] e = Encoding.statement(s).toByteArray();
    int i = at % e.length;
    byte[] changed = truncate ? java.util.Arrays.copyOf(e, i) : e.clone();
    if (!truncate) {
      changed[i] ^= (byte) 0x5A;
    }
    try {
      PartyStatement d = Encoding.decodeStatement(Bytes.wrap(changed));
      assertThat(d).isNotEqualTo(s);
    } catch (ProtocolAbortException ex) {
      assertThat(ex.reason()).isEqualTo(ProtocolAbortException.Reason.MALFORMED_MESSAGE);
    }
  }

  @Property(tries = 150)
  void randomBytes_neverDecodeToAnythingButAMalformedMessage(@ForAll @Size(max = 300) byte[] junk) {
    try {
      Encoding.decodeStatement(Bytes.wrap(junk));
    } catch (ProtocolAbortException ex) {
      assertThat(ex.reason()).isEqualTo(ProtocolAbortException.Reason.MALFORMED_MESSAGE);
    }
    try {
      Receipt.decode(Bytes.wrap(junk));
    } catch (ProtocolAbortException ex) {
      assertThat(ex.reason()).isEqualTo(ProtocolAbortException.Reason.MALFORMED_MESSAGE);
    }
  }
}
