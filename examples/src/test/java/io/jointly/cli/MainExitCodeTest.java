package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The exit codes the README documents, by the failure behind them. */
class MainExitCodeTest {

  @Test
  void exitCode_eachFailureKind_mapsToItsDocumentedCode() {
    assertThat(Main.exitCode(new CliException(CliException.USAGE, "bad option"))).isEqualTo(2);
    assertThat(Main.exitCode(new InputException(InputException.Kind.INVALID_INPUT, 3, "missing column"))).isEqualTo(3);
    assertThat(Main.exitCode(new IOException("disk full"))).isEqualTo(3);
    assertThat(Main.exitCode(new ProtocolAbortException(Reason.INVALID_ELEMENT, "bad point")))
        .isEqualTo(4);
    assertThat(Main.exitCode(new ChannelException(ChannelException.Kind.CLOSED, "peer went away"))).isEqualTo(4);
  }

  @Test
  void exitCode_illegalArgumentFromInsideARun_isAnInternalErrorNotAUsageError() {
    // Option values are checked by the commands (exit 2); an IllegalArgumentException that reaches
    // Main was thrown by library code mid-run, which is a bug and must not tell the operator to
    // fix the command line.
    assertThat(Main.exitCode(new IllegalArgumentException("precondition"))).isEqualTo(1);
    assertThat(Main.exitCode(new IllegalStateException("unexpected"))).isEqualTo(1);
  }
}
