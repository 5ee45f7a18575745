/**
 * The {@code jointly} command-line tool: {@code gen-data}, {@code tls-init}, {@code psi}, {@code
 * psi-ic}, {@code stats}, {@code train}, {@code score}, {@code aggregate}, {@code audit} and {@code
 * demo}. Each party runs it as its own process; files are read and written here (the library
 * speaks in-memory types), every output through a temporary file renamed into place.
 *
 * <p>Security model: what each party learns is that of the protocol it runs (see {@code
 * io.jointly.psi}, {@code io.jointly.stats}, {@code io.jointly.lr}, {@code io.jointly.secagg}); the
 * tool adds to the wire only the run agreement of {@code io.jointly.compliance} around each
 * protocol run ({@code Compliance}: the purpose, this party's policy and its audit log), whose
 * statements carry only what the protocols exchange anyway plus the input row count. {@code
 * psi-ic} adds nothing to the standard's wire: its policy check and its receipt stay local
 * ({@code UnilateralRun}). Model files stay with their owner and hold only its own weights and
 * feature transform. Messages and logs name files, lines, columns
 * and counts, never identifiers or other values. TLS keys are read from PEM files and never
 * printed; {@code tls-init} writes keys readable by the owner only.
 *
 * <p>Output: one {@code Terminal} owns stderr and stdout, so a message or a logged warning never
 * lands at the end of a progress bar's unfinished line; {@code HelpLayout} lays out every command's
 * help (options by section, text wrapped at spaces only).
 *
 * <p>Reports: every JSON report and the HTML reports render typed records ({@code PsiReport},
 * {@code PsiIcReport}, {@code StatsReport}, {@code TrainReport}, {@code ScoreReport}, {@code AggregateReport}, {@code
 * ComplianceReport}) through one mapper ({@code Json}); the demo reads them back as the same
 * records. Receipts and audit lines have their JSON form in {@code ReceiptJson}; {@code AuditLog}
 * is the hash-chained log, {@code PolicyFile} reads {@code --policy}.
 *
 * <p>Thread-safety: commands are single-use objects run by picocli on one thread; {@code demo} runs
 * two commands on two threads, which share nothing but the loopback connection.
 */
package io.jointly.cli;
