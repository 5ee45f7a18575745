package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.compliance.AuditRecord;
import io.jointly.compliance.CertificateChain;
import io.jointly.compliance.LegalBasis;
import io.jointly.compliance.Learned;
import io.jointly.compliance.PartyOutcome;
import io.jointly.compliance.PartySignature;
import io.jointly.compliance.PartyStatement;
import io.jointly.compliance.PolicyReference;
import io.jointly.compliance.Purpose;
import io.jointly.compliance.Receipt;
import io.jointly.compliance.ReceiptBody;
import io.jointly.compliance.RunTerms;
import io.jointly.core.Bytes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The JSON form of receipts and audit entries: records that mirror the library's {@link Receipt}
 * and {@link AuditRecord} field by field, with times as ISO-8601 instants, digests in lower-case
 * hex and certificates and signatures in Base64. {@link #toReceipt} and {@link #toRecord} convert
 * back, refusing any field the library's types refuse ({@link IllegalArgumentException} naming
 * the field). Absent values are left out of the JSON.
 */
final class ReceiptJson {
  private ReceiptJson() {}

  /** A purpose. */
  record PurposeJson(String campaign, String text, String legalBasis) {
    static PurposeJson of(Purpose p) {
      return new PurposeJson(p.campaign(), p.text(), p.legalBasis().token());
    }

    Purpose toPurpose() {
      return new Purpose(campaign, text, LegalBasis.fromToken(legalBasis));
    }
  }

  /** A party's statement. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StatementJson(
      String party,
      String role,
      String software,
      PurposeJson purpose,
      String command,
      String protocol,
      String reveal,
      SortedMap<String, String> parameters,
      Long minPeerSetSize,
      Long minCellSize,
      long inputRows,
      String start,
      List<String> certificates) {
    static StatementJson of(PartyStatement s) {
      RunTerms t = s.terms();
      return new StatementJson(
          s.party(),
          s.role(),
          s.software(),
          t.purpose().map(PurposeJson::of).orElse(null),
          t.command(),
          t.protocol(),
          t.reveal(),
          new TreeMap<>(t.parameters()),
          boxed(t.minPeerSetSize()),
          boxed(t.minCellSize()),
          t.inputRows(),
          s.start().toString(),
          s.certificates().der().stream().map(b -> Base64.getEncoder().encodeToString(b.toByteArray())).toList());
    }

    PartyStatement toStatement() {
      RunTerms terms =
          new RunTerms(
              Optional.ofNullable(purpose).map(PurposeJson::toPurpose),
              command,
              protocol,
              reveal,
              parameters == null ? new TreeMap<>() : parameters,
              unboxed(minPeerSetSize),
              unboxed(minCellSize),
              inputRows);
      List<Bytes> der = new ArrayList<>();
      for (String c : required(certificates, "certificates")) {
        der.add(base64(c, "certificates"));
      }
      return new PartyStatement(party, role, software, terms, instant(start, "start"), new CertificateChain(der));
    }
  }

  /** What a party learned, and when it ended. */
  record OutcomeJson(String end, SortedMap<String, Long> learned, String description) {
    static OutcomeJson of(PartyOutcome o) {
      return new OutcomeJson(o.end().toString(), new TreeMap<>(o.learned().counts()), o.learned().description());
    }

    PartyOutcome toOutcome() {
      return new PartyOutcome(instant(end, "end"), new Learned(required(learned, "learned"), required(description, "description")));
    }
  }

  /** One party's part of a receipt. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PartyJson(StatementJson statement, OutcomeJson outcome) {}

  /** A signature. */
  record SignatureJson(String party, String algorithm, String value) {
    static SignatureJson of(PartySignature s) {
      return new SignatureJson(s.party(), s.algorithm(), Base64.getEncoder().encodeToString(s.value().toByteArray()));
    }

    PartySignature toSignature() {
      return new PartySignature(party, algorithm, base64(value, "signature"));
    }
  }

  /** A receipt: what both parties signed, and their signatures. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ReceiptDoc(
      String session,
      String status,
      String recordedBy,
      String detail,
      String transcriptDigest,
      List<PartyJson> parties,
      List<SignatureJson> signatures) {
    static ReceiptDoc of(Receipt r) {
      ReceiptBody b = r.body();
      return new ReceiptDoc(
          b.session(),
          b.status().name().toLowerCase(Locale.ROOT),
          b.recordedBy().orElse(null),
          b.detail(),
          b.transcriptDigest().map(Bytes::toHex).orElse(null),
          b.parties().stream()
              .map(p -> new PartyJson(StatementJson.of(p.statement()), p.outcome().map(OutcomeJson::of).orElse(null)))
              .toList(),
          r.signatures().stream().map(SignatureJson::of).toList());
    }

    Receipt toReceipt() {
      List<ReceiptBody.ReceiptParty> ps = new ArrayList<>();
      for (PartyJson p : required(parties, "parties")) {
        ps.add(new ReceiptBody.ReceiptParty(
            required(p.statement(), "statement").toStatement(),
            Optional.ofNullable(p.outcome()).map(OutcomeJson::toOutcome)));
      }
      ReceiptBody body =
          new ReceiptBody(
              session,
              ps,
              parseStatus(status),
              Optional.ofNullable(recordedBy),
              required(detail, "detail"),
              Optional.ofNullable(transcriptDigest).map(h -> hex(h, "transcript_digest")));
      List<PartySignature> sigs = new ArrayList<>();
      for (SignatureJson s : required(signatures, "signatures")) {
        sigs.add(s.toSignature());
      }
      return new Receipt(body, sigs);
    }
  }

  /** The policy that allowed a run. */
  record PolicyJson(String id, String grant, String digest) {
    static PolicyJson of(PolicyReference p) {
      return new PolicyJson(p.policy(), p.grant(), p.digest().toHex());
    }

    PolicyReference toReference() {
      return new PolicyReference(id, grant, hex(digest, "policy digest"));
    }
  }

  /** One line of an audit log. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AuditLine(long seq, String prev, String owner, PolicyJson policy, ReceiptDoc receipt, SignatureJson seal) {
    static AuditLine of(AuditRecord r) {
      return new AuditLine(
          r.sequence(),
          r.previous().toHex(),
          r.owner(),
          r.policy().map(PolicyJson::of).orElse(null),
          ReceiptDoc.of(r.receipt()),
          r.seal().map(SignatureJson::of).orElse(null));
    }

    AuditRecord toRecord() {
      return new AuditRecord(
          seq,
          hex(required(prev, "prev"), "prev"),
          required(owner, "owner"),
          Optional.ofNullable(policy).map(PolicyJson::toReference),
          required(receipt, "receipt").toReceipt(),
          Optional.ofNullable(seal).map(SignatureJson::toSignature));
    }
  }

  private static ReceiptBody.Status parseStatus(String s) {
    for (ReceiptBody.Status v : ReceiptBody.Status.values()) {
      if (v.name().toLowerCase(Locale.ROOT).equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("status must be completed, failed or refused");
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  private static OptionalLong unboxed(Long v) {
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  private static <T> T required(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }

  private static Instant instant(String s, String field) {
    try {
      return Instant.parse(required(s, field));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is not an ISO-8601 instant");
    }
  }

  private static Bytes base64(String s, String field) {
    try {
      return Bytes.wrap(Base64.getDecoder().decode(required(s, field)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not Base64");
    }
  }

  private static Bytes hex(String s, String field) {
    try {
      return Bytes.wrap(HexFormat.of().parseHex(required(s, field)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not hex");
    }
  }
}
