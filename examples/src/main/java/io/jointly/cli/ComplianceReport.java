package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.compliance.AgreedRun;
import io.jointly.compliance.Receipt;
import io.jointly.compliance.UnilateralRun;

/**
 * The compliance section of a JSON report: the run's purpose, the policy (and grant) that allowed
 * it at this party, the receipt's digest (the same at both parties) and the receipt itself with
 * both signatures.
 *
 * @param purpose the purpose both parties stated, absent if none
 * @param policy the policy that allowed the run at this party, absent if none was in force
 * @param receiptDigest the SHA-256 of the receipt body, in hex
 * @param receipt the receipt
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ComplianceReport(
    ReceiptJson.PurposeJson purpose, ReceiptJson.PolicyJson policy, String receiptDigest, ReceiptJson.ReceiptDoc receipt) {

  /** The section for {@code run}, which ended with {@code receipt}. */
  static ComplianceReport of(AgreedRun run, Receipt receipt) {
    return new ComplianceReport(
        run.own().terms().purpose().map(ReceiptJson.PurposeJson::of).orElse(null),
        run.policy().map(ReceiptJson.PolicyJson::of).orElse(null),
        receipt.digest().toHex(),
        ReceiptJson.ReceiptDoc.of(receipt));
  }

  /** The section for a unilateral {@code run} (psi-ic), which ended with {@code receipt}. */
  static ComplianceReport of(UnilateralRun run, Receipt receipt) {
    return new ComplianceReport(
        run.own().terms().purpose().map(ReceiptJson.PurposeJson::of).orElse(null),
        run.policy().map(ReceiptJson.PolicyJson::of).orElse(null),
        receipt.digest().toHex(),
        ReceiptJson.ReceiptDoc.of(receipt));
  }
}
