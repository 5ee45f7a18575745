package io.jointly.compliance.internal;

import io.jointly.compliance.CertificateChain;
import io.jointly.compliance.LegalBasis;
import io.jointly.compliance.Learned;
import io.jointly.compliance.PartyOutcome;
import io.jointly.compliance.PartySignature;
import io.jointly.compliance.PartyStatement;
import io.jointly.compliance.Purpose;
import io.jointly.compliance.Receipt;
import io.jointly.compliance.ReceiptBody;
import io.jointly.compliance.RunTerms;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The canonical encodings of statements, outcomes, receipt bodies and receipts ({@link Codec}),
 * each opened by a domain-separation label so that no encoding of one kind is an encoding of
 * another. Decoding checks every field as the records' constructors do and reports a violation as
 * {@code MALFORMED_MESSAGE}.
 */
public final class Encoding {
  /** Opens a receipt body's encoding. */
  public static final String BODY_LABEL = "jointly receipt v1";

  private static final String STATEMENT_LABEL = "jointly statement v1";
  /** Opens an outcome's encoding. */
  public static final String OUTCOME_LABEL = "jointly outcome v1";
  private static final String RECEIPT_LABEL = "jointly signed receipt v1";
  private static final int MAX_STRING = 4096;

  private Encoding() {}

  /** SHA-256 of {@code b}. */
  public static Bytes sha256(Bytes b) {
    return Bytes.wrap(sha256().digest(b.toByteArray()));
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  // ------------------------------------------------------------------ statements

  public static Bytes statement(PartyStatement s) {
    Codec.Writer w = new Codec.Writer().string(STATEMENT_LABEL);
    writeStatement(w, s);
    return w.toBytes();
  }

  public static PartyStatement decodeStatement(Bytes b) throws ProtocolAbortException {
    Codec.Reader r = new Codec.Reader(b, "STATEMENT");
    label(r, STATEMENT_LABEL);
    PartyStatement s = readStatement(r);
    r.end();
    return s;
  }

  private static void writeStatement(Codec.Writer w, PartyStatement s) {
    w.string(s.party()).string(s.role()).string(s.software());
    RunTerms t = s.terms();
    w.bool(t.purpose().isPresent());
    t.purpose()
        .ifPresent(p -> w.string(p.campaign()).string(p.text()).u8(p.legalBasis().wireCode()));
    w.string(t.command())
        .string(t.protocol())
        .string(t.reveal())
        .stringMap(t.parameters())
        .optionalLong(t.minPeerSetSize())
        .optionalLong(t.minCellSize())
        .i64(t.inputRows())
        .instant(s.start())
        .byteStrings(s.certificates().der());
  }

  private static PartyStatement readStatement(Codec.Reader r) throws ProtocolAbortException {
    String party = r.string("party", 64);
    String role = r.string("role", 32);
    String software = r.string("software", 64);
    Optional<Purpose> purpose = Optional.empty();
    if (r.bool("purpose")) {
      String campaign = r.string("purpose campaign", 64);
      String text = r.string("purpose text", 4 * Purpose.MAX_TEXT_LENGTH);
      int basis = r.u8("legal basis");
      purpose = Optional.of(valid("purpose", () -> new Purpose(campaign, text, LegalBasis.fromWireCode(basis))));
    }
    Optional<Purpose> p = purpose;
    String command = r.string("command", 64);
    String protocol = r.string("protocol", 64);
    String reveal = r.string("reveal", 64);
    var parameters = r.stringMap("parameters", RunTerms.MAX_PARAMETERS, 4 * RunTerms.MAX_PARAMETER_LENGTH);
    var minPeer = r.optionalLong("min peer set size");
    var minCell = r.optionalLong("min cell size");
    long rows = r.i64("input rows");
    RunTerms terms =
        valid(
            "terms",
            () -> new RunTerms(p, command, protocol, reveal, parameters, minPeer, minCell, rows));
    var start = r.instant("start");
    List<Bytes> der =
        r.byteStrings("certificates", CertificateChain.MAX_CERTIFICATES, CertificateChain.MAX_CERTIFICATE_BYTES);
    CertificateChain chain = valid("certificates", () -> new CertificateChain(der));
    return valid("statement", () -> new PartyStatement(party, role, software, terms, start, chain));
  }

  // ------------------------------------------------------------------ outcomes

  public static Bytes outcome(PartyOutcome o) {
    Codec.Writer w = new Codec.Writer().string(OUTCOME_LABEL);
    writeOutcome(w, o);
    return w.toBytes();
  }

  private static void writeOutcome(Codec.Writer w, PartyOutcome o) {
    w.instant(o.end()).countMap(o.learned().counts()).string(o.learned().description());
  }

  /** Reads the fields of an outcome (after its label). */
  public static PartyOutcome readOutcomeFields(Codec.Reader r) throws ProtocolAbortException {
    var end = r.instant("end");
    var counts = r.countMap("learned counts", Learned.MAX_COUNTS, 64);
    String description = r.string("learned description", 4 * Learned.MAX_DESCRIPTION_LENGTH);
    Learned learned = valid("learned", () -> new Learned(counts, description));
    return new PartyOutcome(end, learned);
  }

  // ------------------------------------------------------------------ receipts

  public static Bytes body(ReceiptBody b) {
    Codec.Writer w = new Codec.Writer().string(BODY_LABEL);
    writeBody(w, b);
    return w.toBytes();
  }

  private static void writeBody(Codec.Writer w, ReceiptBody b) {
    w.string(b.session()).u32(b.parties().size());
    for (ReceiptBody.ReceiptParty p : b.parties()) {
      writeStatement(w, p.statement());
      w.bool(p.outcome().isPresent());
      p.outcome().ifPresent(o -> writeOutcome(w, o));
    }
    w.u8(b.status().wireCode())
        .optionalString(b.recordedBy())
        .string(b.detail())
        .optionalBytes(b.transcriptDigest());
  }

  private static ReceiptBody readBody(Codec.Reader r) throws ProtocolAbortException {
    label(r, BODY_LABEL);
    String session = r.string("session", 128);
    int n = r.count("parties", 2, 1);
    List<ReceiptBody.ReceiptParty> parties = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PartyStatement s = readStatement(r);
      Optional<PartyOutcome> o = r.bool("outcome") ? Optional.of(readOutcomeFields(r)) : Optional.empty();
      parties.add(new ReceiptBody.ReceiptParty(s, o));
    }
    int status = r.u8("status");
    Optional<String> recordedBy = r.optionalString("recorded by", 64);
    String detail = r.string("detail", 4 * ReceiptBody.MAX_DETAIL_LENGTH);
    Optional<Bytes> digest = r.optionalBytes("transcript digest", ReceiptBody.DIGEST_LENGTH);
    return valid(
        "receipt body",
        () -> new ReceiptBody(session, parties, ReceiptBody.Status.fromWireCode(status), recordedBy, detail, digest));
  }

  public static Bytes receipt(Receipt receipt) {
    Codec.Writer w = new Codec.Writer().string(RECEIPT_LABEL).bytes(receipt.body().encode());
    writeSignatures(w, receipt.signatures());
    return w.toBytes();
  }

  public static Receipt decodeReceipt(Bytes b) throws ProtocolAbortException {
    Codec.Reader r = new Codec.Reader(b, "receipt");
    label(r, RECEIPT_LABEL);
    Receipt receipt = readReceipt(r);
    r.end();
    return receipt;
  }

  /** Reads a receipt as {@link #writeReceipt} wrote it, without a label. */
  public static Receipt readReceipt(Codec.Reader r) throws ProtocolAbortException {
    Bytes body = r.bytes("body", 1 << 20);
    Codec.Reader br = new Codec.Reader(body, "receipt body");
    ReceiptBody parsed = readBody(br);
    br.end();
    List<PartySignature> signatures = readSignatures(r);
    return valid("receipt", () -> new Receipt(parsed, signatures));
  }

  /** Writes a receipt (body and signatures) without a label. */
  public static void writeReceipt(Codec.Writer w, Receipt receipt) {
    w.bytes(receipt.body().encode());
    writeSignatures(w, receipt.signatures());
  }

  public static void writeSignatures(Codec.Writer w, List<PartySignature> signatures) {
    w.u32(signatures.size());
    for (PartySignature s : signatures) {
      writeSignature(w, s);
    }
  }

  public static void writeSignature(Codec.Writer w, PartySignature s) {
    w.string(s.party()).string(s.algorithm()).bytes(s.value());
  }

  public static PartySignature readSignature(Codec.Reader r) throws ProtocolAbortException {
    String party = r.string("signer", 64);
    String algorithm = r.string("algorithm", 32);
    Bytes value = r.bytes("signature", PartySignature.MAX_SIGNATURE_BYTES);
    return valid("signature", () -> new PartySignature(party, algorithm, value));
  }

  private static List<PartySignature> readSignatures(Codec.Reader r) throws ProtocolAbortException {
    int n = r.count("signatures", 2, 12);
    List<PartySignature> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readSignature(r));
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  /** Reads and checks a domain-separation label. */
  public static void label(Codec.Reader r, String expected) throws ProtocolAbortException {
    String label = r.string("label", 64);
    if (!label.equals(expected)) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.MALFORMED_MESSAGE, "not a " + expected + " encoding");
    }
  }

  /** A value built by a record constructor; a constructor's refusal is a malformed message. */
  public interface Build<T> {
    T get();
  }

  public static <T> T valid(String what, Build<T> build) throws ProtocolAbortException {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new ProtocolAbortException(
          ProtocolAbortException.Reason.MALFORMED_MESSAGE, what + ": " + e.getMessage());
    }
  }
}
