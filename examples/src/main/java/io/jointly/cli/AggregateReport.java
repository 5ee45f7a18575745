package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.secagg.SecureAggregationParameters;
import io.jointly.secagg.SecureAggregationResult;
import java.util.List;

/**
 * The server's report of {@code jointly aggregate}: who was included and who dropped, the table's
 * shape, the encoding, the traffic, what each side learned, and one compliance section per client
 * (each client runs its own agreement with the server and holds its own receipt).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AggregateReport(
    String protocol,
    String role,
    int clientsExpected,
    int clientsJoined,
    int minClients,
    int threshold,
    int graphDegree,
    List<String> includedClients,
    List<String> droppedClients,
    int rows,
    List<String> columns,
    int values,
    int fractionalBits,
    double maxAbs,
    long bytesSent,
    long bytesReceived,
    double elapsedSeconds,
    String learned,
    String learnedZh,
    String clientsLearned,
    String clientsLearnedZh,
    List<ComplianceReport> compliance) {

  static final String PROTOCOL = "secure-aggregation";

  /** What the server learns. */
  static final ReportText SERVER_LEARNED =
      new ReportText(
          "the cell-by-cell sum over the included clients, and which clients dropped out",
          "所纳入客户端逐单元格的总和，以及哪些客户端中途退出");

  /** What each client learns. */
  static final ReportText CLIENTS_LEARNED =
      new ReportText("nothing about other clients' figures; who was included", "不获知其他客户端的任何数值；仅获知哪些客户端被纳入");

  static AggregateReport of(
      SecureAggregationParameters params,
      int expected,
      int joined,
      SecureAggregationResult r,
      List<String> dropped,
      int rows,
      List<String> columns,
      List<ComplianceReport> compliance) {
    return new AggregateReport(
        PROTOCOL,
        "server",
        expected,
        joined,
        params.minClients(),
        r.threshold(),
        r.degree(),
        r.includedClients(),
        dropped,
        rows,
        columns,
        r.length(),
        params.fixedPoint().fractionalBits(),
        params.maxAbs(),
        r.traffic().bytesSent(),
        r.traffic().bytesReceived(),
        Reports.seconds(r.elapsed()),
        SERVER_LEARNED.en(),
        SERVER_LEARNED.zh(),
        CLIENTS_LEARNED.en(),
        CLIENTS_LEARNED.zh(),
        compliance);
  }
}
